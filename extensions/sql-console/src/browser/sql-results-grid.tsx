import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { CellValue, ColumnInfo } from '../common/sql-console-protocol';
import { cellText } from './cell-text';

export interface SqlResultsGridProps {
    readonly columns: readonly ColumnInfo[];
    /** Rows in display order (already sorted). */
    readonly rows: readonly CellValue[][];
    readonly sort: { readonly column: number; readonly descending: boolean } | undefined;
    readonly selected: ReadonlySet<number>;
    readonly hasMore: boolean;
    readonly loadingMore: boolean;
    onSort(column: number): void;
    onSelect(row: number, extend: boolean): void;
    onNeedMore(): void;
    onOpenCell(row: number, column: number): void;
    onCopy(): void;
}

const RowHeight = 24;
const Overscan = 20;

/**
 * The results grid: only the rows in view (plus a margin) are in the DOM, so a grid of 100,000
 * loaded rows scrolls as one of 100. Scrolling near the end asks for the next page.
 */
export function SqlResultsGrid(props: SqlResultsGridProps): React.ReactElement {
    const scroller = React.useRef<HTMLDivElement>(null);
    const [view, setView] = React.useState({ top: 0, height: 400 });
    // Sized once per result, from the header and the first rows: columns do not jump while scrolling.
    const widths = React.useMemo(() => props.columns.map((c, i) => {
        const longest = props.rows.slice(0, 200).reduce((n, row) => Math.max(n, cellText(row[i]).length), 0);
        return Math.min(360, Math.max(70, (c.name.length + (c.declaredType?.length ?? 0)) * 8 + 40, longest * 8 + 16));
    }), [props.columns]);
    const totalWidth = widths.reduce((a, b) => a + b, 56);

    const onScroll = () => {
        const node = scroller.current;
        if (!node) {
            return;
        }
        setView({ top: node.scrollTop, height: node.clientHeight });
        if (props.hasMore && !props.loadingMore && node.scrollTop + node.clientHeight > (props.rows.length - Overscan) * RowHeight) {
            props.onNeedMore();
        }
    };
    React.useEffect(() => {
        const node = scroller.current;
        if (node) {
            setView({ top: node.scrollTop, height: node.clientHeight });
        }
    }, [props.rows.length]);

    const first = Math.max(0, Math.floor(view.top / RowHeight) - Overscan);
    const last = Math.min(props.rows.length, Math.ceil((view.top + view.height) / RowHeight) + Overscan);
    const visible: React.ReactNode[] = [];
    for (let i = first; i < last; i++) {
        const row = props.rows[i];
        visible.push(<div key={i} className={`sql-grid-row${props.selected.has(i) ? ' selected' : ''}`} style={{ top: i * RowHeight, width: totalWidth }}
            onClick={e => props.onSelect(i, e.shiftKey || e.ctrlKey || e.metaKey)}>
            <div className='sql-grid-rownum'>{i + 1}</div>
            {row.map((cell, c) => <div key={c} className={`sql-grid-cell ${cellClass(cell)}`} style={{ width: widths[c] }} title={cellTitle(cell)}
                onDoubleClick={() => props.onOpenCell(i, c)}>{cellText(cell)}</div>)}
        </div>);
    }
    return <div className='sql-grid' ref={scroller} onScroll={onScroll} tabIndex={0}
        onKeyDown={e => {
            if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
                e.preventDefault();
                props.onCopy();
            }
        }}>
        <div className='sql-grid-header' style={{ width: totalWidth }}>
            <div className='sql-grid-rownum'>#</div>
            {props.columns.map((c, i) => <div key={i} className='sql-grid-head' style={{ width: widths[i] }} onClick={() => props.onSort(i)}
                title={nls.localize('coditect/sql-console/column-tooltip', '{0} — click to sort', `${c.name}${c.declaredType ? ` ${c.declaredType}` : ''}${c.table ? nls.localize('coditect/sql-console/column-from', ' (from {0})', c.table) : ''}`)}>
                <span className='sql-grid-head-name'>{c.name}</span>
                {c.declaredType && <span className='sql-grid-head-type'>{c.declaredType}</span>}
                {props.sort?.column === i && <span className={`codicon codicon-arrow-${props.sort.descending ? 'down' : 'up'}`} />}
            </div>)}
        </div>
        <div className='sql-grid-body' style={{ height: props.rows.length * RowHeight + (props.hasMore ? RowHeight : 0), width: totalWidth }}>
            {visible}
            {props.hasMore && <div className='sql-grid-row sql-grid-more' style={{ top: props.rows.length * RowHeight }}>
                {props.loadingMore
                    ? nls.localize('coditect/sql-console/loading-more', 'Loading more rows…')
                    : nls.localize('coditect/sql-console/more-rows', 'More rows: scroll to load them')}
            </div>}
        </div>
    </div>;
}

function cellClass(cell: CellValue): string {
    if (cell === null) {
        return 'null';
    }
    if (typeof cell === 'number' || (typeof cell === 'object' && cell.t === 'bigint')) {
        return 'number';
    }
    if (typeof cell === 'object') {
        return cell.t === 'blob' ? 'blob' : 'cut';
    }
    return '';
}

function cellTitle(cell: CellValue): string | undefined {
    if (cell !== null && typeof cell === 'object') {
        if (cell.t === 'blob') {
            return nls.localize('coditect/sql-console/blob-tooltip', 'BLOB, {0} bytes{1}', cell.bytes, cell.ref ? nls.localize('coditect/sql-console/blob-more', ' (double-click for all of it)') : '');
        }
        if (cell.t === 'text') {
            return nls.localize('coditect/sql-console/cut-tooltip', '{0} characters, cut to {1}: double-click for the whole value', cell.chars, cell.text.length);
        }
    }
    return undefined;
}
