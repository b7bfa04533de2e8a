import * as crypto from 'node:crypto';
import type { ObjectStore } from '../object-store/object-store';
import { FileVersion, versionOf } from './file-version';
import { FILES_ROOT } from './remote-index';
import type { SyncedPath } from './sync-state';

/**
 * A files manifest: every workspace path the store holds at one instant, with its content hash,
 * mode and mtime. Restore points (replication/restore-point.ts) name one, since the index
 * (`files/index/<path>@`) is overwritten in place and cannot say what a path held earlier.
 *
 *   files/manifests/<sha256 of the JSON>.json   { format: 1, entries: [{ path, ...version, mtimeMs }] }
 *
 * Invariants:
 * - Content-addressed and created only: the same tree is one object however many points name it,
 *   and a manifest never changes once a point names it.
 * - Built from what file sync agreed with the store (its sync state), which records a path only
 *   after its blob and index entry are stored, so every blob a manifest names is in the store.
 *   Blobs are never deleted (nothing in the studio deletes `files/blobs/`), so they stay.
 */
export const MANIFESTS_PREFIX = `${FILES_ROOT}manifests/`;

export interface ManifestEntry extends FileVersion {
    path: string;
    mtimeMs?: number;
}

interface ManifestFile {
    format: 1;
    entries: ManifestEntry[];
}

function manifestKey(sha256: string): string {
    return `${MANIFESTS_PREFIX}${sha256}.json`;
}

/** The manifest of a sync state: paths with a version (not the deleted ones), sorted by path. */
export function manifestOf(paths: ReadonlyMap<string, SyncedPath>): ManifestEntry[] {
    return [...paths.entries()]
        .filter(([, synced]) => synced.version !== undefined)
        .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
        .map(([rel, synced]) => ({ path: rel, ...versionOf(synced.version!), ...(synced.mtimeMs !== undefined ? { mtimeMs: synced.mtimeMs } : {}) }));
}

/** Serialises entries and their key (the bytes' SHA-256) without storing anything. */
export function encodeManifest(entries: ManifestEntry[]): { key: string; data: Buffer } {
    const data = Buffer.from(JSON.stringify({ format: 1, entries } satisfies ManifestFile));
    return { key: manifestKey(crypto.createHash('sha256').update(data).digest('hex')), data };
}

export class ManifestError extends Error { }

/** Reads a manifest and checks it is the bytes its key names (a damaged one is a ManifestError). */
export async function readManifest(store: ObjectStore, key: string): Promise<ManifestEntry[]> {
    const data = await store.get(key);
    const expected = /([0-9a-f]{64})\.json$/.exec(key)?.[1];
    if (crypto.createHash('sha256').update(data).digest('hex') !== expected) {
        throw new ManifestError(`files manifest ${key} is damaged (its bytes do not hash to its name)`);
    }
    const parsed = JSON.parse(data.toString('utf8')) as ManifestFile;
    if (parsed.format !== 1 || !Array.isArray(parsed.entries)) {
        throw new ManifestError(`files manifest ${key} is not a format-1 manifest this studio understands`);
    }
    return parsed.entries;
}
