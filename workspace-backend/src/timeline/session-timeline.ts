import * as fs from 'node:fs';
import * as path from 'node:path';
import { workspaceSecretValues } from '../providers/provider-secrets';
import { Emitter, Event } from '../common/emitter';
import type { SqliteDatabase } from '../database/sqlite-database';
import type { ComponentHealth } from '../health/workspace-health';
import type { ObjectStore } from '../object-store/object-store';
import { endLine, eventLine, isSessionId, sessionLine } from './archive-format';
import { ArchiveWriter } from './archive-writer';
import { fileStateAt } from './file-history';
import { FilterIndexCache } from './filter-index';
import { SessionWriter } from './session-writer';
import { newSessionId } from './timeline-config';
import { TimelineRecorder } from './timeline-recorder';
import { MaxPageSize, TimelineRepository } from './timeline-repository';
import {
    EditedFile, FileEditInput, FileState, ImportReport, SeekResult, SeekTarget, SessionInfo, TaskLocation, TimelineError, TimelineEvent,
    TimelineEventInput, TimelineEventSummary, TimelineFilter, TimelineLane, TimelinePage,
} from './timeline-types';
import { ImportOptions, importTranscript } from './transcript-import';

export interface SessionTimelineOptions {
    /** The sessions database. */
    readonly db: SqliteDatabase;
    /** Files a session never edited are read from here when asked how they were. */
    readonly workspaceDir?: string;
    /** The JSONL archive: a local folder, and the replica store it is uploaded to (if any). */
    readonly archive?: { readonly dir: string; readonly store?: ObjectStore; readonly partBytes?: number; readonly uploadIntervalMs?: number };
    /** Values masked out of everything recorded; default the environment's keys, tokens and passwords. */
    readonly secrets?: () => readonly string[];
    /** An agent's lane name; default its id. */
    readonly laneName?: (agentId: string) => string | undefined;
    readonly flushDelayMs?: number;
    readonly maxBatch?: number;
    readonly now?: () => number;
    /** Record this process's run as a session (the studio does; a command-line import does not). Default true. */
    readonly recordRun?: boolean;
    readonly runTitle?: string;
}

/** A session imported under an id of the importer's choosing (a migration's), so that it can be resumed. */
export interface ResumableImport {
    readonly id: string;
    readonly title: string;
    /** Where it came from; a session with the id but another source is not this import's. */
    readonly source: string;
    readonly startedAt: number;
    /** The session is over: it is ended after its events. Absent: it stays open for events to come. */
    readonly endedAt?: number;
    readonly lanes: readonly TimelineLane[];
}

export interface TimelineAppend {
    /** The session after the append (its count and lanes). */
    readonly session: SessionInfo;
    readonly events: readonly TimelineEventSummary[];
}

/** Secrets are read from the environment at most this often (masking runs per batch). */
const SecretsTtlMs = 5000;

/**
 * The session timeline (`core.timeline`): records the live run, answers replay queries,
 * imports transcripts, and keeps the JSONL archive.
 *
 * It knows nothing of the orchestrator, locks or chat: the composition root turns their
 * events into plain records (core/timeline-feed.ts) and hands them to `record`.
 *
 * Sessions: one per run of the studio on this workspace (from the core's start to its stop),
 * and one per imported transcript. A run that ended without a stop (a crash) is ended at its
 * last event on the next start, and its archive completed from the database.
 */
export class SessionTimeline {
    protected readonly appended = new Emitter<TimelineAppend>();
    /** Every batch of the live session, once committed. */
    readonly onDidAppend: Event<TimelineAppend> = this.appended.event;
    protected readonly sessionsChanged = new Emitter<void>();
    /** A session was added (an import) or ended. */
    readonly onDidChangeSessions: Event<void> = this.sessionsChanged.event;

    readonly repo: TimelineRepository;
    protected readonly archive: ArchiveWriter | undefined;
    protected recorder: TimelineRecorder | undefined;
    protected liveId: string | undefined;
    protected started = false;
    protected stopped = false;
    protected secretCache: { values: readonly string[]; at: number } | undefined;
    protected readonly imports = new Set<Promise<unknown>>();
    protected readonly filters: FilterIndexCache;

    constructor(protected readonly options: SessionTimelineOptions) {
        this.repo = new TimelineRepository(options.db);
        this.filters = new FilterIndexCache(this.repo);
        const archive = options.archive;
        this.archive = archive && new ArchiveWriter({
            dir: archive.dir, store: archive.store, partBytes: archive.partBytes ?? 8 * 1024 * 1024, uploadIntervalMs: archive.uploadIntervalMs ?? 10_000,
        });
    }

