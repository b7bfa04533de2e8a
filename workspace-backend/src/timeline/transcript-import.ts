import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArchiveLineError, parseArchiveLine } from './archive-format';
import type { ArchiveWriter } from './archive-writer';
import { ClaudeCodeLane, ClaudeCodeSubagentLane, ClaudeCodeTranscriptReader, LineOutcome } from './claude-code-transcript';
import { maskSecrets } from '../policy/secrets';
import { oneLine } from './event-summary';
import { jsonlLines, yieldToEventLoop } from './jsonl-lines';
import { SessionWriter, WriterInput } from './session-writer';
import type { TimelineRepository } from './timeline-repository';
import {
    IgnoredLines, ImportProgress, ImportReport, SessionInfo, SkippedLine, TimelineError, TimelineLane, TranscriptFormat,
} from './timeline-types';

/** Where an import writes: the repository, the archive, and how it names new sessions. */
export interface ImportTarget {
    readonly repo: TimelineRepository;
    readonly archive?: ArchiveWriter;
    readonly secrets: () => readonly string[];
    readonly now?: () => number;
    newSessionId(): string;
    /** False when a session (or its archive) already has the id. */
    isSessionIdFree(id: string): boolean;
}

export interface ImportOptions {
    /** Default: recognised from the first lines. */
    readonly format?: TranscriptFormat;
    /** Default: the transcript's own summary, else its first message, else the file name. */
    readonly title?: string;
    readonly onProgress?: (progress: ImportProgress) => void;
    readonly signal?: AbortSignal;
    /** Events per transaction; the event loop gets a turn between chunks. Default 2000. */
    readonly chunkSize?: number;
}

/** The most skipped lines a report lists one by one (the count is always exact). */
const MaxListedSkips = 1000;
const MaxListedIgnoredLines = 20;

/**
 * Imports a transcript file into the timeline (and the archive): a Claude Code session
 * transcript becomes one session; our own archive (or an export) one session per session it
 * holds. Lines that cannot be read are skipped and listed with their numbers and reasons.
 * Throws a TimelineError when the file cannot be read or is neither format.
 */
export async function importTranscript(target: ImportTarget, file: string, options: ImportOptions = {}): Promise<ImportReport> {
    const started = performance.now();
    let totalBytes: number;
    try {
        const stat = await fs.promises.stat(file);
        if (!stat.isFile()) {
            throw new TimelineError(`${file} is not a file; choose a .jsonl transcript.`);
        }
        totalBytes = stat.size;
    } catch (error) {
        throw error instanceof TimelineError ? error : new TimelineError(`Cannot read ${file}: ${(error as Error).message}.`);
    }
    const format = options.format ?? await detectFormat(file);
    const run = new ImportRun(target, file, format, totalBytes, options);
    await run.run();
    return { ...run.report(), durationMs: Math.round(performance.now() - started) };
}

/** Recognises the format from the first lines that parse: our archive has `v` and `t`, Claude Code entries a `type`. */
export async function detectFormat(file: string): Promise<TranscriptFormat> {
    let looked = 0;
    for await (const { text } of jsonlLines(file)) {
        if (text.trim() === '') {
            continue;
        }
        if (++looked > 50) {
            break;
        }
        try {
            const value = JSON.parse(text) as Record<string, unknown>;
            if (value && typeof value === 'object' && !Array.isArray(value)) {
                if ('v' in value && 't' in value) {
                    return 'archive';
                }
                if (typeof value.type === 'string') {
                    return 'claude-code';
                }
            }
        } catch {
            // A damaged first line: look at the next.
        }
    }
    throw new TimelineError(`${path.basename(file)} is neither a Claude Code session transcript (JSON lines with a "type") nor a CODITECT timeline archive (JSON lines with "v" and "t") in its first lines; check the file, or name the format.`);
}

interface OpenImport {
    readonly writer: SessionWriter;
    title: string;
    readonly headerTitle: string;
    pending: WriterInput[];
    ended: boolean;
}

