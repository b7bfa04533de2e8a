import * as React from '@theia/core/shared/react';
import * as monaco from '@theia/monaco-editor-core';
import { codicon, Message, ReactWidget, Widget } from '@theia/core/lib/browser';
import { nls } from '@theia/core/lib/common/nls';
import { InMemoryResources } from '@theia/core/lib/common/resource';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { MonacoEditorProvider } from '@theia/monaco/lib/browser/monaco-editor-provider';
import { SimpleMonacoEditor } from '@theia/monaco/lib/browser/simple-monaco-editor';
import { startDownload } from '@coditect/studio-platform/browser';
import type { ConsoleError, ExportFormat, HistoryEntry } from '../common/sql-console-protocol';
import { SqlCellDetailPanel } from './sql-cell-detail';
import { SqlConsoleModel, SqlEditorState } from './sql-console-model';
import { SqlConsoleToolbar } from './sql-console-toolbar';
import { SqlLanguageSupport } from './sql-language';
import { SqlOutputPanel } from './sql-output-panel';
import { SqlSchemaTree } from './sql-schema-tree';
import { StudioViews } from '@coditect/studio-platform/common';

/** The owner of the editor markers the console sets for a failed statement: its own view's. */
const markerOwner = StudioViews.sqlConsole;

/**
 * The SQL console's view: a database picker, a SQL editor (Ctrl/Cmd+Enter runs the statement
 * under the cursor or the selection), the schema of the chosen database, a paged results grid,
 * the run's messages and the user's history. State and calls live in `SqlConsoleModel`; this
 * view owns the Monaco editor (its text, error markers, completion schema) and renders the
 * model. The backend enforces roles; the view only hides the "Allow writes" switch from those
 * it would refuse.
 */
@injectable()
export class SqlConsoleWidget extends ReactWidget {
    static readonly ID = StudioViews.sqlConsole;
    static readonly LABEL = nls.localize('coditect/sql-console/view-title', 'SQL Console');
    protected static nextEditor = 1;

    @inject(SqlConsoleModel) readonly model: SqlConsoleModel;
    @inject(MonacoEditorProvider) protected readonly editors: MonacoEditorProvider;
    @inject(InMemoryResources) protected readonly resources: InMemoryResources;
    @inject(SqlLanguageSupport) protected readonly language: SqlLanguageSupport;

    protected readonly editorNode = document.createElement('div');
    protected readonly modelUri = new URI(`sql-console:/console-${SqlConsoleWidget.nextEditor++}.sql`);
    protected editor: SimpleMonacoEditor | undefined;

    @postConstruct()
    protected init(): void {
        this.id = SqlConsoleWidget.ID;
        this.title.label = SqlConsoleWidget.LABEL;
        this.title.caption = nls.localize('coditect/sql-console/view-caption', 'Query the studio\'s databases');
        this.title.iconClass = codicon('database');
        this.title.closable = true;
        this.addClass(StudioViews.sqlConsole);
        this.editorNode.className = 'sql-editor-host';
        // Capture phase: Ctrl/Cmd+Enter runs, before Monaco's "insert line below" sees it.
        this.node.addEventListener('keydown', event => {
            if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
                event.preventDefault();
                event.stopPropagation();
                void this.run();
            }
        }, true);
        this.toDispose.push(this.model);
        this.toDispose.push(this.model.onDidChange(() => this.update()));
        this.toDispose.push(this.model.onDidLoadSchema(schema => this.language.setSchema(this.modelUri.toString(), schema)));
        this.language.register();
        void this.createEditor();
    }

    /** Shows `database` in the picker (and its schema). */
    selectDatabase(database: string): void {
        this.model.selectDatabase(database);
    }

    protected async createEditor(): Promise<void> {
        const initial = `${nls.localize('coditect/sql-console/editor-hint',
            '-- Pick a database above, write SQL, and press Ctrl+Enter (Cmd+Enter on macOS) to run the statement under the cursor.')}\nSELECT name, type FROM sqlite_schema ORDER BY type, name;\n`;
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

    /** The editor's text, the cursor and the selection: the backend picks the statement to run. */
    protected editorState(): SqlEditorState | undefined {
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

    /** Runs the statement under the cursor (or the selection); a failure SQLite placed is underlined in the editor. */
    async run(explainPlan = false): Promise<void> {
        if (this.model.running) {
            return;
        }
        const state = this.editorState();
        if (state?.text.trim()) {
            this.clearMarkers();
        }
        const result = await this.model.run(state, explainPlan);
        if (result?.error?.position) {
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
        monaco.editor.setModelMarkers(model as unknown as monaco.editor.ITextModel, markerOwner, [{
            severity: monaco.MarkerSeverity.Error, message: error.message,
            startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: start.lineNumber, endColumn: word ? word.endColumn : start.column + 1,
        }]);
        this.editor?.getControl().revealPositionInCenterIfOutsideViewport(start);
    }

    protected clearMarkers(): void {
        const model = this.editor?.getControl().getModel();
        if (model) {
            monaco.editor.setModelMarkers(model as unknown as monaco.editor.ITextModel, markerOwner, []);
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

    protected openHistory(entry: HistoryEntry): void {
        this.model.selectDatabase(entry.database);
        const control = this.editor?.getControl();
        control?.getModel()?.setValue(entry.sql);
        control?.focus();
    }

    protected async exportAs(format: ExportFormat): Promise<void> {
        const url = await this.model.prepareExport(format);
        if (url) {
            startDownload(url);
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
        const model = this.model;
        const current = model.currentDatabase;
        return <div className='sql-console'>
            <SqlConsoleToolbar model={model} onRun={explainPlan => this.run(explainPlan)} />
            <div className='sql-main'>
                <div className='sql-side'>
                    <div className='sql-side-title'>{current ? current.label : nls.localize('coditect/sql-console/schema', 'Schema')}</div>
                    {current && <div className='sql-side-holds'>{current.holds}</div>}
                    <SqlSchemaTree tables={model.schema} error={model.schemaError} onInsert={text => this.insert(text)} />
                </div>
                <div className='sql-work'>
                    <div className='sql-editor' ref={host => {
                        if (host && this.editorNode.parentElement !== host) {
                            host.appendChild(this.editorNode);
                        }
                    }} />
                    <SqlOutputPanel model={model} onExport={format => this.exportAs(format)} onOpenHistory={entry => this.openHistory(entry)} />
                </div>
            </div>
            {model.detail && <SqlCellDetailPanel detail={model.detail} onCopy={() => model.copyText(model.detail?.value ?? '')} onClose={() => model.closeDetail()} />}
        </div>;
    }
}
