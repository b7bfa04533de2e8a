import type { ConsoleProtection } from '../sql-console/console-protection';

/** Messages between the main process and its query worker processes (query-worker-main.ts). */

/** A one-shot read (`SqliteDatabase.query`): all rows up to `maxRows`, in one answer. */
export interface QueryRequest {
    readonly kind?: 'query';
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
 * The SQL console's requests to the worker of one `QueryWorkerSession` (query-worker-session.ts).
 * A session's worker keeps state between them: the open result (a cursor) of its last script.
 */
export type SessionRequest =
    /** Runs a script (sql-console/script-runner.ts); answers with a `ScriptOutcome`. */
    | {
        readonly kind: 'script'; readonly id: number; readonly script: string; readonly pageSize: number; readonly explainPlan?: boolean; readonly truncate?: boolean;
        /** The worker kills itself this long after the script starts unless it has answered (self-deadline.ts). */
        readonly selfDeadlineMs?: number;
        /** What the script must not read, write or alter (sql-console/console-protection.ts). */
        readonly protection?: ConsoleProtection;
    }
    /** The next page of the open result; answers with a `ResultPage`. `truncate: false` sends whole values (exports). */
    | { readonly kind: 'fetch'; readonly id: number; readonly pageSize: number; readonly truncate: boolean }
    /** The whole value behind a cut cell; answers with a string. */
    | { readonly kind: 'cell'; readonly id: number; readonly ref: number }
    /** Closes the open result (ends its read transaction); answers with null. */
    | { readonly kind: 'close-cursor'; readonly id: number };

export type SessionAnswer =
    | { readonly id: number; readonly ok: true; readonly value: unknown }
    | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string };

export type WorkerRequest = QueryRequest | SessionRequest;

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
