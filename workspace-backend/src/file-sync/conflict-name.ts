import * as path from 'node:path';

/**
 * Where the remote copy of a file changed on both sides is saved: beside it, as
 * `name.remote-<UTC timestamp>.ext` (`Makefile.remote-20250101T120000Z`, `.env.remote-…`), so it
 * sorts next to the original and keeps its extension for the editor.
 */
export function conflictCopyPath(relPath: string, when: Date): string {
    const stamp = when.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const dir = path.posix.dirname(relPath);
    const base = path.posix.basename(relPath);
    const ext = base.startsWith('.') && base.indexOf('.', 1) < 0 ? '' : path.posix.extname(base);
    const name = `${base.slice(0, base.length - ext.length)}.remote-${stamp}${ext}`;
    return dir === '.' ? name : `${dir}/${name}`;
}
