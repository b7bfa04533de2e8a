import { execFileSync } from 'node:child_process';

/**
 * Counts the rows of `table` from another process, read-only: what any other connection, and the
 * next start, would see. A commit that went into a WAL nobody else can read is not counted.
 */
export function countElsewhere(file: string, table: string): number {
    return Number(execFileSync(process.execPath, ['-e',
        `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(file)}, { readonly: true }); process.stdout.write(String(db.prepare('SELECT count(*) AS n FROM ${table}').get().n)); db.close();`],
    { cwd: __dirname }).toString());
}
