import { FileVersion } from './file-version';

/**
 * The store layout, under a `files/` root distinct from the databases' replica keys:
 * - `files/blobs/<sha256>`: file contents, content-addressed and created only (`ifAbsent`), so a
 *   re-upload is idempotent and an interrupted upload never replaces or half-writes a good blob.
 * - `files/index/<encoded path>@`: one JSON `IndexEntry` per workspace path, written after its
 *   blob is stored (so an entry never points at a missing blob) with compare-and-swap on the
 *   generation this workspace last saw (so a concurrent remote change is noticed, not lost).
 *
 * Invariant: index keys cannot collide with each other's directories: every path segment is
 * percent-encoded (which never produces `@`) and the last one ends in `@`, so the entry for
 * `a` (`a@`) and the directory of `a/b` (`a/`) differ even on a directory store.
 */
export const FILES_ROOT = 'files/';
export const BLOBS_PREFIX = `${FILES_ROOT}blobs/`;
export const INDEX_PREFIX = `${FILES_ROOT}index/`;

export interface IndexEntry extends Partial<FileVersion> {
    format: 1;
    path: string;
    /** A tombstone: the path was deleted; other workspaces delete their copy. */
    deleted?: boolean;
    /** The local mtime when uploaded; restored on download (ms since the epoch). */
    mtimeMs?: number;
    updatedAt: string;
}

export function blobKey(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
        throw new Error(`"${sha256}" is not a SHA-256 hex digest; the index entry is damaged.`);
    }
    return `${BLOBS_PREFIX}${sha256}`;
}

export function indexKey(relPath: string): string {
    return `${INDEX_PREFIX}${relPath.split('/').map(encodeURIComponent).join('/')}@`;
}

/** The workspace path of an index key, or undefined for a key that is not an index entry. */
export function pathOfIndexKey(key: string): string | undefined {
    if (!key.startsWith(INDEX_PREFIX) || !key.endsWith('@')) {
        return undefined;
    }
    try {
        return key.slice(INDEX_PREFIX.length, -1).split('/').map(decodeURIComponent).join('/');
    } catch {
        return undefined;
    }
}

export function parseIndexEntry(data: Buffer, key: string): IndexEntry {
    let entry: IndexEntry;
    try {
        entry = JSON.parse(data.toString('utf8')) as IndexEntry;
    } catch (error) {
        throw new Error(`Index entry ${key} is not JSON (${(error as Error).message}); delete it from the store and run a sync to re-upload the local copy.`, { cause: error });
    }
    if (entry.format !== 1 || typeof entry.path !== 'string' || (!entry.deleted && (entry.kind !== 'file' && entry.kind !== 'symlink' || typeof entry.sha256 !== 'string'))) {
        throw new Error(`Index entry ${key} is not a format-1 entry this studio understands; upgrade the studio, or delete the entry to re-upload the local copy.`);
    }
    return entry;
}

/** The index entry recording `version` of `rel` (a tombstone without one). */
export function indexEntryOf(rel: string, version: FileVersion | undefined, mtimeMs?: number): IndexEntry {
    return version
        ? { format: 1, path: rel, ...version, mtimeMs, updatedAt: new Date().toISOString() }
        : { format: 1, path: rel, deleted: true, updatedAt: new Date().toISOString() };
}

export function remoteVersion(entry: IndexEntry | undefined): FileVersion | undefined {
    if (!entry || entry.deleted) {
        return undefined;
    }
    return entry.kind === 'symlink'
        ? { kind: 'symlink', sha256: entry.sha256!, size: entry.size ?? 0, mode: 0, target: entry.target }
        : { kind: 'file', sha256: entry.sha256!, size: entry.size ?? 0, mode: entry.mode ?? 0o644 };
}
