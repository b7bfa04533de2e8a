import type {
    ConsoleUser, DatabaseSummary, HistoryEntry, ResultPage, RunRequest, RunResult, SchemaTable,
} from '@coditect/workspace-backend/types';

export type {
    CellValue, ColumnInfo, ConsoleError, ConsoleErrorKind, ConsoleMode, ConsoleUser, DatabaseSummary, HistoryEntry, ResultPage, RunRequest, RunResult,
    SchemaColumn, SchemaIndex, SchemaTable, ScriptPosition, StatementOutcome, TaggedCell,
} from '@coditect/workspace-backend/types';

export const SQL_CONSOLE_PATH = '/services/coditect/sql-console';
/** `GET <prefix>/<token>` streams an export prepared with `prepareExport`. */
export const SQL_EXPORT_HTTP_PREFIX = '/coditect/api/sql-console/export';

export type ExportFormat = 'csv' | 'json';

export const SqlConsoleService = Symbol('SqlConsoleService');
/**
 * The SQL console as the browser sees it. The caller is always this connection's user, and the
 * backend enforces what that user may do: the browser only hides what would be refused.
 */
export interface SqlConsoleService {
    /** Who this connection's user is; `canWrite` when their role may ask for read-write runs. */
    whoAmI(): Promise<{ user: ConsoleUser; canWrite: boolean }>;
    databases(): Promise<DatabaseSummary[]>;
    schema(database: string): Promise<SchemaTable[]>;
    /** Runs a statement or a script; failures come back in `RunResult.error`, not as exceptions. */
    run(request: RunRequest): Promise<RunResult>;
    /** The next page of a run's result. */
    fetch(runId: string, pageSize?: number): Promise<ResultPage>;
    /** The whole value behind a cut cell. */
    cell(runId: string, ref: number): Promise<string>;
    /** Stops this connection's query on `database`; false when none was running. */
    cancel(database: string): Promise<boolean>;
    closeRun(runId: string): Promise<void>;
    /** This user's runs, newest first. */
    history(limit?: number): Promise<HistoryEntry[]>;
    /** A one-time URL path (valid for a minute) that streams the query's rows as CSV or JSON. */
    prepareExport(request: { database: string; sql: string; format: ExportFormat; timeoutMs?: number }): Promise<string>;
}
