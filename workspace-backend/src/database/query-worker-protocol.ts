/** Messages between a database's query worker pool and its worker processes (query-worker-main.ts). */

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

/** How a worker process is started: `fork(entry, [file, busyTimeoutMs])`. */
export interface QueryWorkerArgs {
    readonly file: string;
    readonly busyTimeoutMs: number;
}
