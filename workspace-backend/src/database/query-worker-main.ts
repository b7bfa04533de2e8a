/**
 * The entry of a query worker process (see query-worker-pool.ts and query-worker-session.ts): one
 * connection to one database, answering one request at a time over the IPC channel. It exits
 * when its parent goes away. A runaway query is stopped by the parent killing this process,
 * since SQLite's native loop cannot be interrupted from JavaScript.
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { ScriptRunner } from '../sql-console/script-runner';
import { QueryAnswer, QueryRequest, SessionAnswer, SessionRequest, WorkerRequest } from './query-worker-protocol';
import { SelfDeadline } from './self-deadline';

const [file, busyTimeout, modeArg, synchronousArg] = process.argv.slice(2);
const mode = modeArg === 'write' ? 'write' : 'read';
const timeout = Number(busyTimeout) || 5000;
let db: BetterSqlite3.Database | undefined;

/** Read-only (the file opened read-only and `query_only`), or for console writes, read-write with the cluster's pragmas. */
function open(): BetterSqlite3.Database {
    const connection = new Database(file, { readonly: mode === 'read', fileMustExist: true, timeout });
    connection.pragma(`busy_timeout = ${timeout}`);
    if (mode === 'read') {
        connection.pragma('query_only = ON');
    } else {
        // Same as the cluster's writer (database-open.ts): checkpoints are the checkpointer's alone.
        connection.pragma('wal_autocheckpoint = 0');
        connection.pragma('foreign_keys = ON');
        connection.pragma(`synchronous = ${synchronousArg === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    }
    return connection;
}

function connection(): BetterSqlite3.Database {
    db ??= open();
    return db;
}

const runner = new ScriptRunner(open, mode);
const deadline = new SelfDeadline();

function answer(request: QueryRequest): QueryAnswer {
    try {
        const statement = connection().prepare(request.sql);
        if (!statement.reader) {
            return { id: request.id, ok: false, message: 'only statements that return rows (SELECT, read-only PRAGMA) run here; writes go through the database\'s writer.' };
        }
        const columns = statement.columns().map(c => c.name);
        const rows: Record<string, unknown>[] = [];
        let truncated = false;
        const params = Array.isArray(request.params) ? request.params : [request.params];
        for (const row of statement.iterate(...params)) {
            if (rows.length >= request.maxRows) {
                truncated = true;
                break;
            }
            rows.push(row as Record<string, unknown>);
        }
        return { id: request.id, ok: true, columns, rows, truncated };
    } catch (error) {
        return failure(request.id, error);
    }
}

function answerSession(request: SessionRequest): SessionAnswer {
    try {
        switch (request.kind) {
            case 'script':
                if (request.selfDeadlineMs !== undefined) {
                    deadline.arm(request.selfDeadlineMs);
                }
                try {
                    return { id: request.id, ok: true, value: runner.run(request) };
                } finally {
                    deadline.disarm();
                }
            case 'fetch':
                return { id: request.id, ok: true, value: runner.fetch(request.pageSize, request.truncate) };
            case 'cell':
                return { id: request.id, ok: true, value: runner.cell(request.ref) };
            case 'close-cursor':
                runner.closeCursor();
                return { id: request.id, ok: true, value: null };
        }
    } catch (error) {
        return failure(request.id, error);
    }
}

function failure(id: number, error: unknown): { id: number; ok: false; message: string; code?: string } {
    const code = (error as { code?: unknown }).code;
    return { id, ok: false, message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined };
}

process.on('message', (request: WorkerRequest) => process.send?.(isSessionRequest(request) ? answerSession(request) : answer(request)));

function isSessionRequest(request: WorkerRequest): request is SessionRequest {
    return request.kind !== undefined && request.kind !== 'query';
}
process.on('disconnect', () => {
    runner.close();
    db?.close();
    process.exit(0);
});