    /** Ends sessions a previous process left open (completing their archives), then starts recording this run. */
    start(): void {
        if (this.started) {
            return;
        }
        this.started = true;
        this.archive?.start();
        if (this.options.recordRun ?? true) {
            // Only the studio seals: a command-line import runs beside a studio whose run is open.
            for (const id of this.repo.sealAbandoned()) {
                this.completeArchive(id);
            }
            const now = this.now();
            const id = newSessionId('run', new Date(now));
            const title = this.options.runTitle ?? 'Studio run';
            this.repo.insertSession({ id, kind: 'run', title, startedAt: now });
            this.archive?.openSession({ id, kind: 'run', title, startedAt: now, lanes: [] });
            this.liveId = id;
            const writer = new SessionWriter(this.repo, this.repo.session(id, id)!, this.archive, { secrets: () => this.secrets(), laneName: this.options.laneName, now: this.options.now });
            this.recorder = new TimelineRecorder(writer, {
                flushDelayMs: this.options.flushDelayMs, maxBatch: this.options.maxBatch, now: this.options.now,
                onAppend: events => this.appended.fire({ session: this.repo.session(id, id)!, events }),
            });
        }
    }

    /** The session being recorded now, if any. */
    get currentSessionId(): string | undefined {
        return this.liveId;
    }

    /** Queues an event of the live run; returns at once (the database write happens within the flush delay). */
    record(event: TimelineEventInput): void {
        this.recorder?.record(event);
    }

    recordFileEdit(edit: FileEditInput): void {
        this.recorder?.recordFileEdit(edit);
    }

    /** Writes what the live run has queued now. */
    flush(): void {
        this.recorder?.flush();
    }

    /** Flushes, ends the live run, waits for imports in flight, writes and uploads the archive. */
    async stop(): Promise<void> {
        if (this.stopped) {
            return;
        }
        this.stopped = true;
        this.recorder?.stop();
        await Promise.allSettled([...this.imports]);
        if (this.liveId && this.recorder) {
            const writer = this.recorder.writer;
            const endedAt = Math.max(this.now(), writer.lastEventAt);
            try {
                this.repo.endSession(this.liveId, endedAt);
            } catch {
                // sessions.db is down: the next start ends the run at its last event.
            }
            this.archive?.endSession(this.liveId, { endedAt, events: writer.eventCount, lanes: writer.currentLanes });
        }
        await this.archive?.stop();
        this.appended.dispose();
        this.sessionsChanged.dispose();
    }

    // ---- queries ----

    sessions(limit = 500): SessionInfo[] {
        return this.repo.sessions(limit, this.liveId);
    }

    session(id: string): SessionInfo {
        const session = this.repo.session(id, this.liveId);
        if (!session) {
            throw new TimelineError(`There is no session "${id}"; pick one from the sessions list.`);
        }
        return session;
    }

    /** The filter's events of a session from its `offset`-th, at most `limit`. */
    page(sessionId: string, filter: TimelineFilter = {}, offset = 0, limit = 200): TimelinePage {
        this.flushIfLive(sessionId);
        const session = this.session(sessionId);
        const from = Math.max(0, Math.trunc(offset) || 0);
        if (isEmptyFilter(filter)) {
            return { total: session.eventCount, offset: from, events: this.repo.byPosition(sessionId, from, limit) };
        }
        const index = this.filters.get(sessionId, filter, session.eventCount);
        return { total: index.length, offset: from, events: this.repo.byPositions(sessionId, index.slice(from, clampLimit(limit))) };
    }

    /** Finds a point of the session (a position, a sequence number or a time) among the filter's events, with the events from there. */
    seek(sessionId: string, target: SeekTarget, filter: TimelineFilter = {}, limit = 200): SeekResult {
        this.flushIfLive(sessionId);
        const session = this.session(sessionId);
        const finite = (v: number) => {
            if (!Number.isFinite(v)) {
                throw new TimelineError(`Seek needs a number, not ${String(v)}.`);
            }
            return Math.trunc(v);
        };
        let n: number | undefined;
        if ('n' in target) {
            n = Math.max(0, finite(target.n));
        } else if ('seq' in target) {
            n = this.repo.positionOfSeq(sessionId, finite(target.seq));
        } else if ('at' in target) {
            n = this.repo.positionOfTime(sessionId, finite(target.at));
        } else {
            throw new TimelineError('Seek needs a position (n), a sequence number (seq) or a time (at).');
        }
        if (isEmptyFilter(filter)) {
            const total = session.eventCount;
            return n === undefined || n >= total ? { index: total, total, events: [] } : { index: n, total, events: this.repo.byPosition(sessionId, n, limit) };
        }
        const matching = this.filters.get(sessionId, filter, session.eventCount);
        const index = n === undefined ? matching.length : matching.rankOf(n);
        return { index, total: matching.length, events: this.repo.byPositions(sessionId, matching.slice(index, clampLimit(limit))) };
    }

