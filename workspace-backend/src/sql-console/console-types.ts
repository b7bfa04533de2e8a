import type { Violation } from './console-protection';

/**
 * What the SQL console sends and receives. Plain data only: it crosses a process boundary (the
 * query worker) and the browser connection, so no Buffers, BigInts or class instances.
 */

/** `read` runs on a read-only connection with `query_only`; `write` in one transaction on a read-write one. */
export type ConsoleMode = 'read' | 'write';

/**
 * One cell. Numbers that fit a double exactly, strings and null are sent as they are; the rest
 * is tagged. Long text and blobs are cut to a preview; `ref` fetches the whole value.
 */
export type CellValue = null | number | string | TaggedCell;
export type TaggedCell =
    | { readonly t: 'bigint'; readonly v: string }
    | { readonly t: 'blob'; readonly bytes: number; readonly hex: string; readonly ref?: number }
    | { readonly t: 'text'; readonly chars: number; readonly text: string; readonly ref: number };

export interface ColumnInfo {
    readonly name: string;
    /** The type the column was declared with (`INTEGER`, `TEXT`, ...), null for expressions. */
    readonly declaredType: string | null;
    readonly table: string | null;
}

export interface ResultPage {
    readonly rows: CellValue[][];
    /** Index of the first row of this page within the whole result. */
    readonly offset: number;
    readonly hasMore: boolean;
}

export interface StatementOutcome {
    readonly index: number;
    readonly sql: string;
    /** Where the statement starts in the script (0-based character offset). */
    readonly offset: number;
    /** `rows`: it returned rows; `change`: it wrote (rowsAffected); `other`: DDL, a pragma, ... */
    readonly kind: 'rows' | 'change' | 'other';
    readonly rowsAffected?: number;
    /** Rows read from it: the first page for the statement shown in the grid. */
    readonly rowsRead?: number;
    readonly durationMs: number;
}

/** Where in the script an error is, when SQLite named the token or object (better-sqlite3 does not expose sqlite3_error_offset). */
export interface ScriptPosition {
    readonly offset: number;
    /** 1-based. */
    readonly line: number;
    readonly column: number;
}

export type ConsoleErrorKind =
    /** The console would not run the statement (ATTACH, load_extension, a safety pragma, ...). */
    | 'refused'
    /** The user's role or the run's mode does not allow it (a write without admin + allow writes). */
    | 'forbidden'
    /** SQLite rejected it: syntax, no such table, constraint, ... */
    | 'sqlite'
    | 'timeout'
    | 'cancelled'
    /** The database is down, or the result asked for is gone. */
    | 'unavailable'
    /** Too many queries of this person, or of the workspace, are running; nothing was run. */
    | 'busy';

export interface ConsoleError {
    readonly kind: ConsoleErrorKind;
    /** Says what was wrong and what to do. */
    readonly message: string;
    readonly code?: string;
    /** The failing statement of the script, when one failed. */
    readonly statementIndex?: number;
    readonly statement?: string;
    readonly position?: ScriptPosition;
    /** A refusal that protects the audit trail, credentials or the studio's schema (console-protection.ts); audited by the policy. */
    readonly violation?: Violation;
}

export interface RunRequest {
    readonly database: string;
    /** One statement or a script of several, separated by semicolons. */
    readonly sql: string;
    /** Ask for a read-write run (admin only). */
    readonly allowWrites?: boolean;
    /** Prefix every statement with EXPLAIN QUERY PLAN (nothing is executed). */
    readonly explainPlan?: boolean;
    readonly timeoutMs?: number;
    readonly pageSize?: number;
    /**
     * When set, `sql` is the editor's whole text and only the statement at this offset runs (or
     * the selection, when `selection` is set): the console's Ctrl/Cmd+Enter.
     */
    readonly cursor?: number;
    readonly selection?: { readonly start: number; readonly end: number };
}

export interface RunResult {
    readonly runId: string;
    readonly database: string;
    readonly mode: ConsoleMode;
    /** The text that ran, and where it starts in the request's `sql` (not 0 when a `cursor` picked one statement). */
    readonly sql: string;
    readonly sqlOffset: number;
    readonly statements: readonly StatementOutcome[];
    /** The last statement that returned rows, with its first page. */
    readonly columns?: readonly ColumnInfo[];
    readonly page?: ResultPage;
    /** Set when the run failed; `statements` then lists those that ran before. */
    readonly error?: ConsoleError;
    /** For a write run: whether its transaction committed (false: nothing was written). */
    readonly committed?: boolean;
    readonly durationMs: number;
}

export interface DatabaseSummary {
    readonly name: string;
    readonly label: string;
    readonly holds: string;
    readonly open: boolean;
    /** Why it is not open. */
    readonly problem?: string;
}

export interface SchemaColumn {
    readonly name: string;
    readonly type: string;
    readonly notNull: boolean;
    readonly primaryKey: boolean;
}

export interface SchemaIndex {
    readonly name: string;
    readonly unique: boolean;
    readonly columns: readonly string[];
}

export interface SchemaTable {
    readonly name: string;
    readonly kind: 'table' | 'view';
    readonly columns: readonly SchemaColumn[];
    readonly indexes: readonly SchemaIndex[];
}

export interface HistoryEntry {
    readonly id: number;
    readonly database: string;
    readonly sql: string;
    readonly mode: ConsoleMode;
    readonly startedAt: number;
    readonly durationMs: number;
    /** `ok`, or the error kind. */
    readonly outcome: 'ok' | ConsoleErrorKind;
    readonly rows: number | null;
    readonly error: string | null;
}

export interface ConsoleUser {
    readonly id: string;
    readonly displayName: string;
    readonly role: 'developer' | 'admin';
}