class ImportRun {
    protected readonly skipped: SkippedLine[] = [];
    protected skippedCount = 0;
    protected readonly ignored = new Map<string, { count: number; lines: number[] }>();
    protected readonly sessions = new Map<string, OpenImport>();
    protected readonly order: OpenImport[] = [];
    protected lines = 0;
    protected events = 0;
    protected bytesRead = 0;
    protected readonly chunkSize: number;
    protected lastProgress = 0;

    constructor(protected readonly target: ImportTarget, protected readonly file: string, protected readonly format: TranscriptFormat,
        protected readonly totalBytes: number, protected readonly options: ImportOptions) {
        this.chunkSize = Math.max(1, options.chunkSize ?? 2000);
    }

    async run(): Promise<void> {
        try {
            if (this.format === 'claude-code') {
                await this.runClaudeCode();
            } else {
                await this.runArchive();
            }
            for (const open of this.order) {
                await this.flush(open, true);
            }
        } finally {
            // Even a failed or cancelled import leaves its sessions ended, with what was written.
            for (const open of this.order) {
                this.end(open);
            }
        }
        this.progress(true);
    }

    report(): Omit<ImportReport, 'durationMs'> {
        return {
            format: this.format, file: this.file, lines: this.lines, events: this.events,
            sessions: this.order.map(o => ({ id: o.writer.sessionId, title: o.title, events: o.writer.eventCount })),
            skipped: this.skipped, skippedCount: this.skippedCount,
            ignored: [...this.ignored].map(([type, v]): IgnoredLines => ({ type, count: v.count, lines: v.lines })),
        };
    }

    protected async runClaudeCode(): Promise<void> {
        const reader = new ClaudeCodeTranscriptReader();
        const base = path.basename(this.file);
        let open: OpenImport | undefined;
        for await (const { line, text, bytesRead } of jsonlLines(this.file)) {
            this.step(line, bytesRead);
            const outcome: LineOutcome = reader.read(text);
            if (outcome.kind === 'skipped') {
                this.skip(line, outcome.reason);
            } else if (outcome.kind === 'ignored') {
                this.ignore(outcome.type, line);
            } else if (outcome.inputs.length) {
                open ??= this.open({
                    title: this.options.title ?? reader.title ?? base, source: `claude-code:${base}`,
                    startedAt: firstAt(outcome.inputs) ?? this.now(), lanes: [], laneNames: [ClaudeCodeLane, ClaudeCodeSubagentLane],
                });
                await this.add(open, outcome.inputs);
            }
        }
        const rest = reader.finish();
        if (rest.length && open) {
            await this.add(open, rest);
        }
        if (open) {
            open.title = this.options.title ?? reader.title ?? (reader.firstUserText ? oneLine(reader.firstUserText, 120) : base);
        }
    }

    protected async runArchive(): Promise<void> {
        const base = path.basename(this.file);
        for await (const { line, text, bytesRead } of jsonlLines(this.file)) {
            this.step(line, bytesRead);
            if (text.trim() === '') {
                this.ignore('(blank line)', line);
                continue;
            }
            let parsed;
            try {
                parsed = parseArchiveLine(text);
            } catch (error) {
                this.skip(line, error instanceof ArchiveLineError ? error.message : String(error));
                continue;
            }
            if (parsed.t === 'session') {
                if (!this.sessions.has(parsed.id)) {
                    this.sessions.set(parsed.id, this.open({
                        title: this.options.title ?? parsed.title, source: `archive:${base}${parsed.source ? ` (${parsed.source})` : ''}`,
                        startedAt: parsed.startedAt, lanes: parsed.lanes, laneNames: parsed.lanes, preferredId: parsed.id,
                    }));
                } else {
                    this.ignore('session (a later part)', line);
                }
                continue;
            }
            const open = this.sessions.get(parsed.session);
            if (!open || open.ended) {
                this.skip(line, open ? `an ${parsed.t} line of session ${parsed.session} after its end line` : `an ${parsed.t} line of session ${parsed.session} before any "session" line of it`);
                continue;
            }
            if (parsed.t === 'event') {
                await this.add(open, [{ type: 'archived', event: { kind: parsed.kind, agentId: parsed.agent, taskId: parsed.task, path: parsed.path, at: parsed.at, data: parsed.data } }]);
            } else {
                if (parsed.title !== undefined && this.options.title === undefined) {
                    open.title = parsed.title;
                }
                await this.flush(open, true);
                this.end(open, parsed.endedAt);
            }
        }
    }

