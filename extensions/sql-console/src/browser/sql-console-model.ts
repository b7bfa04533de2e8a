import { ClipboardService } from '@theia/core/lib/browser/clipboard-service';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { StudioViewModel } from '@coditect/studio-platform/browser';
import {
    CellValue, ConsoleUser, DatabaseSummary, ExportFormat, HistoryEntry, RunResult, SchemaTable, SqlConsoleService,
} from '../common/sql-console-protocol';
import { SqlConsolePageSizePreference, SqlConsolePreferences, SqlConsoleTimeoutPreference } from '../common/sql-console-preferences';
import { cellText, compareCells, rowsAsTsv } from './cell-text';

export type SqlConsoleTab = 'results' | 'messages' | 'history';

/** What the editor holds when a run starts: the backend picks the statement to run from it. */
export interface SqlEditorState {
    readonly text: string;
    readonly cursor: number;
    readonly selection?: { readonly start: number; readonly end: number };
}

export interface SqlColumnSort {
    readonly column: number;
    readonly descending: boolean;
}

export interface SqlCellDetail {
    readonly title: string;
    readonly value: string;
}

/**
 * The state of one SQL console: the databases and the chosen one, its schema, the user and
 * whether they may write, the last run's result (paged, sorted, selected), the history and the
 * opened cell. Every change fires `onDidChange`; the view renders from here and knows nothing of
 * the service. One model per console (the editor's text is the view's: it is Monaco's).
 */
@injectable()
export class SqlConsoleModel extends StudioViewModel {

    @inject(SqlConsoleService) protected readonly service: SqlConsoleService;
    @inject(SqlConsolePreferences) protected readonly preferences: SqlConsolePreferences;
    @inject(ClipboardService) protected readonly clipboard: ClipboardService;
    @inject(MessageService) protected readonly messages: MessageService;

    protected readonly schemaLoaded = new Emitter<SchemaTable[]>();
    /** The chosen database's schema arrived (for completion). */
    readonly onDidLoadSchema: Event<SchemaTable[]> = this.schemaLoaded.event;

    protected _databases: DatabaseSummary[] = [];
    protected _database = 'workspace';
    protected _user: ConsoleUser | undefined;
    protected _canWrite = false;
    protected _allowWrites = false;
    protected _schema: SchemaTable[] | undefined;
    protected _schemaError: string | undefined;
    protected _running = false;
    protected _result: RunResult | undefined;
    protected _rows: CellValue[][] = [];
    protected _hasMore = false;
    protected _loadingMore = false;
    protected _sort: SqlColumnSort | undefined;
    protected _selected: ReadonlySet<number> = new Set();
    protected _tab: SqlConsoleTab = 'results';
    protected _history: HistoryEntry[] = [];
    protected _detail: SqlCellDetail | undefined;
    /** Settles once the user, the databases, the schema and the history were first read. */
    protected loaded: Promise<void>;

    @postConstruct()
    protected init(): void {
        this.toDispose.push(this.schemaLoaded);
        this.loaded = this.load();
    }

    get ready(): Promise<void> {
        return this.loaded;
    }

    get databases(): readonly DatabaseSummary[] { return this._databases; }
    get database(): string { return this._database; }
    get currentDatabase(): DatabaseSummary | undefined { return this._databases.find(d => d.name === this._database); }
    get user(): ConsoleUser | undefined { return this._user; }
    get canWrite(): boolean { return this._canWrite; }
    get allowWrites(): boolean { return this._allowWrites; }
    /** Runs write only when the role allows it and the user asked for it. */
    get writeMode(): boolean { return this._canWrite && this._allowWrites; }
    get schema(): readonly SchemaTable[] | undefined { return this._schema; }
    get schemaError(): string | undefined { return this._schemaError; }
    get running(): boolean { return this._running; }
    get result(): RunResult | undefined { return this._result; }
    /** The rows loaded so far, in the order the backend sent them. */
    get rows(): readonly CellValue[][] { return this._rows; }
    get hasMore(): boolean { return this._hasMore; }
    get loadingMore(): boolean { return this._loadingMore; }
    get sort(): SqlColumnSort | undefined { return this._sort; }
    /** Indexes into `sortedRows`. */
    get selected(): ReadonlySet<number> { return this._selected; }
    get tab(): SqlConsoleTab { return this._tab; }
    get history(): readonly HistoryEntry[] { return this._history; }
    get detail(): SqlCellDetail | undefined { return this._detail; }

    protected async load(): Promise<void> {
        try {
            const [{ user, canWrite }, databases] = await Promise.all([this.service.whoAmI(), this.service.databases()]);
            this._user = user;
            this._canWrite = canWrite;
            this._databases = databases;
            this.fire();
            await Promise.all([this.loadSchema(), this.loadHistory()]);
        } catch (error) {
            this.messages.error(nls.localize('coditect/sql-console/backend-unreachable', 'The SQL console could not reach the studio backend: {0}', (error as Error).message));
        }
    }

    /** Shows `database` in the picker (and its schema). */
    selectDatabase(database: string): void {
        if (database !== this._database) {
            this._database = database;
            void this.loadSchema();
            this.fire();
        }
    }

    setAllowWrites(allow: boolean): void {
        this._allowWrites = allow;
        this.fire();
    }

    setTab(tab: SqlConsoleTab): void {
        this._tab = tab;
        this.fire();
    }

    /** Reads the chosen database's schema; an answer for a database no longer chosen is dropped. */
    protected async loadSchema(): Promise<void> {
        const database = this._database;
        this._schema = undefined;
        this._schemaError = undefined;
        this.fire();
        try {
            const schema = await this.service.schema(database);
            if (database === this._database) {
                this._schema = schema;
                this.schemaLoaded.fire(schema);
            }
        } catch (error) {
            this._schemaError = (error as Error).message;
        }
        this.fire();
    }

