import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ObjectStore } from '../object-store/object-store';
import { ArchiveLineError, ArchiveRoot, parseArchiveLine, parseArchivePartKey } from './archive-format';
import { summarizeEvent } from './event-summary';
import { JsonlLine, jsonlLines, yieldToEventLoop } from './jsonl-lines';
import type { NewEventRow, TimelineRepository } from './timeline-repository';
import type { SessionKind, TimelineLane } from './timeline-types';

/** Where an archive is read from: the object store (`timeline/…`), or a local folder of the same layout. */
export interface ArchiveSource {
    readonly description: string;
    /** Every part's key (`timeline/<session>/part-NNNNNN.jsonl`). */
    parts(): Promise<string[]>;
    lines(key: string): AsyncIterable<JsonlLine>;
}

export function storeArchiveSource(store: ObjectStore): ArchiveSource {
    return {
        description: store.description,
        async parts() {
            const keys: string[] = [];
            for await (const info of store.list(ArchiveRoot)) {
                if (parseArchivePartKey(info.key)) {
                    keys.push(info.key);
                }
            }
            return keys;
        },
        async *lines(key) {
            yield* jsonlLines(await store.getStream(key));
        },
    };
}

/** A local archive folder (`<dataDir>/timeline-archive`): `<session>/part-NNNNNN.jsonl`. */
export function directoryArchiveSource(dir: string): ArchiveSource {
    return {
        description: dir,
        async parts() {
            if (!fs.existsSync(dir)) {
                return [];
            }
            return fs.readdirSync(dir, { withFileTypes: true }).filter(d => d.isDirectory()).flatMap(d =>
                fs.readdirSync(path.join(dir, d.name)).map(f => `${ArchiveRoot}${d.name}/${f}`).filter(k => parseArchivePartKey(k) !== undefined));
        },
        lines: key => jsonlLines(path.join(dir, key.slice(ArchiveRoot.length))),
    };
}

export interface RebuildReport {
    readonly source: string;
    readonly sessions: readonly { readonly id: string; readonly title: string; readonly events: number }[];
    /** Sessions the database already had: left as they are. */
    readonly present: readonly string[];
    readonly events: number;
    /** `<key>:<line>: <reason>`, for every line not restored. */
    readonly skipped: readonly string[];
    /** `<key>:<line>: …`, events restored with a change (a new sequence number). */
    readonly notes: readonly string[];
}

const Chunk = 5000;

/**
 * Rebuilds the sessions database's timeline from the archive alone: every session the database
 * does not have is restored with its id, kind, title, times and lanes, and every event with its
 * sequence number (a new one only if the number is taken, which the report says). Positions are
 * renumbered densely, so a damaged line (skipped and reported) leaves no hole.
 */
export async function rebuildFromArchive(repo: TimelineRepository, source: ArchiveSource): Promise<RebuildReport> {
    const bySession = new Map<string, { key: string; part: number }[]>();
    for (const key of await source.parts()) {
        const parsed = parseArchivePartKey(key)!;
        bySession.set(parsed.sessionId, [...(bySession.get(parsed.sessionId) ?? []), { key, part: parsed.part }]);
    }
    const sessions: { id: string; title: string; events: number }[] = [];
    const present: string[] = [];
    const skipped: string[] = [];
    const notes: string[] = [];
    let total = 0;
    for (const [sessionId, parts] of [...bySession].sort(([a], [b]) => a.localeCompare(b))) {
        if (repo.session(sessionId)) {
            present.push(sessionId);
            continue;
        }
        const restored = await rebuildSession(repo, sessionId, parts.sort((a, b) => a.part - b.part).map(p => p.key), source, skipped, notes);
        if (restored) {
            sessions.push(restored);
            total += restored.events;
        }
    }
    return { source: source.description, sessions, present, events: total, skipped, notes };
}

async function rebuildSession(repo: TimelineRepository, sessionId: string, keys: string[], source: ArchiveSource, skipped: string[], notes: string[]): Promise<{ id: string; title: string; events: number } | undefined> {
    let header: { kind: SessionKind; title: string; source?: string; startedAt: number; lanes: readonly TimelineLane[] } | undefined;
    let endedAt: number | undefined;
    let lanes: readonly TimelineLane[] = [];
    let n = 0;
    let lastSeq = 0;
    let lastAt = 0;
    let rows: NewEventRow[] = [];
    const commit = () => {
        if (rows.length) {
            const batch = rows;
            rows = [];
            repo.db.transaction(tx => {
                repo.insertEvents(tx, sessionId, batch);
                repo.updateSessionProgress(tx, sessionId, n, lastAt, lanes);
            });
        }
    };
    for (const key of keys) {
        for await (const { line, text } of source.lines(key)) {
            if (text.trim() === '') {
                continue;
            }
            const where = `${key}:${line}`;
            let parsed;
            try {
                parsed = parseArchiveLine(text);
            } catch (error) {
                skipped.push(`${where}: ${error instanceof ArchiveLineError ? error.message : String(error)}`);
                continue;
            }
            if (parsed.t === 'session') {
                if (parsed.id !== sessionId) {
                    skipped.push(`${where}: a session line of ${parsed.id} in a part of ${sessionId}`);
                } else if (!header) {
                    header = parsed;
                    lanes = parsed.lanes;
                    repo.insertSession({ id: sessionId, kind: parsed.kind, title: parsed.title, source: parsed.source, startedAt: parsed.startedAt, lanes });
                    lastAt = parsed.startedAt;
                } else if (parsed.lanes.length > lanes.length) {
                    lanes = parsed.lanes;
                }
                continue;
            }
            if (!header) {
                skipped.push(`${where}: an ${parsed.t} line before the session's first "session" line`);
                continue;
            }
            if (parsed.session !== sessionId) {
                skipped.push(`${where}: an ${parsed.t} line of session ${parsed.session} in a part of ${sessionId}`);
                continue;
            }
            if (parsed.t === 'end') {
                endedAt = parsed.endedAt;
                lanes = parsed.lanes.length >= lanes.length ? parsed.lanes : lanes;
                if (parsed.title !== undefined) {
                    repo.setTitle(sessionId, parsed.title);
                    header = { ...header, title: parsed.title };
                }
                continue;
            }
            if (parsed.seq <= lastSeq) {
                skipped.push(`${where}: event #${parsed.seq} comes after #${lastSeq}; sequence numbers only grow within a session`);
                continue;
            }
            lastSeq = parsed.seq;
            lastAt = Math.max(lastAt, parsed.at);
            const taken = repo.seqTaken(parsed.seq) || rows.some(r => r.seq === parsed.seq);
            if (taken) {
                notes.push(`${where}: sequence number #${parsed.seq} is taken in this database; the event was restored under a new one`);
            }
            rows.push({
                ...(taken ? {} : { seq: parsed.seq }), n: n++, kind: parsed.kind, agentId: parsed.agent, taskId: parsed.task, path: parsed.path,
                summary: summarizeEvent(parsed.kind, parsed.data, parsed.path, parsed.agent), dataJson: JSON.stringify(parsed.data), at: lastAt,
            });
            if (rows.length >= Chunk) {
                commit();
                await yieldToEventLoop();
            }
        }
    }
    if (!header) {
        return undefined;
    }
    commit();
    repo.db.transaction(tx => repo.updateSessionProgress(tx, sessionId, n, lastAt, lanes));
    repo.endSession(sessionId, endedAt ?? lastAt);
    return { id: sessionId, title: header.title, events: n };
}
