import * as React from '@theia/core/shared/react';
import * as monaco from '@theia/monaco-editor-core';
import { codicon, Message, ReactWidget, Widget } from '@theia/core/lib/browser';
import { ClipboardService } from '@theia/core/lib/browser/clipboard-service';
import { InMemoryResources } from '@theia/core/lib/common/resource';
import { MessageService } from '@theia/core/lib/common/message-service';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { MonacoEditorProvider } from '@theia/monaco/lib/browser/monaco-editor-provider';
import { SimpleMonacoEditor } from '@theia/monaco/lib/browser/simple-monaco-editor';
import {
    CellValue, ConsoleError, ConsoleUser, DatabaseSummary, ExportFormat, HistoryEntry, RunResult, SchemaTable, SqlConsoleService,
} from '../common/sql-console-protocol';
import { SqlConsolePageSizePreference, SqlConsolePreferences, SqlConsoleTimeoutPreference } from '../common/sql-console-preferences';
import { cellText, compareCells, rowsAsTsv } from './cell-text';
import { SqlLanguageSupport } from './sql-language';
import { SqlResultsGrid } from './sql-results-grid';
import { SqlSchemaTree } from './sql-schema-tree';

type Tab = 'results' | 'messages' | 'history';

const errorTitles: Record<ConsoleError['kind'], string> = {
    sqlite: 'SQLite rejected the query',
    refused: 'Not allowed in the SQL console',
    forbidden: 'Not allowed for your role',
    timeout: 'Stopped: time limit reached',
    cancelled: 'Cancelled',
    unavailable: 'Database unavailable',
    busy: 'Too many queries running',
};

/**
 * The SQL console: a database picker, a SQL editor (Ctrl/Cmd+Enter runs the statement under the
 * cursor or the selection), the schema of the chosen database, a paged results grid, the run's
 * messages and the user's history. The backend enforces roles; this view only hides the
 * "Allow writes" switch from those it would refuse.
 */
@injectable()
export class SqlConsoleWidget extends ReactWidget {
    static readonly ID = 'coditect-sql-console';
    static readonly LABEL = 'SQL Console';
    protected static nextEditor = 1;

    @inject(SqlConsoleService) protected readonly service: SqlConsoleService;
    @inject(MonacoEditorProvider) protected readonly editors: MonacoEditorProvider;
    @inject(InMemoryResources) protected readonly resources: InMemoryResources;
    @inject(SqlLanguageSupport) protected readonly language: SqlLanguageSupport;
    @inject(SqlConsolePreferences) protected readonly preferences: SqlConsolePreferences;
    @inject(ClipboardService) protected readonly clipboard: ClipboardService;
    @inject(MessageService) protected readonly messages: MessageService;

    protected readonly editorNode = document.createElement('div');
    protected readonly modelUri = new URI(`sql-console:/console-${SqlConsoleWidget.nextEditor++}.sql`);
    protected editor: SimpleMonacoEditor | undefined;

    protected databases: DatabaseSummary[] = [];
    protected database = 'workspace';
    protected user: ConsoleUser | undefined;
    protected canWrite = false;
    protected allowWrites = false;
    protected schema: SchemaTable[] | undefined;
    protected schemaError: string | undefined;
    protected running = false;
    protected result: RunResult | undefined;
    protected rows: CellValue[][] = [];
    protected hasMore = false;
    protected loadingMore = false;
    protected sort: { column: number; descending: boolean } | undefined;
    protected selected = new Set<number>();
    protected tab: Tab = 'results';
    protected history: HistoryEntry[] = [];
    protected detail: { title: string; value: string } | undefined;