    protected async loadHistory(): Promise<void> {
        this._history = await this.service.history(100);
        this.fire();
    }

    /**
     * Runs what `state` points at on the chosen database; one run at a time. Resolves with the
     * result (also kept in `result`), or undefined when nothing ran.
     */
    async run(state: SqlEditorState | undefined, explainPlan = false): Promise<RunResult | undefined> {
        if (this._running) {
            return undefined;
        }
        if (!state?.text.trim()) {
            this.messages.info(nls.localize('coditect/sql-console/nothing-to-run', 'There is nothing to run: write a SQL statement in the editor first.'));
            return undefined;
        }
        this._running = true;
        this.fire();
        let result: RunResult | undefined;
        try {
            result = await this.service.run({
                database: this._database, sql: state.text, cursor: state.cursor, selection: state.selection, allowWrites: this.writeMode, explainPlan,
                timeoutMs: this.preferences[SqlConsoleTimeoutPreference], pageSize: this.preferences[SqlConsolePageSizePreference],
            });
            this.showResult(result);
            if (result.mode === 'write' && result.committed) {
                void this.loadSchema();
            }
        } catch (error) {
            this.messages.error(nls.localize('coditect/sql-console/send-failed', 'The query could not be sent: {0}', (error as Error).message));
        } finally {
            this._running = false;
            this.fire();
            void this.loadHistory();
        }
        return result;
    }

    async cancel(): Promise<void> {
        await this.service.cancel(this._database);
    }

    /** Replaces the result; the previous run's cursor is closed on the backend when it still had rows to give. */
    protected showResult(result: RunResult): void {
        if (this._result?.page && this._hasMore) {
            void this.service.closeRun(this._result.runId);
        }
        this._result = result;
        this._rows = result.page ? [...result.page.rows] : [];
        this._hasMore = result.page?.hasMore ?? false;
        this._sort = undefined;
        this._selected = new Set();
        this._tab = result.error && !result.page ? 'messages' : 'results';
    }

    /** Fetches the next page of the result (one request at a time). */
    async loadMore(): Promise<void> {
        if (!this._result || !this._hasMore || this._loadingMore) {
            return;
        }
        this._loadingMore = true;
        this.fire();
        try {
            const page = await this.service.fetch(this._result.runId, this.preferences[SqlConsolePageSizePreference]);
            this._rows.push(...page.rows);
            this._hasMore = page.hasMore;
        } catch (error) {
            this._hasMore = false;
            this.messages.error(nls.localize('coditect/sql-console/more-rows-failed', 'Could not load more rows: {0}', (error as Error).message));
        } finally {
            this._loadingMore = false;
            this.fire();
        }
    }

    /** The loaded rows in display order: sorted in the browser, so only what is loaded is sorted. */
    sortedRows(): CellValue[][] {
        if (!this._sort) {
            return this._rows;
        }
        const { column, descending } = this._sort;
        return [...this._rows].sort((a, b) => (descending ? -1 : 1) * compareCells(a[column], b[column]));
    }

    /** A header click: ascending, then descending, then the backend's order. Clears the selection (its indexes would move). */
    toggleSort(column: number): void {
        const sort = this._sort;
        this._sort = sort?.column !== column ? { column, descending: false } : sort.descending ? undefined : { column, descending: true };
        this._selected = new Set();
        this.fire();
    }

    selectRow(row: number, extend: boolean): void {
        this._selected = extend ? new Set([...this._selected, row]) : new Set([row]);
        this.fire();
    }

    /** Copies the selected rows, or all loaded ones, as tab-separated text with a header. */
    async copySelection(): Promise<void> {
        const rows = this.sortedRows();
        const chosen = this._selected.size ? [...this._selected].sort((a, b) => a - b).map(i => rows[i]) : rows;
        await this.clipboard.writeText(rowsAsTsv(this._result?.columns?.map(c => c.name) ?? [], chosen));
        this.messages.info(chosen.length === 1
            ? nls.localize('coditect/sql-console/copied-row', 'Copied 1 row (tab-separated, with a header).')
            : nls.localize('coditect/sql-console/copied-rows', 'Copied {0} rows (tab-separated, with a header).', chosen.length));
    }

    /** Opens a cell (of `sortedRows`) whole: a cut value is fetched in full from the run. */
    async openCell(row: number, column: number): Promise<void> {
        const cell = this.sortedRows()[row]?.[column];
        const name = this._result?.columns?.[column]?.name ?? '';
        let value = cell === null || cell === undefined ? 'NULL' : cellText(cell);
        if (cell && typeof cell === 'object' && 'ref' in cell && cell.ref && this._result) {
            try {
                value = await this.service.cell(this._result.runId, cell.ref);
            } catch (error) {
                value = `${value}\n\n(${(error as Error).message})`;
            }
        }
        this._detail = { title: nls.localize('coditect/sql-console/cell-title', 'Row {0}, {1}', row + 1, name), value };
        this.fire();
    }

    closeDetail(): void {
        this._detail = undefined;
        this.fire();
    }

    async copyText(text: string): Promise<void> {
        await this.clipboard.writeText(text);
    }

    /** A one-time link that streams the last result's query (re-run read-only) as `format`; undefined when it could not be prepared. */
    async prepareExport(format: ExportFormat): Promise<string | undefined> {
        if (!this._result) {
            return undefined;
        }
        try {
            return await this.service.prepareExport({ database: this._result.database, sql: this._result.sql, format, timeoutMs: this.preferences[SqlConsoleTimeoutPreference] });
        } catch (error) {
            this.messages.error(nls.localize('coditect/sql-console/export-failed', 'The export could not start: {0}', (error as Error).message));
            return undefined;
        }
    }
}