    protected open(meta: { title: string; source: string; startedAt: number; lanes: readonly TimelineLane[]; laneNames: readonly TimelineLane[]; preferredId?: string }): OpenImport {
        const id = meta.preferredId && this.target.isSessionIdFree(meta.preferredId) ? meta.preferredId : this.target.newSessionId();
        const title = oneLine(meta.title, 200) || path.basename(this.file);
        this.target.repo.insertSession({ id, kind: 'import', title, source: meta.source, startedAt: meta.startedAt, lanes: meta.lanes });
        const session: SessionInfo = { id, kind: 'import', title, source: meta.source, startedAt: meta.startedAt, eventCount: 0, lanes: meta.lanes, live: false };
        this.target.archive?.openSession({ id, kind: 'import', title, source: meta.source, startedAt: meta.startedAt, lanes: meta.lanes });
        const names = new Map(meta.laneNames.map(l => [l.id, l.name]));
        const writer = new SessionWriter(this.target.repo, session, this.target.archive, { secrets: this.target.secrets, now: this.target.now, laneName: id => names.get(id) });
        const open: OpenImport = { writer, title, headerTitle: title, pending: [], ended: false };
        this.order.push(open);
        return open;
    }

    protected async add(open: OpenImport, inputs: readonly WriterInput[]): Promise<void> {
        open.pending.push(...inputs);
        if (open.pending.length >= this.chunkSize) {
            await this.flush(open, false);
        }
    }

    protected async flush(open: OpenImport, all: boolean): Promise<void> {
        while (open.pending.length >= (all ? 1 : this.chunkSize)) {
            this.options.signal?.throwIfAborted();
            const chunk = open.pending.splice(0, this.chunkSize);
            this.events += open.writer.write(chunk).length;
            this.progress(false);
            await yieldToEventLoop();
        }
    }

    protected end(open: OpenImport, endedAt?: number): void {
        if (open.ended) {
            return;
        }
        open.ended = true;
        const repo = this.target.repo;
        if (open.title !== open.headerTitle) {
            repo.setTitle(open.writer.sessionId, open.title);
        }
        const at = Math.max(endedAt ?? 0, open.writer.lastEventAt);
        repo.endSession(open.writer.sessionId, at);
        this.target.archive?.endSession(open.writer.sessionId, {
            endedAt: at, events: open.writer.eventCount, lanes: open.writer.currentLanes, ...(open.title !== open.headerTitle ? { title: open.title } : {}),
        });
    }

    protected step(line: number, bytesRead: number): void {
        this.lines = line;
        this.bytesRead = bytesRead;
    }

    protected skip(line: number, why: string): void {
        // A parse error quotes the line, which may hold a key: reasons are masked like everything else.
        const reason = maskSecrets(why, this.target.secrets());
        this.skippedCount++;
        if (this.skipped.length < MaxListedSkips) {
            this.skipped.push({ line, reason });
        } else if (this.skipped.length === MaxListedSkips) {
            this.skipped.push({ line, reason: `${reason} (and every later skipped line is counted but not listed)` });
        }
    }

    protected ignore(type: string, line: number): void {
        const entry = this.ignored.get(type) ?? { count: 0, lines: [] };
        entry.count++;
        if (entry.lines.length < MaxListedIgnoredLines) {
            entry.lines.push(line);
        }
        this.ignored.set(type, entry);
    }

    protected progress(final: boolean): void {
        const now = Date.now();
        if (this.options.onProgress && (final || now - this.lastProgress >= 100)) {
            this.lastProgress = now;
            this.options.onProgress({ bytesRead: final ? this.totalBytes : this.bytesRead, totalBytes: this.totalBytes, lines: this.lines, events: this.events });
        }
    }

    protected now(): number {
        return this.target.now?.() ?? Date.now();
    }
}

function firstAt(inputs: readonly WriterInput[]): number | undefined {
    for (const input of inputs) {
        const at = input.type === 'file-edit' ? input.edit.at : input.event.at;
        if (at !== undefined) {
            return at;
        }
    }
    return undefined;
}
