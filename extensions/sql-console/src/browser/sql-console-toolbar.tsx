import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { SqlConsoleModel } from './sql-console-model';

export interface SqlConsoleToolbarProps {
    readonly model: SqlConsoleModel;
    /** Run and Explain need the editor's text, which only the view holds. */
    onRun(explainPlan: boolean): void;
}

/** The database picker, Run / Cancel / Explain, "Allow writes" (for those who may), the mode and the user. */
export function SqlConsoleToolbar({ model, onRun }: SqlConsoleToolbarProps): React.ReactElement {
    const current = model.currentDatabase;
    const writeMode = model.writeMode;
    const modeTitle = writeMode
        ? nls.localize('coditect/sql-console/mode-write-tooltip', 'Statements may write; the whole run commits or nothing does, and it is audited.')
        : model.canWrite
            ? nls.localize('coditect/sql-console/mode-read-tooltip', 'Read-only: turn on "Allow writes" to change data.')
            : nls.localize('coditect/sql-console/mode-role-tooltip', 'Read-only: your role ({0}) may read but not write.', model.user?.role ?? 'developer');
    return <div className='sql-toolbar'>
        <label className='sql-picker' title={current ? `${current.label}: ${current.holds}` : nls.localize('coditect/sql-console/database-tooltip', 'The database the query runs on')}>
            <span className='codicon codicon-database' />
            <span className='sql-picker-label'>{nls.localize('coditect/sql-console/database', 'Database')}</span>
            <select className='theia-select sql-database-picker' value={model.database} onChange={e => model.selectDatabase(e.currentTarget.value)}>
                {model.databases.map(d => <option key={d.name} value={d.name} disabled={!d.open}>
                    {d.name}{d.open ? '' : nls.localize('coditect/sql-console/unavailable-suffix', ' (unavailable)')}
                </option>)}
            </select>
        </label>
        <button className='theia-button sql-run' disabled={model.running} onClick={() => onRun(false)}
            title={nls.localize('coditect/sql-console/run-tooltip', 'Run the statement under the cursor, or the selection (Ctrl+Enter / Cmd+Enter)')}>
            <span className='codicon codicon-play' /> {nls.localize('coditect/sql-console/run', 'Run')} <span className='sql-kbd'>Ctrl+Enter</span>
        </button>
        <button className='theia-button secondary sql-cancel' disabled={!model.running} onClick={() => model.cancel()}
            title={nls.localize('coditect/sql-console/cancel-tooltip', 'Stop the running query')}>
            <span className='codicon codicon-debug-stop' /> {nls.localize('coditect/sql-console/cancel', 'Cancel')}
        </button>
        <button className='theia-button secondary sql-explain' disabled={model.running} onClick={() => onRun(true)}
            title={nls.localize('coditect/sql-console/explain-tooltip', 'Show how SQLite would run the statement (EXPLAIN QUERY PLAN); nothing is executed')}>
            <span className='codicon codicon-list-tree' /> {nls.localize('coditect/sql-console/explain', 'Explain')}
        </button>
        {model.canWrite && <label className={`sql-allow-writes${writeMode ? ' on' : ''}`}
            title={nls.localize('coditect/sql-console/allow-writes-tooltip', 'Run as one read-write transaction (admin only); every write is recorded in the audit log with your name')}>
            <input type='checkbox' checked={model.allowWrites} onChange={e => model.setAllowWrites(e.currentTarget.checked)} /> {nls.localize('coditect/sql-console/allow-writes', 'Allow writes')}
        </label>}
        <span className='sql-toolbar-spacer' />
        <span className={`sql-mode-badge ${writeMode ? 'write' : 'read'}`} title={modeTitle}>
            <span className={`codicon codicon-${writeMode ? 'edit' : 'lock'}`} /> {writeMode
                ? nls.localize('coditect/sql-console/mode-write', 'Read-write (audited)')
                : nls.localize('coditect/sql-console/mode-read', 'Read-only')}
        </span>
        {model.user && <span className='sql-user' title={nls.localize('coditect/sql-console/user-tooltip', 'Who the studio runs these queries as')}>{model.user.displayName} · {model.user.role}</span>}
    </div>;
}
