/** Messages between the main process and its query worker processes (query-worker-child.ts). */

/** A one-shot read (`SqliteDatabase.query`): all rows up to `maxRows`, in one answer. */
export interface QueryRequest {
    readonly id: number;
    readonly sql: string;
    readonly params: readonly unknown[] | Readonly<Record<string, unknown>>;
    /** Rows beyond this many are not read; the answer says it was truncated. */
    readonly maxRows: number;
}

export type QueryAnswer =
    | { readonly id: number; readonly ok: true; readonly columns: string[]; readonly rows: Record<string, unknown>[]; readonly truncated: boolean }
    | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string };

/**
 * A request to the worker of one `QueryWorkerSession` (query-worker-session.ts), before the
 * session numbers it. Which kinds there are, and what they answer, is the business of the
 * session's worker entry (the SQL console's: sql-console/console-worker-main.ts); the database
 * only carries them.
 */
export interface SessionMessage {
    readonly kind: string;
}

export type SessionRequest<M extends SessionMessage = SessionMessage> = M & { readonly id: number };

export type SessionAnswer =
    | { readonly id: number; readonly ok: true; readonly value: unknown }
    | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string };

/**
 * How a worker process is started: `fork(entry, [file, busyTimeoutMs, mode, synchronous])`.
 * `read` (the default) opens the file read-only with `query_only`; `write` opens it read-write
 * with the cluster's pragmas (foreign keys on, no automatic checkpoints, the database's
 * `synchronous`), for the SQL console's admin runs only.
 */
export interface QueryWorkerArgs {
    readonly file: string;
    readonly busyTimeoutMs: number;
    readonly mode?: 'read' | 'write';
    readonly synchronous?: 'FULL' | 'NORMAL';
}
