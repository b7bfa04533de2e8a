import type { SqliteDatabase } from '../database/sqlite-database';
import type { SqlConnection, SqlParam } from '../database/sql-connection';
import {
    EditedFile, isTimelineEventKind, JsonObject, SessionInfo, SessionKind, TaskLocation, TimelineError, TimelineEvent,
    TimelineEventKind, TimelineEventSummary, TimelineFilter, TimelineLane,
} from './timeline-types';

interface SessionRow {
    id: string; kind: SessionKind; title: string; source: string | null; started_at: number; ended_at: number | null;
    event_count: number; last_at: number | null; lanes_json: string;
}

interface SummaryRow {
    id: number; n: number; session_id: string; at: number; kind: string; agent_id: string | null; task_id: number | null; path: string | null; summary: string;
}

/** A row about to be inserted. `seq` is set only when a rebuild restores an archived sequence number. */
export interface NewEventRow {
    readonly seq?: number;
    readonly n: number;
    readonly kind: TimelineEventKind;
    readonly agentId?: string;
    readonly taskId?: number;
    readonly path?: string;
    readonly summary: string;
    readonly dataJson: string;
    readonly at: number;
}

export interface NewSession {
    readonly id: string;
    readonly kind: SessionKind;
    readonly title: string;
    readonly source?: string;
    readonly startedAt: number;
    readonly endedAt?: number;
    readonly lanes?: readonly TimelineLane[];
}

const summaryColumns = 'id, n, session_id, at, kind, agent_id, task_id, path, summary';

const toSummary = (r: SummaryRow): TimelineEventSummary => ({
    seq: r.id, n: r.n, sessionId: r.session_id, at: r.at, kind: r.kind as TimelineEventKind,
    ...(r.agent_id !== null ? { agentId: r.agent_id } : {}), ...(r.task_id !== null ? { taskId: r.task_id } : {}),
    ...(r.path !== null ? { path: r.path } : {}), summary: r.summary,
});

/** Bounds every page, whatever a caller asks for. */
export const MaxPageSize = 1000;

/**
 * SQL of the session timeline, `sessions.db` tables `sessions` and `timeline_events`
 * (migration 3). Reads run on the database's main-thread reader: every query here is an index
 * lookup or a scan of the covering scan index, so a seek stays in the low milliseconds at
 * 100,000 events (bench `timeline`).
 */
export class TimelineRepository {
    constructor(readonly db: SqliteDatabase) {
        if (db.name !== 'sessions') {
            throw new Error(`The timeline needs the sessions database, not the ${db.label}.`);
        }
    }

    // ---- sessions ----

    insertSession(session: NewSession, tx?: SqlConnection): void {
        (tx ?? this.db).run('INSERT INTO sessions (id, kind, title, source, started_at, ended_at, lanes_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
            session.id, session.kind, session.title, session.source ?? null, session.startedAt, session.endedAt ?? null, JSON.stringify(session.lanes ?? []));
    }

    session(id: string, liveId?: string): SessionInfo | undefined {
        const row = this.db.get<SessionRow>('SELECT * FROM sessions WHERE id = ?', id);
        return row && this.toSession(row, liveId);
    }

    /** The newest first. */
    sessions(limit: number, liveId?: string): SessionInfo[] {
        return this.db.all<SessionRow>('SELECT * FROM sessions ORDER BY started_at DESC, id DESC LIMIT ?', limit).map(r => this.toSession(r, liveId));
    }

    /** Counters and lanes after a batch, in the batch's transaction. */
    updateSessionProgress(tx: SqlConnection, id: string, eventCount: number, lastAt: number, lanes: readonly TimelineLane[] | undefined): void {
        if (lanes) {
            tx.run('UPDATE sessions SET event_count = ?, last_at = ?, lanes_json = ? WHERE id = ?', eventCount, lastAt, JSON.stringify(lanes), id);
        } else {
            tx.run('UPDATE sessions SET event_count = ?, last_at = ? WHERE id = ?', eventCount, lastAt, id);
        }
    }

    endSession(id: string, endedAt: number): void {
        this.db.run('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL', endedAt, id);
    }

    setTitle(id: string, title: string): void {
        this.db.run('UPDATE sessions SET title = ? WHERE id = ?', title, id);
    }

    /**
     * Sessions a process left open without ending them (a run whose studio crashed, an import
     * cut off): ended at their last event. Returns their ids.
     */
    sealAbandoned(): string[] {
        const rows = this.db.all<{ id: string; started_at: number; last_at: number | null }>('SELECT id, started_at, last_at FROM sessions WHERE ended_at IS NULL');
        for (const row of rows) {
            this.endSession(row.id, row.last_at ?? row.started_at);
        }
        return rows.map(r => r.id);
    }

    // ---- writing events ----

