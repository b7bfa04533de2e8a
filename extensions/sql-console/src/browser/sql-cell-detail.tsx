import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { SqlCellDetail } from './sql-console-model';

export interface SqlCellDetailPanelProps {
    readonly detail: SqlCellDetail;
    onCopy(): void;
    onClose(): void;
}

/** One cell's whole value (a double-clicked cell), with Copy and Close. */
export function SqlCellDetailPanel({ detail, onCopy, onClose }: SqlCellDetailPanelProps): React.ReactElement {
    return <div className='sql-detail'>
        <div className='sql-detail-head'>
            <span>{nls.localize('coditect/sql-console/cell-length', '{0} · {1} characters', detail.title, detail.value.length)}</span>
            <span className='sql-toolbar-spacer' />
            <button className='theia-button secondary sql-small' onClick={onCopy}><span className='codicon codicon-copy' /> {nls.localize('coditect/sql-console/copy', 'Copy')}</button>
            <button className='theia-button secondary sql-small' onClick={onClose}><span className='codicon codicon-close' /> {nls.localize('coditect/sql-console/close', 'Close')}</button>
        </div>
        <pre className='sql-detail-value'>{detail.value}</pre>
    </div>;
}