    @postConstruct()
    protected init(): void {
        this.id = SqlConsoleWidget.ID;
        this.title.label = SqlConsoleWidget.LABEL;
        this.title.caption = 'Query the studio\'s databases';
        this.title.iconClass = codicon('database');
        this.title.closable = true;
        this.addClass('coditect-sql-console');
        this.editorNode.className = 'sql-editor-host';
        // Capture phase: Ctrl/Cmd+Enter runs, before Monaco's "insert line below" sees it.
        this.node.addEventListener('keydown', event => {
            if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
                event.preventDefault();
                event.stopPropagation();
                void this.run();
            }
        }, true);
        this.language.register();
        void this.createEditor();
        void this.load();
    }

    /** Shows `database` in the picker (and its schema). */
    selectDatabase(database: string): void {
        if (database !== this.database) {
            this.database = database;
            void this.loadSchema();
            this.update();
        }
    }

    protected async createEditor(): Promise<void> {
        const initial = '-- Pick a database above, write SQL, and press Ctrl+Enter (Cmd+Enter on macOS) to run the statement under the cursor.\nSELECT name, type FROM sqlite_schema ORDER BY type, name;\n';
        this.resources.add(this.modelUri, initial);
        this.editor = await this.editors.createSimpleInline(this.modelUri, this.editorNode, {
            language: 'sql', minimap: { enabled: false }, lineNumbers: 'on', lineNumbersMinChars: 3, lineDecorationsWidth: 10, glyphMargin: false, folding: false, scrollBeyondLastLine: false, automaticLayout: true, fontSize: 13,
            wordBasedSuggestions: 'off', suggestOnTriggerCharacters: true,
        });
        const model = this.editor.getControl().getModel();
        if (model && model.getLanguageId() !== 'sql') {
            monaco.editor.setModelLanguage(model as unknown as monaco.editor.ITextModel, 'sql');
        }
        this.toDispose.push(this.editor);
        this.toDispose.push({ dispose: () => this.language.forget(this.modelUri.toString()) });
        this.editor.getControl().setPosition({ lineNumber: 2, column: 1 });
    }

    protected async load(): Promise<void> {
        try {
            const [{ user, canWrite }, databases] = await Promise.all([this.service.whoAmI(), this.service.databases()]);
            this.user = user;
            this.canWrite = canWrite;
            this.databases = databases;
            this.update();
            await Promise.all([this.loadSchema(), this.loadHistory()]);
        } catch (error) {
            this.messages.error(`The SQL console could not reach the studio backend: ${(error as Error).message}`);
        }
    }

    protected async loadSchema(): Promise<void> {
        const database = this.database;
        this.schema = undefined;
        this.schemaError = undefined;
        this.update();
        try {
            const schema = await this.service.schema(database);
            if (database === this.database) {
                this.schema = schema;
                this.language.setSchema(this.modelUri.toString(), schema);
            }
        } catch (error) {
            this.schemaError = (error as Error).message;
        }
        this.update();
    }

    protected async loadHistory(): Promise<void> {
        this.history = await this.service.history(100);
        this.update();
    }

    /** The editor's text, the cursor and the selection: the backend picks the statement to run. */
    protected editorState(): { text: string; cursor: number; selection?: { start: number; end: number } } | undefined {
        const control = this.editor?.getControl();
        const model = control?.getModel();
        if (!control || !model) {
            return undefined;
        }
        const selection = control.getSelection();
        const position = control.getPosition();
        return {
            text: model.getValue(),
            cursor: position ? model.getOffsetAt(position) : 0,
            selection: selection && !selection.isEmpty() ? { start: model.getOffsetAt(selection.getStartPosition()), end: model.getOffsetAt(selection.getEndPosition()) } : undefined,
        };
    }

    async run(explainPlan = false): Promise<void> {
        if (this.running) {
            return;
        }
        const state = this.editorState();
        if (!state?.text.trim()) {
            this.messages.info('There is nothing to run: write a SQL statement in the editor first.');
            return;
        }
        this.running = true;
        this.clearMarkers();
        this.update();
        try {
            const result = await this.service.run({
                database: this.database, sql: state.text, cursor: state.cursor, selection: state.selection, allowWrites: this.canWrite && this.allowWrites, explainPlan,
                timeoutMs: this.preferences[SqlConsoleTimeoutPreference], pageSize: this.preferences[SqlConsolePageSizePreference],
            });
            this.showResult(result);
            if (result.mode === 'write' && result.committed) {
                void this.loadSchema();
            }
        } catch (error) {
            this.messages.error(`The query could not be sent: ${(error as Error).message}`);
        } finally {
            this.running = false;
            this.update();
            void this.loadHistory();
        }
    }

    async cancel(): Promise<void> {
        await this.service.cancel(this.database);
    }

    protected showResult(result: RunResult): void {
        if (this.result?.page && this.hasMore) {
            void this.service.closeRun(this.result.runId);
        }
        this.result = result;
        this.rows = result.page ? [...result.page.rows] : [];
        this.hasMore = result.page?.hasMore ?? false;
        this.sort = undefined;
        this.selected = new Set();
        this.tab = result.error && !result.page ? 'messages' : 'results';
        if (result.error?.position) {
            this.markError(result.error);
        }
    }

    /** Underlines the token SQLite named; the backend gives its position in the editor's text. */
    protected markError(error: ConsoleError): void {
        const model = this.editor?.getControl().getModel();
        if (!model || !error.position) {
            return;
        }
        const start = model.getPositionAt(error.position.offset);
        const word = model.getWordAtPosition(start);
        monaco.editor.setModelMarkers(model as unknown as monaco.editor.ITextModel, 'coditect-sql-console', [{
            severity: monaco.MarkerSeverity.Error, message: error.message,
            startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: start.lineNumber, endColumn: word ? word.endColumn : start.column + 1,
        }]);
        this.editor?.getControl().revealPositionInCenterIfOutsideViewport(start);
    }

    protected clearMarkers(): void {
        const model = this.editor?.getControl().getModel();
        if (model) {
            monaco.editor.setModelMarkers(model as unknown as monaco.editor.ITextModel, 'coditect-sql-console', []);
        }
    }

    protected async loadMore(): Promise<void> {
        if (!this.result || !this.hasMore || this.loadingMore) {
            return;
        }
        this.loadingMore = true;
        this.update();
        try {
            const page = await this.service.fetch(this.result.runId, this.preferences[SqlConsolePageSizePreference]);
            this.rows.push(...page.rows);
            this.hasMore = page.hasMore;
        } catch (error) {
            this.hasMore = false;
            this.messages.error(`Could not load more rows: ${(error as Error).message}`);
        } finally {
            this.loadingMore = false;
            this.update();
        }
    }

    protected sortedRows(): CellValue[][] {
        if (!this.sort) {
            return this.rows;
        }
        const { column, descending } = this.sort;
        return [...this.rows].sort((a, b) => (descending ? -1 : 1) * compareCells(a[column], b[column]));
    }

    protected async copySelection(): Promise<void> {
        const rows = this.sortedRows();
        const chosen = this.selected.size ? [...this.selected].sort((a, b) => a - b).map(i => rows[i]) : rows;
        await this.clipboard.writeText(rowsAsTsv(this.result?.columns?.map(c => c.name) ?? [], chosen));
        this.messages.info(`Copied ${chosen.length} row${chosen.length === 1 ? '' : 's'} (tab-separated, with a header).`);
    }

    protected async openCell(row: number, column: number): Promise<void> {
        const cell = this.sortedRows()[row]?.[column];
        const name = this.result?.columns?.[column]?.name ?? '';
        let value = cell === null || cell === undefined ? 'NULL' : cellText(cell);
        if (cell && typeof cell === 'object' && 'ref' in cell && cell.ref && this.result) {
            try {
                value = await this.service.cell(this.result.runId, cell.ref);
            } catch (error) {
                value = `${value}\n\n(${(error as Error).message})`;
            }
        }
        this.detail = { title: `Row ${row + 1}, ${name}`, value };
        this.update();
    }

    protected async exportAs(format: ExportFormat): Promise<void> {
        if (!this.result) {
            return;
        }
        try {
            const url = await this.service.prepareExport({ database: this.result.database, sql: this.result.sql, format, timeoutMs: this.preferences[SqlConsoleTimeoutPreference] });
            const link = document.createElement('a');
            link.href = new URL(url, window.location.href).toString();
            link.download = '';
            document.body.appendChild(link);
            link.click();
            link.remove();
        } catch (error) {
            this.messages.error(`The export could not start: ${(error as Error).message}`);
        }
    }

    protected insert(text: string): void {
        const control = this.editor?.getControl();
        const selection = control?.getSelection();
        if (control && selection) {
            control.executeEdits('sql-console', [{ range: selection, text, forceMoveMarkers: true }]);
            control.focus();
        }
    }

    protected override onActivateRequest(msg: Message): void {
        super.onActivateRequest(msg);
        this.editor?.focus();
    }

    protected override onResize(msg: Widget.ResizeMessage): void {
        super.onResize(msg);
        this.editor?.getControl().layout();
    }

    protected render(): React.ReactNode {
        const current = this.databases.find(d => d.name === this.database);
        const writeMode = this.canWrite && this.allowWrites;
        return <div className='sql-console'>
            <div className='sql-toolbar'>
                <label className='sql-picker' title={current ? `${current.label}: ${current.holds}` : 'The database the query runs on'}>
                    <span className='codicon codicon-database' />
                    <span className='sql-picker-label'>Database</span>
                    <select className='theia-select sql-database-picker' value={this.database} onChange={e => this.selectDatabase(e.currentTarget.value)}>
                        {this.databases.map(d => <option key={d.name} value={d.name} disabled={!d.open}>{d.name}{d.open ? '' : ' (unavailable)'}</option>)}
                    </select>
                </label>
                <button className='theia-button sql-run' disabled={this.running} onClick={() => this.run()} title='Run the statement under the cursor, or the selection (Ctrl+Enter / Cmd+Enter)'>
                    <span className='codicon codicon-play' /> Run <span className='sql-kbd'>Ctrl+Enter</span>
                </button>
                <button className='theia-button secondary sql-cancel' disabled={!this.running} onClick={() => this.cancel()} title='Stop the running query'>
                    <span className='codicon codicon-debug-stop' /> Cancel
                </button>
                <button className='theia-button secondary sql-explain' disabled={this.running} onClick={() => this.run(true)} title='Show how SQLite would run the statement (EXPLAIN QUERY PLAN); nothing is executed'>
                    <span className='codicon codicon-list-tree' /> Explain
                </button>
                {this.canWrite && <label className={`sql-allow-writes${writeMode ? ' on' : ''}`} title='Run as one read-write transaction (admin only); every write is recorded in the audit log with your name'>
                    <input type='checkbox' checked={this.allowWrites} onChange={e => {
                        this.allowWrites = e.currentTarget.checked;
                        this.update();
                    }} /> Allow writes
                </label>}
                <span className='sql-toolbar-spacer' />
                <span className={`sql-mode-badge ${writeMode ? 'write' : 'read'}`}
                    title={writeMode ? 'Statements may write; the whole run commits or nothing does, and it is audited.' : this.canWrite ? 'Read-only: turn on "Allow writes" to change data.' : `Read-only: your role (${this.user?.role ?? 'developer'}) may read but not write.`}>
                    <span className={`codicon codicon-${writeMode ? 'edit' : 'lock'}`} /> {writeMode ? 'Read-write (audited)' : 'Read-only'}
                </span>
                {this.user && <span className='sql-user' title='Who the studio runs these queries as'>{this.user.displayName} · {this.user.role}</span>}
            </div>
            <div className='sql-main'>
                <div className='sql-side'>
                    <div className='sql-side-title'>{current ? current.label : 'Schema'}</div>
                    {current && <div className='sql-side-holds'>{current.holds}</div>}
                    <SqlSchemaTree tables={this.schema} error={this.schemaError} onInsert={text => this.insert(text)} />
                </div>
                <div className='sql-work'>
                    <div className='sql-editor' ref={host => {
                        if (host && this.editorNode.parentElement !== host) {
                            host.appendChild(this.editorNode);
                        }
                    }} />
                    {this.renderOutput()}
                </div>
            </div>
            {this.detail && this.renderDetail(this.detail)}
        </div>;
    }

    protected renderOutput(): React.ReactNode {
        const result = this.result;
        return <div className='sql-output'>
            <div className='sql-tabs'>
                {(['results', 'messages', 'history'] as Tab[]).map(tab => <button key={tab} className={`sql-tab${this.tab === tab ? ' active' : ''}`} onClick={() => {
                    this.tab = tab;
                    this.update();
                }}>{tab === 'results' ? 'Results' : tab === 'messages' ? `Messages${result?.error ? ' (1 error)' : ''}` : 'History'}</button>)}
                <span className='sql-toolbar-spacer' />
                {this.running && <span className='sql-status running'><span className='codicon codicon-loading codicon-modifier-spin' /> Running on {this.database}…</span>}
                {!this.running && result && <span className='sql-status'>{this.summary(result)}</span>}
                <button className='theia-button secondary sql-small' disabled={!result?.columns} onClick={() => this.copySelection()} title='Copy the selected rows (or all loaded rows) as tab-separated text'>
                    <span className='codicon codicon-copy' /> Copy
                </button>
                <button className='theia-button secondary sql-small sql-export-csv' disabled={!result?.columns || result.mode === 'write'} onClick={() => this.exportAs('csv')}
                    title='Download the whole result as CSV (re-runs the query read-only, streamed)'>
                    <span className='codicon codicon-desktop-download' /> CSV
                </button>
                <button className='theia-button secondary sql-small sql-export-json' disabled={!result?.columns || result.mode === 'write'} onClick={() => this.exportAs('json')}
                    title='Download the whole result as JSON (re-runs the query read-only, streamed)'>
                    <span className='codicon codicon-desktop-download' /> JSON
                </button>
            </div>
            {result?.error && this.tab !== 'history' && this.renderError(result.error, result)}
            <div className='sql-tab-body'>
                {this.tab === 'results' && this.renderResults()}
                {this.tab === 'messages' && this.renderMessages()}
                {this.tab === 'history' && this.renderHistory()}
            </div>
        </div>;
    }

    protected summary(result: RunResult): string {
        const ms = `${result.durationMs < 10 ? result.durationMs.toFixed(1) : Math.round(result.durationMs)} ms`;
        if (result.error) {
            return `Failed after ${ms}`;
        }
        if (result.columns) {
            return `${this.rows.length}${this.hasMore ? '+' : ''} row${this.rows.length === 1 ? '' : 's'} · ${ms}`;
        }
        const affected = result.statements.reduce((n, s) => n + (s.rowsAffected ?? 0), 0);
        return `${result.statements.length} statement${result.statements.length === 1 ? '' : 's'}, ${affected} row${affected === 1 ? '' : 's'} affected${result.committed ? ', committed' : ''} · ${ms}`;
    }

    protected renderError(error: ConsoleError, result: RunResult): React.ReactNode {
        return <div className={`sql-error sql-error-${error.kind}`} role='alert'>
            <span className={`codicon codicon-${error.kind === 'cancelled' ? 'debug-stop' : error.kind === 'refused' || error.kind === 'forbidden' ? 'shield' : 'error'}`} />
            <div className='sql-error-text'>
                <div className='sql-error-title'>{errorTitles[error.kind]}{error.position ? ` — line ${error.position.line}, column ${error.position.column}` : ''}</div>
                <div className='sql-error-message'>{error.message}</div>
                {error.statement && <pre className='sql-error-statement'>{error.statement}</pre>}
                {result.mode === 'write' && result.committed === false && <div className='sql-error-note'>Nothing was written.</div>}
            </div>
        </div>;
    }

    protected renderResults(): React.ReactNode {
        const result = this.result;
        if (!result) {
            return <div className='sql-empty'>Results appear here. Run a statement with <b>Run</b> or <b>Ctrl+Enter</b>; SELECTs show their rows, other statements the rows they changed.</div>;
        }
        if (!result.columns) {
            return result.error ? undefined : <div className='sql-empty'>{this.summary(result)}. The statement returns no rows.</div>;
        }
        return <>
            {this.sort && this.hasMore && <div className='sql-note'>Sorted the {this.rows.length} rows loaded so far; add ORDER BY to the query to sort the whole result.</div>}
            <SqlResultsGrid columns={result.columns} rows={this.sortedRows()} sort={this.sort} selected={this.selected} hasMore={this.hasMore} loadingMore={this.loadingMore}
                onSort={column => {
                    this.sort = this.sort?.column !== column ? { column, descending: false } : this.sort.descending ? undefined : { column, descending: true };
                    this.selected = new Set();
                    this.update();
                }}
                onSelect={(row, extend) => {
                    this.selected = extend ? new Set([...this.selected, row]) : new Set([row]);
                    this.update();
                }}
                onNeedMore={() => this.loadMore()}
                onOpenCell={(row, column) => this.openCell(row, column)}
                onCopy={() => this.copySelection()} />
        </>;
    }

    protected renderMessages(): React.ReactNode {
        const result = this.result;
        if (!result) {
            return <div className='sql-empty'>Each statement of a run is listed here, with the rows it changed and its time.</div>;
        }
        return <div className='sql-messages'>
            {result.statements.map(s => <div key={s.index} className='sql-message'>
                <span className='codicon codicon-pass' />
                <code>{s.sql.length > 120 ? `${s.sql.slice(0, 120)}…` : s.sql}</code>
                <span className='sql-message-detail'>{s.kind === 'rows' ? `${s.rowsRead} row${s.rowsRead === 1 ? '' : 's'} read` : s.kind === 'change' ? `${s.rowsAffected} row${s.rowsAffected === 1 ? '' : 's'} affected` : 'done'} · {s.durationMs.toFixed(1)} ms</span>
            </div>)}
            {result.mode === 'write' && <div className='sql-message'>{result.committed ? 'Committed; recorded in the write audit log.' : 'Rolled back; nothing was written.'}</div>}
        </div>;
    }

    protected renderHistory(): React.ReactNode {
        if (!this.history.length) {
            return <div className='sql-empty'>Your queries are kept here (the last 200, in the workspace database).</div>;
        }
        return <div className='sql-history'>
            {this.history.map(h => <div key={h.id} className='sql-history-entry' title='Click to put this query in the editor' onClick={() => {
                this.selectDatabase(h.database);
                const control = this.editor?.getControl();
                control?.getModel()?.setValue(h.sql);
                control?.focus();
            }}>
                <span className={`codicon codicon-${h.outcome === 'ok' ? 'pass' : 'error'}`} />
                <span className='sql-history-db'>{h.database}{h.mode === 'write' ? ' · write' : ''}</span>
                <code className='sql-history-sql'>{h.sql.replace(/\s+/g, ' ')}</code>
                <span className='sql-history-when'>{new Date(h.startedAt).toLocaleString()} · {Math.round(h.durationMs)} ms{h.outcome !== 'ok' ? ` · ${h.outcome}` : ''}</span>
            </div>)}
        </div>;
    }

    protected renderDetail(detail: { title: string; value: string }): React.ReactNode {
        const close = () => {
            this.detail = undefined;
            this.update();
        };
        return <div className='sql-detail'>
            <div className='sql-detail-head'>
                <span>{detail.title} · {detail.value.length} characters</span>
                <span className='sql-toolbar-spacer' />
                <button className='theia-button secondary sql-small' onClick={() => this.clipboard.writeText(detail.value)}><span className='codicon codicon-copy' /> Copy</button>
                <button className='theia-button secondary sql-small' onClick={close}><span className='codicon codicon-close' /> Close</button>
            </div>
            <pre className='sql-detail-value'>{detail.value}</pre>
        </div>;
    }
}