    event(seq: number): TimelineEvent {
        this.recorder?.flush();
        const event = this.repo.event(seq);
        if (!event) {
            throw new TimelineError(`There is no event #${seq}.`);
        }
        return event;
    }

    /** A file as it was just after event `seq` of the session, rebuilt from its edits (docs/timeline-archive.md). */
    fileAt(sessionId: string, filePath: string, seq: number): FileState {
        this.session(sessionId);
        this.flushIfLive(sessionId);
        const clean = filePath.trim().replace(/\\/g, '/').replace(/^\.\/+/, '');
        if (!clean) {
            throw new TimelineError('Name a file: a workspace-relative path.');
        }
        return fileStateAt(this.repo, sessionId, clean, Math.trunc(seq), this.options.workspaceDir);
    }

    /** The files the session edited, with how many edits came at or before `uptoSeq`. */
    editedFiles(sessionId: string, uptoSeq = Number.MAX_SAFE_INTEGER): EditedFile[] {
        this.session(sessionId);
        this.flushIfLive(sessionId);
        return this.repo.editedFiles(sessionId, uptoSeq);
    }

    taskLocation(taskId: number): TaskLocation | undefined {
        this.recorder?.flush();
        return this.repo.taskLocation(taskId);
    }

    // ---- import and export ----

    /** Imports a transcript (Claude Code JSONL or our archive) as new sessions; see transcript-import.ts. */
    async importFile(file: string, options: ImportOptions = {}): Promise<ImportReport> {
        if (this.stopped) {
            throw new TimelineError('The studio is stopping; import the transcript after the restart.');
        }
        const work = importTranscript({
            repo: this.repo, archive: this.archive, secrets: () => this.secrets(), now: this.options.now,
            newSessionId: () => newSessionId('import', new Date(this.now())),
            isSessionIdFree: id => isSessionId(id) && !this.repo.session(id) && !(this.archive && fs.existsSync(path.join(this.archive.options.dir, id))),
        }, file, options);
        this.imports.add(work);
        try {
            return await work;
        } finally {
            this.imports.delete(work);
            this.sessionsChanged.fire();
        }
    }

    /**
     * Imports a session resumably: `events` is the session's whole sequence every time, and the
     * events the session already holds (its first `eventCount`) are not written again. So a run
     * cut off part way, run again, leaves the session as one uninterrupted import would, and a
     * source that grew at its end adds only what is new. Each chunk is one transaction; the
     * archive catches up with the database first (a cut between the two). A session that ended
     * takes no more events: that source changed after it was over, which is refused.
     */
    async importResumably(spec: ResumableImport, events: readonly TimelineEventInput[], chunkSize = 2000): Promise<{ added: number; events: number }> {
        if (!isSessionId(spec.id)) {
            throw new TimelineError(`"${spec.id}" is not a session id (letters, digits, ".", "_" and "-").`);
        }
        let session = this.repo.session(spec.id);
        if (session && (session.kind !== 'import' || session.source !== spec.source)) {
            throw new TimelineError(`Session ${spec.id} exists and is not the import of ${spec.source} (it is ${session.source ?? `a ${session.kind}`}); choose another id.`);
        }
        if (session && session.eventCount > events.length) {
            throw new TimelineError(`Session ${spec.id} holds ${session.eventCount} events, more than the ${events.length} of ${spec.source}: the source lost events since it was imported.`);
        }
        const added = events.length - (session?.eventCount ?? 0);
        if (session?.endedAt !== undefined) {
            if (added > 0) {
                throw new TimelineError(`Session ${spec.id} was imported as ended, and ${spec.source} has ${added} event(s) more: the source changed after it was over.`);
            }
            return { added: 0, events: session.eventCount };
        }
        const header = { id: spec.id, kind: 'import' as const, title: spec.title, source: spec.source, startedAt: spec.startedAt, lanes: spec.lanes };
        if (!session) {
            this.repo.insertSession(header);
            session = this.repo.session(spec.id)!;
        }
        if (this.archive) {
            this.appendMissingToArchive(session, this.archive.openSession(header));
        }
        const names = new Map(spec.lanes.map(l => [l.id, l.name]));
        const writer = new SessionWriter(this.repo, session, this.archive, { secrets: () => this.secrets(), now: this.options.now, laneName: id => names.get(id) });
        for (let i = session.eventCount; i < events.length; i += chunkSize) {
            writer.write(events.slice(i, i + chunkSize).map(event => ({ type: 'event' as const, event })));
            await new Promise(resolve => setImmediate(resolve));
        }
        if (spec.endedAt !== undefined) {
            // The archive's end line is on disk before the database says the session ended, so an ended session's archive is whole.
            const endedAt = Math.max(spec.endedAt, writer.lastEventAt);
            this.archive?.endSession(spec.id, { endedAt, events: writer.eventCount, lanes: writer.currentLanes });
            await this.archive?.flush();
            this.repo.endSession(spec.id, endedAt);
        }
        await this.archive?.flush();
        this.sessionsChanged.fire();
        return { added, events: writer.eventCount };
    }