    /** Inserts in order, in the caller's transaction; returns each row's sequence number. */
    insertEvents(tx: SqlConnection, sessionId: string, rows: readonly NewEventRow[]): number[] {
        const seqs: number[] = [];
        for (const r of rows) {
            const result = tx.run('INSERT INTO timeline_events (id, session_id, n, kind, agent_id, task_id, path, summary, data_json, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                r.seq ?? null, sessionId, r.n, r.kind, r.agentId ?? null, r.taskId ?? null, r.path ?? null, r.summary, r.dataJson, r.at);
            seqs.push(Number(result.lastInsertRowid));
        }
        return seqs;
    }

    seqTaken(seq: number): boolean {
        return this.db.get('SELECT 1 AS x FROM timeline_events WHERE id = ?', seq) !== undefined;
    }

    // ---- reading events ----

    event(seq: number): TimelineEvent | undefined {
        const row = this.db.get<SummaryRow & { data_json: string }>(`SELECT ${summaryColumns}, data_json FROM timeline_events WHERE id = ?`, seq);
        return row && { ...toSummary(row), data: JSON.parse(row.data_json) as JsonObject };
    }

    /** The events at positions `from`… of the whole session (no filter): one range of the position index. */
    byPosition(sessionId: string, from: number, limit: number): TimelineEventSummary[] {
        return this.db.all<SummaryRow>(`SELECT ${summaryColumns} FROM timeline_events WHERE session_id = ? AND n >= ? ORDER BY n LIMIT ?`,
            sessionId, from, clampLimit(limit)).map(toSummary);
    }

    /**
     * The positions of the filter's events among positions `fromN` … `toN - 1`, in order: one walk
     * of the covering scan index (no table rows are read), for FilterIndexCache.
     */
    matchingPositions(sessionId: string, filter: TimelineFilter, fromN: number, toN: number): number[] {
        const where = filterSql(filter);
        return this.db.all<{ n: number }>(`SELECT n FROM timeline_events ${where.hint} WHERE session_id = ? AND n >= ? AND n < ? AND ${where.sql} ORDER BY n`,
            sessionId, fromN, toN, ...where.params).map(r => r.n);
    }

    /** The events at the given positions, in position order. */
    byPositions(sessionId: string, positions: readonly number[]): TimelineEventSummary[] {
        if (positions.length === 0) {
            return [];
        }
        return this.db.all<SummaryRow>(`SELECT ${summaryColumns} FROM timeline_events WHERE session_id = ? AND n IN (SELECT value FROM json_each(?)) ORDER BY n`,
            sessionId, JSON.stringify(positions.slice(0, MaxPageSize))).map(toSummary);
    }

    /** The position of the first event at or after `seq` in the session (undefined: none). */
    positionOfSeq(sessionId: string, seq: number): number | undefined {
        const exact = this.db.get<{ n: number; session_id: string }>('SELECT n, session_id FROM timeline_events WHERE id = ?', seq);
        if (exact?.session_id === sessionId) {
            return exact.n;
        }
        return this.db.get<{ n: number }>('SELECT n FROM timeline_events WHERE session_id = ? AND id >= ? ORDER BY id LIMIT 1', sessionId, seq)?.n;
    }

    /** The position of the first event at or after time `at` (times never go back within a session). */
    positionOfTime(sessionId: string, at: number): number | undefined {
        return this.db.get<{ n: number }>('SELECT n FROM timeline_events WHERE session_id = ? AND at >= ? ORDER BY at, n LIMIT 1', sessionId, at)?.n;
    }

    /** Events by position with their payloads (export). */
    eventsFrom(sessionId: string, fromN: number, limit: number): (TimelineEventSummary & { dataJson: string })[] {
        return this.db.all<SummaryRow & { data_json: string }>(`SELECT ${summaryColumns}, data_json FROM timeline_events WHERE session_id = ? AND n >= ? ORDER BY n LIMIT ?`,
            sessionId, fromN, limit).map(r => ({ ...toSummary(r), dataJson: r.data_json }));
    }

    /** The first event of a task, over every session. */
    taskLocation(taskId: number): TaskLocation | undefined {
        const row = this.db.get<{ session_id: string; id: number; n: number }>('SELECT session_id, id, n FROM timeline_events WHERE task_id = ? ORDER BY id LIMIT 1', taskId);
        return row && { sessionId: row.session_id, seq: row.id, n: row.n };
    }

    // ---- file edits ----

    /** The path's edits at or before `seq`, newest first (reconstruction walks back to a base). */
    editsBackFrom(sessionId: string, path: string, seq: number, limit: number): { seq: number; dataJson: string }[] {
        return this.db.all<{ id: number; data_json: string }>(`SELECT id, data_json FROM timeline_events
            WHERE session_id = ? AND path = ? AND kind = 'file-edit' AND id <= ? ORDER BY id DESC LIMIT ?`, sessionId, path, seq, limit)
            .map(r => ({ seq: r.id, dataJson: r.data_json }));
    }

    /** The path's first edit after `seq`. */
    firstEditAfter(sessionId: string, path: string, seq: number): { seq: number; dataJson: string } | undefined {
        const row = this.db.get<{ id: number; data_json: string }>(`SELECT id, data_json FROM timeline_events
            WHERE session_id = ? AND path = ? AND kind = 'file-edit' AND id > ? ORDER BY id LIMIT 1`, sessionId, path, seq);
        return row && { seq: row.id, dataJson: row.data_json };
    }

    /** The last edit of the path in the session (what the writer chains the next one to). */
    lastEdit(sessionId: string, path: string): { seq: number; dataJson: string } | undefined {
        return this.editsBackFrom(sessionId, path, Number.MAX_SAFE_INTEGER, 1)[0];
    }

    editedFiles(sessionId: string, uptoSeq: number): EditedFile[] {
        return this.db.all<{ path: string; edits: number; before: number; first: number; last: number }>(`SELECT path, count(*) AS edits,
                sum(id <= ?) AS before, min(id) AS first, max(id) AS last
              FROM timeline_events WHERE session_id = ? AND kind = 'file-edit' AND path IS NOT NULL GROUP BY path ORDER BY path`, uptoSeq, sessionId)
            .map(r => ({ path: r.path, edits: r.edits, editsBefore: r.before, firstSeq: r.first, lastSeq: r.last }));
    }

    protected toSession(row: SessionRow, liveId: string | undefined): SessionInfo {
        let lanes: TimelineLane[] = [];
        try {
            lanes = JSON.parse(row.lanes_json) as TimelineLane[];
        } catch {
            // A damaged lanes column only costs the lane names.
        }
        return {
            id: row.id, kind: row.kind, title: row.title, ...(row.source !== null ? { source: row.source } : {}), startedAt: row.started_at,
            ...(row.ended_at !== null ? { endedAt: row.ended_at } : {}), eventCount: row.event_count,
            ...(row.last_at !== null ? { lastAt: row.last_at } : {}), lanes, live: row.id === liveId,
        };
    }
}

const clampLimit = (limit: number) => Math.max(1, Math.min(MaxPageSize, Math.trunc(limit) || 1));

/**
 * The WHERE clause of a filter (after `session_id = ?`), with an index hint: lane and kind
 * filters walk the covering scan index in position order, so OFFSET and count never touch
 * table rows. Throws a TimelineError for a malformed filter.
 */
export function filterSql(filter: TimelineFilter): { sql: string; params: SqlParam[]; hint: string } {
    const parts: string[] = [];
    const params: SqlParam[] = [];
    if (filter.agents !== undefined) {
        if (!Array.isArray(filter.agents) || filter.agents.some(a => typeof a !== 'string')) {
            throw new TimelineError('The lane filter must be a list of agent ids (\'\' for events without an agent).');
        }
        const named = filter.agents.filter(a => a !== '');
        const alternatives = [
            ...(named.length ? [`agent_id IN (${named.map(() => '?').join(', ')})`] : []),
            ...(filter.agents.includes('') ? ['agent_id IS NULL'] : []),
        ];
        parts.push(alternatives.length ? `(${alternatives.join(' OR ')})` : '0');
        params.push(...named);
    }
    if (filter.kinds !== undefined) {
        const unknown = Array.isArray(filter.kinds) ? filter.kinds.filter(k => !isTimelineEventKind(k)) : ['(not a list)'];
        if (unknown.length) {
            throw new TimelineError(`Unknown event kind ${unknown.map(k => `"${String(k)}"`).join(', ')} in the filter; the kinds are listed in docs/timeline-archive.md.`);
        }
        parts.push(filter.kinds.length ? `kind IN (${filter.kinds.map(() => '?').join(', ')})` : '0');
        params.push(...filter.kinds);
    }
    if (filter.path !== undefined) {
        if (typeof filter.path !== 'string') {
            throw new TimelineError('The file filter must be a workspace-relative path.');
        }
        const path = filter.path.trim().replace(/^\.?\/+/, '').replace(/\/+$/, '');
        if (path !== '') {
            // The file itself, or anything under it when it is a folder ('/' + 1 is '0').
            parts.push('(path = ? OR (path > ? AND path < ?))');
            params.push(path, `${path}/`, `${path}0`);
        }
    }
    if (filter.taskId !== undefined) {
        if (!Number.isInteger(filter.taskId)) {
            throw new TimelineError('The task filter must be a task number.');
        }
        parts.push('task_id = ?');
        params.push(filter.taskId);
    }
    const byTask = filter.taskId !== undefined;
    return { sql: parts.length ? parts.join(' AND ') : '1', params, hint: byTask ? '' : 'INDEXED BY timeline_events_scan' };
}
