import type { CellValue } from '../common/sql-console-protocol';

/** How a cell reads in the grid and when copied: NULL, numbers, text, `blob 3 B 00ff10`. */
export function cellText(cell: CellValue): string {
    if (cell === null) {
        return 'NULL';
    }
    if (typeof cell !== 'object') {
        return String(cell);
    }
    switch (cell.t) {
        case 'bigint': return cell.v;
        case 'blob': return `x'${cell.hex}${cell.ref ? '…' : ''}'`;
        case 'text': return `${cell.text}…`;
    }
}

/** Orders cells as SQLite does across types: NULL < numbers < text < blobs. */
export function compareCells(a: CellValue, b: CellValue): number {
    const rank = (c: CellValue) => c === null ? 0 : typeof c === 'number' || (typeof c === 'object' && c.t === 'bigint') ? 1 : typeof c === 'string' || c.t === 'text' ? 2 : 3;
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) {
        return ra - rb;
    }
    if (ra === 1) {
        const na = typeof a === 'number' ? a : Number((a as { v: string }).v);
        const nb = typeof b === 'number' ? b : Number((b as { v: string }).v);
        return na - nb;
    }
    const ta = cellText(a);
    const tb = cellText(b);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** Rows as tab-separated text, with a header line: pastes into spreadsheets. */
export function rowsAsTsv(columns: readonly string[], rows: readonly CellValue[][]): string {
    const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
    return [columns.map(clean).join('\t'), ...rows.map(r => r.map(c => clean(c === null ? '' : cellText(c))).join('\t'))].join('\n');
}
