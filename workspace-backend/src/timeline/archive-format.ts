import { isTimelineEventKind, JsonObject, SessionKind, TimelineEventKind, TimelineLane } from './timeline-types';

/**
 * The JSONL archive, schema version 1 (docs/timeline-archive.md). One JSON object a line, each
 * with `v` (the schema version) and `t` (the line type):
 *
 *   {"v":1,"t":"session","id":…,"kind":"run","title":…,"startedAt":…,"part":1,"lanes":[…]}
 *   {"v":1,"t":"event","session":…,"seq":…,"n":…,"at":…,"kind":…,"agent":…,"task":…,"path":…,"data":{…}}
 *   {"v":1,"t":"end","session":…,"endedAt":…,"events":…,"lanes":[…],"title":…}
 *
 * Every part of a session starts with its `session` line, so any part alone says whose events
 * it holds. Readers skip (and report) lines they cannot read; a line with a newer `v` is
 * reported as written by a newer studio.
 */
export const ArchiveVersion = 1;

export interface ArchiveSessionLine {
    readonly v: 1;
    readonly t: 'session';
    readonly id: string;
    readonly kind: SessionKind;
    readonly title: string;
    readonly source?: string;
    readonly startedAt: number;
    /** The part of the archive this line starts, from 1. */
    readonly part: number;
    readonly lanes: readonly TimelineLane[];
}

export interface ArchiveEventLine {
    readonly v: 1;
    readonly t: 'event';
    readonly session: string;
    readonly seq: number;
    readonly n: number;
    readonly at: number;
    readonly kind: TimelineEventKind;
    readonly agent?: string;
    readonly task?: number;
    readonly path?: string;
    readonly data: JsonObject;
}

export interface ArchiveEndLine {
    readonly v: 1;
    readonly t: 'end';
    readonly session: string;
    readonly endedAt: number;
    readonly events: number;
    readonly lanes: readonly TimelineLane[];
    /** The session's title when it ended, if it changed after its parts began (an import's summary, say). */
    readonly title?: string;
}

export type ArchiveLine = ArchiveSessionLine | ArchiveEventLine | ArchiveEndLine;

export function sessionLine(session: Omit<ArchiveSessionLine, 'v' | 't'>): string {
    return JSON.stringify({ v: ArchiveVersion, t: 'session', ...session });
}

export function endLine(end: Omit<ArchiveEndLine, 'v' | 't'>): string {
    return JSON.stringify({ v: ArchiveVersion, t: 'end', ...end });
}

/** An event line around its already-serialized payload (the very text stored in the database). */
export function eventLine(sessionId: string, e: { seq: number; n: number; at: number; kind: string; agentId?: string; taskId?: number; path?: string }, dataJson: string): string {
    const head = JSON.stringify({
        v: ArchiveVersion, t: 'event', session: sessionId, seq: e.seq, n: e.n, at: e.at, kind: e.kind,
        ...(e.agentId !== undefined ? { agent: e.agentId } : {}), ...(e.taskId !== undefined ? { task: e.taskId } : {}), ...(e.path !== undefined ? { path: e.path } : {}),
    });
    return `${head.slice(0, -1)},"data":${dataJson}}`;
}

/** Why a line was not read; the importer reports it with the line number. */
export class ArchiveLineError extends Error { }

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isLanes = (v: unknown): v is TimelineLane[] => Array.isArray(v) && v.every(l => l !== null && typeof l === 'object' && typeof l.id === 'string' && typeof l.name === 'string');

/** Parses and checks one line; throws an ArchiveLineError saying what is wrong with it. */
export function parseArchiveLine(text: string): ArchiveLine {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new ArchiveLineError(`not valid JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ArchiveLineError('not a JSON object');
    }
    const o = value as Record<string, unknown>;
    if (o.v !== ArchiveVersion) {
        throw new ArchiveLineError(isInt(o.v) && o.v > ArchiveVersion
            ? `written with archive schema v${o.v}, newer than this studio reads (v${ArchiveVersion}); import it with a newer studio`
            : `no archive schema version ("v": ${ArchiveVersion}) on the line`);
    }
    const need = (ok: boolean, field: string) => {
        if (!ok) {
            throw new ArchiveLineError(`a "${String(o.t)}" line with a missing or malformed "${field}"`);
        }
    };
    switch (o.t) {
        case 'session':
            need(typeof o.id === 'string' && o.id !== '', 'id');
            need(o.kind === 'run' || o.kind === 'import', 'kind');
            need(typeof o.title === 'string', 'title');
            need(isInt(o.startedAt), 'startedAt');
            need(isInt(o.part) && (o.part as number) >= 1, 'part');
            need(o.source === undefined || typeof o.source === 'string', 'source');
            need(o.lanes === undefined || isLanes(o.lanes), 'lanes');
            return { ...(o as unknown as ArchiveSessionLine), lanes: (o.lanes as TimelineLane[] | undefined) ?? [] };
        case 'event':
            need(typeof o.session === 'string' && o.session !== '', 'session');
            need(isInt(o.seq) && (o.seq as number) > 0, 'seq');
            need(isInt(o.n) && (o.n as number) >= 0, 'n');
            need(isInt(o.at), 'at');
            need(isTimelineEventKind(o.kind), 'kind');
            need(o.agent === undefined || typeof o.agent === 'string', 'agent');
            need(o.task === undefined || isInt(o.task), 'task');
            need(o.path === undefined || typeof o.path === 'string', 'path');
            need(o.data !== null && typeof o.data === 'object' && !Array.isArray(o.data), 'data');
            return o as unknown as ArchiveEventLine;
        case 'end':
            need(typeof o.session === 'string' && o.session !== '', 'session');
            need(isInt(o.endedAt), 'endedAt');
            need(isInt(o.events), 'events');
            need(o.lanes === undefined || isLanes(o.lanes), 'lanes');
            need(o.title === undefined || typeof o.title === 'string', 'title');
            return { ...(o as unknown as ArchiveEndLine), lanes: (o.lanes as TimelineLane[] | undefined) ?? [] };
        default:
            throw new ArchiveLineError(`unknown archive line type "${String(o.t)}" (expected session, event or end)`);
    }
}

/** Object-store keys: `timeline/<session id>/part-000001.jsonl`, next to the database replicas. */
export const ArchiveRoot = 'timeline/';

export function archivePartName(part: number): string {
    return `part-${String(part).padStart(6, '0')}.jsonl`;
}

export function archivePartKey(sessionId: string, part: number): string {
    return `${ArchiveRoot}${sessionId}/${archivePartName(part)}`;
}

/** The session and part of an archive key or relative file path, or undefined for anything else. */
export function parseArchivePartKey(key: string): { sessionId: string; part: number } | undefined {
    const match = /^(?:timeline\/)?([A-Za-z0-9._-]+)\/part-(\d{6,})\.jsonl$/.exec(key);
    return match ? { sessionId: match[1], part: Number(match[2]) } : undefined;
}

/** Session ids are file and key names: letters, digits, `.`, `_`, `-`. */
export const isSessionId = (id: string): boolean => /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id);