    /** Writes a session as archive JSONL (its session line, every event, its end line) through `write`. */
    async exportSession(sessionId: string, write: (line: string) => void | Promise<void>): Promise<number> {
        this.flushIfLive(sessionId);
        const session = this.session(sessionId);
        await write(sessionLine({ id: session.id, kind: session.kind, title: session.title, ...(session.source ? { source: session.source } : {}), startedAt: session.startedAt, part: 1, lanes: session.lanes }));
        let n = 0;
        for (;;) {
            const rows = this.repo.eventsFrom(sessionId, n, 1000);
            for (const row of rows) {
                await write(eventLine(sessionId, row, row.dataJson));
            }
            if (rows.length < 1000) {
                break;
            }
            n = rows[rows.length - 1].n + 1;
        }
        const done = this.session(sessionId);
        await write(endLine({ session: sessionId, endedAt: done.endedAt ?? done.lastAt ?? done.startedAt, events: done.eventCount, lanes: done.lanes }));
        return done.eventCount;
    }

    health(): ComponentHealth {
        const recorder = this.recorder?.status();
        const archive = this.archive?.status();
        const problems = [recorder?.failure, archive?.lastError].filter((p): p is string => p !== undefined);
        const live = this.liveId ? `Recording ${this.liveId}: ${recorder?.written ?? 0} events this run` : 'Not recording';
        const archived = archive ? `; archive in ${archive.dir}${archive.store ? `, ${archive.pendingUploads} part(s) waiting to upload to ${archive.store}` : ' (no replica store)'}` : '';
        return {
            id: 'timeline', label: 'Session timeline', status: problems.length ? 'degraded' : 'ok',
            detail: `${live}${archived}.${problems.length ? ` ${problems.join('; ')}` : ''}`,
            metrics: { events: recorder?.written ?? 0, dropped: recorder?.dropped ?? 0, pendingUploads: archive?.pendingUploads ?? 0 },
        };
    }

    /** Uploads changed archive parts now (tests, the CLI). */
    async uploadArchive(): Promise<void> {
        await this.archive?.upload();
    }

    /** Resolves once every archive line written so far is on local disk. */
    async flushArchive(): Promise<void> {
        this.recorder?.flush();
        await this.archive?.flush();
    }

    protected flushIfLive(sessionId: string): void {
        if (sessionId === this.liveId) {
            this.recorder?.flush();
        }
    }

    /** Appends to a sealed session's archive what the database has and the archive lacks (a crash between commit and append), then its end line. */
    protected completeArchive(sessionId: string): void {
        const session = this.repo.session(sessionId);
        if (!this.archive || !session) {
            return;
        }
        const lastN = this.archive.openSession({ id: session.id, kind: session.kind, title: session.title, ...(session.source ? { source: session.source } : {}), startedAt: session.startedAt, lanes: session.lanes });
        this.appendMissingToArchive(session, lastN);
        this.archive.endSession(sessionId, { endedAt: session.endedAt ?? session.lastAt ?? session.startedAt, events: session.eventCount, lanes: session.lanes });
    }

    /** Appends to the session's open archive the events after position `lastN` that the database has (a cut between commit and append). */
    protected appendMissingToArchive(session: SessionInfo, lastN: number): void {
        for (let n = lastN + 1; n < session.eventCount;) {
            const rows = this.repo.eventsFrom(session.id, n, 1000);
            this.archive!.append(session.id, rows.map(r => eventLine(session.id, r, r.dataJson)));
            if (rows.length < 1000) {
                break;
            }
            n = rows[rows.length - 1].n + 1;
        }
    }

    protected secrets(): readonly string[] {
        if (this.options.secrets) {
            return this.options.secrets();
        }
        const now = Date.now();
        if (!this.secretCache || now - this.secretCache.at > SecretsTtlMs) {
            this.secretCache = { values: workspaceSecretValues(), at: now };
        }
        return this.secretCache.values;
    }

    protected now(): number {
        return this.options.now?.() ?? Date.now();
    }
}

const clampLimit = (limit: number) => Math.max(1, Math.min(MaxPageSize, Math.trunc(limit) || 1));

const isEmptyFilter = (f: TimelineFilter): boolean => f.agents === undefined && f.kinds === undefined && (f.path === undefined || f.path.trim() === '') && f.taskId === undefined;
