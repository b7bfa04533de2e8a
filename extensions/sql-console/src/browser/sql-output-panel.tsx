import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { ExportFormat, HistoryEntry } from '../common/sql-console-protocol';
import { SqlConsoleLabels } from './sql-console-labels';
import type { SqlConsoleModel, SqlConsoleTab } from './sql-console-model';
import { SqlResultsGrid } from './sql-results-grid';
import { SqlErrorBanner, SqlHistoryList, SqlRunMessages } from './sql-run-panes';

export interface SqlOutputPanelProps {
    readonly model: SqlConsoleModel;
    onExport(format: ExportFormat): void;
    /** A history entry goes back into the editor, which only the view holds. */
    onOpenHistory(entry: HistoryEntry): void;
}

const tabs: readonly SqlConsoleTab[] = ['results', 'messages', 'history'];

/** Below the editor: the Results / Messages / History tabs, the run's status, Copy and the exports. */
export function SqlOutputPanel({ model, onExport, onOpenHistory }: SqlOutputPanelProps): React.ReactElement {
    const result = model.result;
    const tabLabel = (tab: SqlConsoleTab) => tab === 'results' ? nls.localize('coditect/sql-console/tab-results', 'Results')
        : tab === 'messages' ? `${nls.localize('coditect/sql-console/tab-messages', 'Messages')}${result?.error ? nls.localize('coditect/sql-console/one-error-suffix', ' (1 error)') : ''}`
            : nls.localize('coditect/sql-console/tab-history', 'History');
    const canExport = !!result?.columns && result.mode !== 'write';
    const exportTitle = (format: string) => nls.localize('coditect/sql-console/export-tooltip', 'Download the whole result as {0} (re-runs the query read-only, streamed)', format);
    return <div className='sql-output'>
        <div className='sql-tabs'>
            {tabs.map(tab => <button key={tab} className={`sql-tab${model.tab === tab ? ' active' : ''}`} onClick={() => model.setTab(tab)}>{tabLabel(tab)}</button>)}
            <span className='sql-toolbar-spacer' />
            {model.running && <span className='sql-status running'>
                <span className='codicon codicon-loading codicon-modifier-spin' /> {nls.localize('coditect/sql-console/running-on', 'Running on {0}…', model.database)}
            </span>}
            {!model.running && result && <span className='sql-status'>{SqlConsoleLabels.summary(result, model.rows.length, model.hasMore)}</span>}
            <button className='theia-button secondary sql-small' disabled={!result?.columns} onClick={() => model.copySelection()}
                title={nls.localize('coditect/sql-console/copy-rows-tooltip', 'Copy the selected rows (or all loaded rows) as tab-separated text')}>
                <span className='codicon codicon-copy' /> {nls.localize('coditect/sql-console/copy', 'Copy')}
            </button>
            <button className='theia-button secondary sql-small sql-export-csv' disabled={!canExport} onClick={() => onExport('csv')} title={exportTitle('CSV')}>
                <span className='codicon codicon-desktop-download' /> CSV
            </button>
            <button className='theia-button secondary sql-small sql-export-json' disabled={!canExport} onClick={() => onExport('json')} title={exportTitle('JSON')}>
                <span className='codicon codicon-desktop-download' /> JSON
            </button>
        </div>
        {result?.error && model.tab !== 'history' && <SqlErrorBanner error={result.error} result={result} />}
        <div className='sql-tab-body'>
            {model.tab === 'results' && <SqlResultsPane model={model} />}
            {model.tab === 'messages' && <SqlRunMessages result={result} />}
            {model.tab === 'history' && <SqlHistoryList history={model.history} onOpen={onOpenHistory} />}
        </div>
    </div>;
}

/** The Results tab: a hint before the first run, a line for a statement without rows, else the grid. */
function SqlResultsPane({ model }: { readonly model: SqlConsoleModel }): React.ReactElement | null {
    const result = model.result;
    if (!result) {
        return <div className='sql-empty'>{nls.localize('coditect/sql-console/results-empty-before', 'Results appear here. Run a statement with')} <b>{nls.localize('coditect/sql-console/run', 'Run')}</b> {nls.localize('coditect/sql-console/results-empty-or', 'or')} <b>Ctrl+Enter</b>{nls.localize('coditect/sql-console/results-empty-after', '; SELECTs show their rows, other statements the rows they changed.')}</div>;
    }
    if (!result.columns) {
        return result.error ? null : <div className='sql-empty'>{nls.localize('coditect/sql-console/no-rows', '{0}. The statement returns no rows.', SqlConsoleLabels.summary(result, model.rows.length, model.hasMore))}</div>;
    }
    return <>
        {model.sort && model.hasMore && <div className='sql-note'>{nls.localize('coditect/sql-console/sorted-loaded', 'Sorted the {0} rows loaded so far; add ORDER BY to the query to sort the whole result.', model.rows.length)}</div>}
        <SqlResultsGrid columns={result.columns} rows={model.sortedRows()} sort={model.sort} selected={model.selected} hasMore={model.hasMore} loadingMore={model.loadingMore}
            onSort={column => model.toggleSort(column)}
            onSelect={(row, extend) => model.selectRow(row, extend)}
            onNeedMore={() => model.loadMore()}
            onOpenCell={(row, column) => model.openCell(row, column)}
            onCopy={() => model.copySelection()} />
    </>;
}
