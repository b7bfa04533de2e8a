/**
 * The half of a query worker that runs inside the worker process, shared by every worker entry:
 * the pool's (query-worker-main.ts) and a session's (the SQL console's, which runs scripts). It reads
 * the arguments `forkQueryWorker` passed, opens the connection with the cluster's pragmas, and
 * serves one request at a time over the IPC channel until the parent goes away.
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { QueryWorkerArgs } from './query-worker-protocol';

/** The arguments `forkQueryWorker` (query-worker-process.ts) put on this process's command line. */
export function queryWorkerArgs(argv: readonly string[] = process.argv.slice(2)): Required<QueryWorkerArgs> {
    const [file, busyTimeout, mode, synchronous] = argv;
    return {
        file,
        busyTimeoutMs: Number(busyTimeout) || 5000,
        mode: mode === 'write' ? 'write' : 'read',
        synchronous: synchronous === 'NORMAL' ? 'NORMAL' : 'FULL',
    };
}

/** Read-only (the file opened read-only and `query_only`), or for console writes, read-write with the cluster's pragmas. */
export function openWorkerConnection(args: Required<QueryWorkerArgs>): BetterSqlite3.Database {
    const connection = new Database(args.file, { readonly: args.mode === 'read', fileMustExist: true, timeout: args.busyTimeoutMs });
    connection.pragma(`busy_timeout = ${args.busyTimeoutMs}`);
    if (args.mode === 'read') {
        connection.pragma('query_only = ON');
    } else {
        // Same as the cluster's writer (database-open.ts): checkpoints are the checkpointer's alone.
        connection.pragma('wal_autocheckpoint = 0');
        connection.pragma('foreign_keys = ON');
        connection.pragma(`synchronous = ${args.synchronous}`);
    }
    return connection;
}

/** A failed request's answer: the error's message and its SQLite code, if any. */
export function workerFailure(id: number, error: unknown): { id: number; ok: false; message: string; code?: string } {
    const code = (error as { code?: unknown }).code;
    return { id, ok: false, message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined };
}

/**
 * Answers each request from the parent with `answer` (which never throws: it answers failures
 * with `workerFailure`), one at a time, in order. When the parent goes away, `close` releases the
 * connections and the process exits.
 */
export function serveQueryWorker<Request, Answer>(answer: (request: Request) => Answer, close: () => void): void {
    process.on('message', (request: Request) => process.send?.(answer(request)));
    process.on('disconnect', () => {
        close();
        process.exit(0);
    });
}
