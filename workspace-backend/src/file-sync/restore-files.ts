import * as fs from 'node:fs';
import * as path from 'node:path';
import { Emitter } from '../common/emitter';
import { ObjectNotFoundError, ObjectStore } from '../object-store/object-store';
import { ManifestEntry, ManifestError, readManifest } from './file-manifest';
import type { FileSyncEvent } from './file-sync-types';
import { mapLimit } from './file-sync';
import { sameVersion, versionOf } from './file-version';
import { workspaceIgnoreRules } from './ignore-rules';
import { scanLocal } from './local-scan';
import { PathSync } from './path-sync';
import { blobKey, INDEX_PREFIX, indexEntryOf, indexKey, parseIndexEntry, pathOfIndexKey, remoteVersion } from './remote-index';
import { SyncState, syncStatePath } from './sync-state';
import { SyncTally } from './sync-tally';

/** A manifest that cannot be restored from: it, or a blob it names, is missing or damaged. */
export class FilesRestoreError extends Error { }

/**
 * Reads a manifest and checks every blob it names is in the store (HEAD, not downloaded), so a
 * restore point whose files cannot all be brought back is known before anything is replaced.
 * A store that fails to answer is rethrown as it is: it says nothing about the manifest.
 */
export async function checkManifest(store: ObjectStore, key: string): Promise<ManifestEntry[]> {
    let entries: ManifestEntry[];
    try {
        entries = await readManifest(store, key);
    } catch (error) {
        if (error instanceof ManifestError || error instanceof ObjectNotFoundError || error instanceof SyntaxError) {
            throw new FilesRestoreError(`files manifest ${key}: ${(error as Error).message}`);
        }
        throw error;
    }
    const missing: string[] = [];
    await mapLimit(entries.filter(e => e.kind === 'file'), 8, async entry => {
        if (!await store.head(blobKey(entry.sha256))) {
            missing.push(entry.path);
        }
    });
    if (missing.length) {
        throw new FilesRestoreError(`files manifest ${key}: the contents of ${missing.length} file(s) are missing from the store (first: ${missing.sort()[0]})`);
    }
    return entries;
}

export interface RestoreFilesOptions {
    store: ObjectStore;
    workspaceDir: string;
    dataDir: string;
    alsoIgnore?: readonly string[];
    log?: (message: string) => void;
}

export interface RestoreFilesResult {
    written: number;
    removed: number;
    /** Index entries set back to the manifest (so file sync does not bring the later versions back). */
    indexRewound: number;
}

/**
 * Makes the workspace and the store's index hold exactly `entries`, and records that agreement as
 * file sync's state, so the next sync finds all three equal instead of pulling the later versions
 * back (or making conflict copies).
 *
 * - Workspace: a path whose content differs is replaced (temp file, hash-checked, renamed: the
 *   same writer file sync downloads with); a synced path the manifest lacks is removed. Ignored
 *   paths (and the data directory) are left alone.
 * - Index: each entry that differs is compare-and-swapped to the manifest's version (a tombstone
 *   for a path the manifest lacks). Nothing is lost: the later versions' blobs stay, and later
 *   restore points still name them.
 * The caller holds the replica lease (no studio is syncing), so the swaps do not race a writer.
 */
export async function restoreFiles(options: RestoreFilesOptions, entries: ManifestEntry[]): Promise<RestoreFilesResult> {
    const { store } = options;
    const root = path.resolve(options.workspaceDir);
    await fs.promises.mkdir(root, { recursive: true });
    const rules = workspaceIgnoreRules(root, options.dataDir, options.alsoIgnore);
    const stateFile = syncStatePath(options.dataDir);
    await fs.promises.rm(stateFile, { force: true });
    const state = new SyncState(stateFile, store.description);
    // A restore only writes through PathSync (never uploads): nothing listens to its tally, and nothing is re-synced.
    const pathSync = new PathSync({ store, root, state, tally: new SyncTally(new Emitter<FileSyncEvent>()), now: () => new Date(), resyncLater: () => undefined });
    const wanted = new Map(entries.filter(e => !rules.ignores(e.path)).map(e => [e.path, e]));
    const result: RestoreFilesResult = { written: 0, removed: 0, indexRewound: 0 };

    const scan = await scanLocal(root, rules);
    for (const rel of scan.entries.keys()) {
        if (!wanted.has(rel)) {
            await fs.promises.rm(path.join(root, ...rel.split('/')), { force: true });
            result.removed++;
        }
    }
    const mtimes = new Map<string, number>();
    await mapLimit([...wanted.values()], 8, async entry => {
        const local = scan.entries.get(entry.path);
        const version = versionOf(entry);
        if (local && sameVersion(await pathSync.localVersion(local), version)) {
            mtimes.set(entry.path, local.mtimeMs);
            return;
        }
        mtimes.set(entry.path, await pathSync.writeRemoteVersion(entry.path, version, entry.mtimeMs));
        result.written++;
    });

    const index = new Map<string, string>();
    for await (const info of store.list(INDEX_PREFIX)) {
        const rel = pathOfIndexKey(info.key);
        if (rel !== undefined && !rules.ignores(rel)) {
            index.set(rel, info.generation);
        }
    }
    const paths = [...new Set([...wanted.keys(), ...index.keys()])].sort();
    await mapLimit(paths, 8, async rel => {
        const entry = wanted.get(rel);
        const version = entry ? versionOf(entry) : undefined;
        let generation = index.get(rel);
        const current = generation !== undefined ? remoteVersion(parseIndexEntry(await store.get(indexKey(rel)), indexKey(rel))) : undefined;
        if (generation === undefined ? version !== undefined : !sameVersion(current, version)) {
            const info = await store.put(indexKey(rel), Buffer.from(JSON.stringify(indexEntryOf(rel, version, entry?.mtimeMs))), { ifGenerationMatch: generation ?? '0', contentType: 'application/json' });
            generation = info.generation;
            result.indexRewound++;
        }
        state.set(rel, version ? { version, mtimeMs: mtimes.get(rel), remoteGeneration: generation! } : { remoteGeneration: generation! });
    });
    await state.save();
    return result;
}
