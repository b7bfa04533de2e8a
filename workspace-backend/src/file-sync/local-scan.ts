import * as fs from 'node:fs';
import * as path from 'node:path';
import { IgnoreRules } from './ignore-rules';

/** A file or symlink found on local disk (not yet hashed). */
export interface LocalEntry {
    path: string;
    kind: 'file' | 'symlink';
    size: number;
    mode: number;
    mtimeMs: number;
    target?: string;
}

/** True when a symlink at `relPath` with `target` points inside the workspace (lexically). */
export function linkStaysInside(relPath: string, target: string): boolean {
    if (path.isAbsolute(target)) {
        return false;
    }
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(relPath), target));
    return resolved !== '..' && !resolved.startsWith('../') && !path.posix.isAbsolute(resolved);
}

/**
 * The local view of one path: `undefined` when it is absent, a directory, or something sync
 * does not carry (sockets, devices). Never follows symlinks (lstat).
 * `outside` is set for a symlink that leaves the workspace: it is not synced.
 */
export async function statLocal(root: string, relPath: string): Promise<LocalEntry | { outside: true } | 'directory' | undefined> {
    const abs = path.join(root, ...relPath.split('/'));
    let stat: fs.Stats;
    try {
        stat = await fs.promises.lstat(abs);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
            return undefined;
        }
        throw error;
    }
    if (stat.isDirectory()) {
        return 'directory';
    }
    if (stat.isSymbolicLink()) {
        const target = await fs.promises.readlink(abs);
        if (!linkStaysInside(relPath, target)) {
            return { outside: true };
        }
        return { path: relPath, kind: 'symlink', size: Buffer.byteLength(target), mode: 0, mtimeMs: stat.mtimeMs, target };
    }
    if (!stat.isFile()) {
        return undefined;
    }
    return { path: relPath, kind: 'file', size: stat.size, mode: stat.mode & 0o777, mtimeMs: stat.mtimeMs };
}

export interface ScanResult {
    entries: Map<string, LocalEntry>;
    /** Symlinks not synced because they leave the workspace. */
    outsideLinks: string[];
}

/** Walks `relDir` (default the workspace), skipping ignored paths; symlinks are never descended. */
export async function scanLocal(root: string, rules: IgnoreRules, relDir = ''): Promise<ScanResult> {
    const result: ScanResult = { entries: new Map(), outsideLinks: [] };
    const walk = async (dir: string): Promise<void> => {
        let names: fs.Dirent[];
        try {
            names = await fs.promises.readdir(dir ? path.join(root, ...dir.split('/')) : root, { withFileTypes: true });
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'ENOENT' || code === 'ENOTDIR') {
                return;
            }
            throw error;
        }
        const subdirs: string[] = [];
        await Promise.all(names.map(async dirent => {
            const rel = dir ? `${dir}/${dirent.name}` : dirent.name;
            if (dirent.isDirectory()) {
                if (!rules.ignores(rel, true)) {
                    subdirs.push(rel);
                }
                return;
            }
            if (rules.ignores(rel)) {
                return;
            }
            const local = await statLocal(root, rel);
            if (local === 'directory') {
                subdirs.push(rel);
            } else if (local && 'outside' in local) {
                result.outsideLinks.push(rel);
            } else if (local) {
                result.entries.set(rel, local);
            }
        }));
        for (const sub of subdirs) {
            await walk(sub);
        }
    };
    await walk(relDir);
    return result;
}
