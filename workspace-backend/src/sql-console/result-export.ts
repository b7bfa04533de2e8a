import { CellValue, ColumnInfo } from './console-types';

export type ExportFormat = 'csv' | 'json';

export const ExportContentTypes: Readonly<Record<ExportFormat, string>> = {
    csv: 'text/csv; charset=utf-8',
    json: 'application/json; charset=utf-8',
};

/**
 * Writes a result as CSV (RFC 4180, a header row) or JSON (an array of objects) while its pages
 * arrive, so an export of a million rows holds one page at a time. `write` resolves when the
 * sink can take more (back-pressure). Values: NULL is an empty CSV field and JSON null; integers
 * beyond a double's precision keep every digit; blobs are written in hex.
 */
export async function writeExport(format: ExportFormat, columns: readonly ColumnInfo[], pages: AsyncIterable<CellValue[][]>,
    write: (chunk: string) => Promise<void>): Promise<number> {
    let rows = 0;
    const keys = uniqueNames(columns.map(c => c.name));
    if (format === 'csv') {
        await write(keys.map(csvField).join(',') + '\r\n');
    } else {
        await write('[');
    }
    for await (const page of pages) {
        let chunk = '';
        for (const row of page) {
            if (format === 'csv') {
                chunk += row.map(cell => csvField(plain(cell))).join(',') + '\r\n';
            } else {
                chunk += (rows === 0 ? '\n' : ',\n') + '{' + row.map((cell, i) => `${JSON.stringify(keys[i])}:${jsonValue(cell)}`).join(',') + '}';
            }
            rows++;
        }
        await write(chunk);
    }
    if (format === 'json') {
        await write(rows ? '\n]\n' : ']\n');
    }
    return rows;
}

function plain(cell: CellValue): string {
    if (cell === null) {
        return '';
    }
    if (typeof cell !== 'object') {
        return String(cell);
    }
    return cell.t === 'bigint' ? cell.v : cell.t === 'blob' ? cell.hex : cell.text;
}

function jsonValue(cell: CellValue): string {
    if (cell !== null && typeof cell === 'object') {
        // A big integer is written as its digits: valid JSON, and nothing is rounded.
        return cell.t === 'bigint' ? cell.v : JSON.stringify(plain(cell));
    }
    return JSON.stringify(cell);
}

function csvField(value: string): string {
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** `SELECT a, a` has two columns named `a`; JSON objects need distinct keys: `a`, `a_2`. */
function uniqueNames(names: readonly string[]): string[] {
    const seen = new Map<string, number>();
    return names.map(name => {
        const n = (seen.get(name) ?? 0) + 1;
        seen.set(name, n);
        return n === 1 ? name : `${name}_${n}`;
    });
}
