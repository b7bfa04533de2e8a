import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * The POSIX locks this process holds on a file, as the kernel lists them (Linux /proc/locks):
 * "READ 128-128" and the like. SQLite's connections hold them on the database file and its
 * -shm; closing any other descriptor of those files would silently drop them all, and another
 * process would then take itself for the first or the last connection (reinitialising the -shm
 * we have mapped, or checkpointing and deleting the WAL we still write into).
 */
export function ourLocksOn(file: string): string[] {
    const inode = fs.statSync(file).ino;
    return fs.readFileSync('/proc/locks', 'utf8').split('\n')
        .map(line => line.trim().split(/\s+/))
        .filter(f => f[4] === String(process.pid) && f[5]?.endsWith(`:${inode}`))
        .map(f => `${f[3]} ${f[6]}-${f[7]}`)
        .sort();
}

/** Another process opens the database and closes it again, as a query worker does. */
export function openAndCloseElsewhere(file: string): void {
    execFileSync(process.execPath, ['-e', `const D = require('better-sqlite3'); new D(${JSON.stringify(file)}).close();`], { cwd: __dirname });
}
