import * as path from 'node:path';

/** How many names one conflict tries (`-2` … `-999` after the plain one) before it gives up and says so. */
export const MAX_CONFLICT_COPY_ATTEMPTS = 999;

/**
 * Where the remote copy of a file changed on both sides is saved: beside it, as
 * `name.remote-<UTC timestamp>.ext` (`Makefile.remote-20250101T120000Z`, `.env.remote-…`), so it
 * sorts next to the original and keeps its extension for the editor.
 *
 * The stamp is to the second, so two conflicts of one path can share it: attempt 2 and later add
 * a disambiguator (`name.remote-20250101T120000Z-2.ext`). The name alone does not make a copy
 * unique; the writer creates it exclusively and asks for the next attempt when it exists
 * (PathSync.writeConflictCopy), so a copy never replaces another.
 */
export function conflictCopyPath(relPath: string, when: Date, attempt = 1): string {
    if (!Number.isInteger(attempt) || attempt < 1) {
        throw new RangeError(`A conflict copy's attempt is a whole number from 1, not ${attempt}.`);
    }
    const stamp = when.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const dir = path.posix.dirname(relPath);
    const base = path.posix.basename(relPath);
    const ext = base.startsWith('.') && base.indexOf('.', 1) < 0 ? '' : path.posix.extname(base);
    const name = `${base.slice(0, base.length - ext.length)}.remote-${stamp}${attempt > 1 ? `-${attempt}` : ''}${ext}`;
    return dir === '.' ? name : `${dir}/${name}`;
}
