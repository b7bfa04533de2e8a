const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time, `10:42:13`: what a person in the terminal compares with their clock. */
export function clockTime(epochMs: number): string {
    const at = new Date(epochMs);
    return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

/** A span as people say it, to the two largest units: `45s`, `4m 10s`, `2h 5m`, `3d 4h`. */
export function durationText(ms: number): string {
    const seconds = Math.max(0, Math.round(ms / 1000));
    const units: [string, number][] = [['d', Math.floor(seconds / 86_400)], ['h', Math.floor(seconds / 3600) % 24], ['m', Math.floor(seconds / 60) % 60], ['s', seconds % 60]];
    const first = units.findIndex(([, n]) => n > 0);
    if (first < 0) {
        return '0s';
    }
    return units.slice(first, first + 2).filter(([, n]) => n > 0).map(([unit, n]) => `${n}${unit}`).join(' ');
}

/** The first line of a text, cut to `max` characters with an ellipsis. */
export function shortened(text: string, max = 70): string {
    const line = text.split('\n')[0].trim();
    return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** Rows as aligned columns two spaces apart; the last column is not padded. */
export function alignedColumns(rows: readonly (readonly string[])[]): string[] {
    const widths: number[] = [];
    for (const row of rows) {
        row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, cell.length));
    }
    return rows.map(row => row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i])).join('  ').trimEnd());
}

/** A word as the shell reads it back: quoted when it has anything but plain path characters. */
export function shellWord(word: string): string {
    return /^[\w./@:+-]+$/.test(word) ? word : `'${word.replace(/'/g, '\'\\\'\'')}'`;
}
