import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { ConsoleError, HistoryEntry, RunResult } from '../common/sql-console-protocol';
import { SqlConsoleLabels } from './sql-console-labels';

/** What went wrong in a run: the kind, where (line and column), SQLite's words, the statement. */
export function SqlErrorBanner({ error, result }: { readonly error: ConsoleError; readonly result: RunResult }): React.ReactElement {
    const icon = error.kind === 'cancelled' ? 'debug-stop' : error.kind === 'refused' || error.kind === 'forbidden' ? 'shield' : 'error';
    const where = error.position ? nls.localize('coditect/sql-console/error-position', ' — line {0}, column {1}', error.position.line, error.position.column) : '';
    return <div className={`sql-error sql-error-${error.kind}`} role='alert'>
        <span className={`codicon codicon-${icon}`} />
        <div className='sql-error-text'>
            <div className='sql-error-title'>{SqlConsoleLabels.errorTitle(error.kind)}{where}</div>
            <div className='sql-error-message'>{error.message}</div>
            {error.statement && <pre className='sql-error-statement'>{error.statement}</pre>}
            {result.mode === 'write' && result.committed === false && <div className='sql-error-note'>{nls.localize('coditect/sql-console/nothing-written', 'Nothing was written.')}</div>}
        </div>
    </div>;
}

/** The Messages tab: each statement of the run with what it did and its time, and whether a write committed. */
export function SqlRunMessages({ result }: { readonly result: RunResult | undefined }): React.ReactElement {
    if (!result) {
        return <div className='sql-empty'>{nls.localize('coditect/sql-console/messages-empty', 'Each statement of a run is listed here, with the rows it changed and its time.')}</div>;
    }
    return <div className='sql-messages'>
        {result.statements.map(s => <div key={s.index} className='sql-message'>
            <span className='codicon codicon-pass' />
            <code>{s.sql.length > 120 ? `${s.sql.slice(0, 120)}…` : s.sql}</code>
            <span className='sql-message-detail'>{s.kind === 'rows' ? SqlConsoleLabels.rowsRead(s.rowsRead) : s.kind === 'change' ? SqlConsoleLabels.rowsAffected(s.rowsAffected)
                : nls.localize('coditect/sql-console/statement-done', 'done')} · {s.durationMs.toFixed(1)} ms</span>
        </div>)}
        {result.mode === 'write' && <div className='sql-message'>{result.committed
            ? nls.localize('coditect/sql-console/committed', 'Committed; recorded in the write audit log.')
            : nls.localize('coditect/sql-console/rolled-back', 'Rolled back; nothing was written.')}</div>}
    </div>;
}

export interface SqlHistoryListProps {
    readonly history: readonly HistoryEntry[];
    onOpen(entry: HistoryEntry): void;
}

/** The History tab: the user's runs, newest first; a click puts one back in the editor. */
export function SqlHistoryList({ history, onOpen }: SqlHistoryListProps): React.ReactElement {
    if (!history.length) {
        return <div className='sql-empty'>{nls.localize('coditect/sql-console/history-empty', 'Your queries are kept here (the last 200, in the workspace database).')}</div>;
    }
    return <div className='sql-history'>
        {history.map(h => <div key={h.id} className='sql-history-entry' title={nls.localize('coditect/sql-console/history-tooltip', 'Click to put this query in the editor')} onClick={() => onOpen(h)}>
            <span className={`codicon codicon-${h.outcome === 'ok' ? 'pass' : 'error'}`} />
            <span className='sql-history-db'>{h.database}{h.mode === 'write' ? nls.localize('coditect/sql-console/history-write', ' · write') : ''}</span>
            <code className='sql-history-sql'>{h.sql.replace(/\s+/g, ' ')}</code>
            <span className='sql-history-when'>{new Date(h.startedAt).toLocaleString()} · {Math.round(h.durationMs)} ms{h.outcome !== 'ok' ? ` · ${h.outcome}` : ''}</span>
        </div>)}
    </div>;
}
