import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ObjectContentMismatchError, ObjectStore, PreconditionFailedError } from '../object-store/object-store';
import { conflictCopyPath, MAX_CONFLICT_COPY_ATTEMPTS } from './conflict-name';
import { digestFile, digestLink } from './file-digest';
import { FileVersion } from './file-version';
import { DOWNLOAD_TEMP_PREFIX } from './ignore-rules';
import { LocalEntry, linkStaysInside, statLocal } from './local-scan';
import { planPath, SyncAction } from './reconcile-plan';
import { blobKey, IndexEntry, indexEntryOf, indexKey, parseIndexEntry, remoteVersion } from './remote-index';
import { SyncState } from './sync-state';
import type { SyncTally } from './sync-tally';

export interface RemoteView {
    generation: string;
    version: FileVersion | undefined;
    entry?: IndexEntry;
}

/** The parts syncing one path works with: FileSync (or a restore) builds each and owns it. */
export interface PathSyncParts {
    readonly store: ObjectStore;
    /** The workspace, absolute. */
    readonly root: string;
    readonly state: SyncState;
    readonly tally: SyncTally;
    /** The clock that stamps conflict copies' names. */
    now(): Date;
    /** The path changed while it was uploaded: sync it again once it settles. */
    resyncLater(rel: string): void;
}

/**
 * Brings one path in step with the store: plans it from its three views (reconcile-plan.ts) and
 * carries the plan out, moving content between local disk and the store and recording each
 * result in the sync state. Which paths are synced, when, and one operation at a time
 * (`exclusive`) stay with FileSync.
 */
export class PathSync {
    /** Blobs known to be in the store (uploaded or downloaded this session): skip re-uploading. */
    protected readonly knownBlobs = new Set<string>();

    constructor(protected readonly parts: PathSyncParts) { }

    async fetchRemote(rel: string, generation?: string): Promise<RemoteView | undefined> {
        const key = indexKey(rel);
        if (generation === undefined) {
            const head = await this.parts.store.head(key);
            if (!head) {
                return undefined;
            }
            generation = head.generation;
        }
        // Generation first, content after: the content is at least as new as the generation we
        // record, so a later compare-and-swap can only fail safe (and refetch), never miss a change.
        const entry = parseIndexEntry(await this.parts.store.get(key), key);
        return { generation, version: remoteVersion(entry), entry };
    }

    /**
     * Brings one path in step. `remote: 'assume'` takes the last synced generation as current
     * (the watched-change fast path); the compare-and-swap on upload catches a wrong guess, and
     * the path is then planned again against the store's real entry.
     */
    async syncPath(rel: string, localEntry: LocalEntry | undefined, remote: RemoteView | undefined | 'assume'): Promise<void> {
        const synced = this.parts.state.paths.get(rel);
        const local = localEntry ? await this.localVersion(localEntry) : undefined;
        const view = remote === 'assume'
            ? (synced ? { generation: synced.remoteGeneration, version: synced.version } : undefined)
            : remote;
        const action = planPath({ local, synced, remote: view });
        try {
            await this.act(action, rel, localEntry, local, view);
        } catch (error) {
            if (!(error instanceof PreconditionFailedError) || remote !== 'assume') {
                throw error;
            }
            const actual = await this.fetchRemote(rel);
            await this.act(planPath({ local, synced, remote: actual }), rel, localEntry, local, actual);
        }
    }

    protected async act(action: SyncAction, rel: string, localEntry: LocalEntry | undefined, local: FileVersion | undefined, view: RemoteView | undefined): Promise<void> {
        const expected = view?.generation ?? '0';
        switch (action) {
            case 'none':
                return;
            case 'record':
                if (view) {
                    this.parts.state.set(rel, { version: local, mtimeMs: localEntry?.mtimeMs, remoteGeneration: view.generation });
                } else {
                    this.parts.state.delete(rel);
                }
                return;
            case 'upload':
                return this.upload(rel, expected);
            case 'upload-delete':
                return this.uploadTombstone(rel, expected);
            case 'download':
                return this.download(rel, view!);
            case 'delete-local':
                await fs.promises.rm(this.abs(rel), { force: true });
                this.parts.state.set(rel, { remoteGeneration: view!.generation });
                this.parts.tally.downloaded(rel, true);
                return;
            case 'conflict': {
                const remoteView = view!;
                const copy = await this.writeConflictCopy(rel, remoteView.version!, remoteView.entry?.mtimeMs);
                await this.upload(rel, expected);
                this.parts.tally.conflict(rel, copy, `${rel} was changed here and in the store; your copy stays at ${rel}, the store's copy was saved as ${copy}. Compare them and delete the one you do not need.`);
                // The copy is a new workspace file: sync it like any other.
                const copyEntry = await statLocal(this.parts.root, copy);
                if (copyEntry && copyEntry !== 'directory' && !('outside' in copyEntry)) {
                    await this.syncPath(copy, copyEntry, 'assume');
                }
                return;
            }
        }
    }

    /** The local version, hashing only when size, mtime or mode differ from the synced record. */
    async localVersion(entry: LocalEntry): Promise<FileVersion> {
        const synced = this.parts.state.paths.get(entry.path);
        const known = synced?.version;
        if (known && synced.mtimeMs === entry.mtimeMs && known.kind === entry.kind && known.size === entry.size && known.mode === entry.mode && (known.target ?? '') === (entry.target ?? '')) {
            return known;
        }
        if (entry.kind === 'symlink') {
            const d = digestLink(entry.target!);
            return { kind: 'symlink', sha256: d.sha256, size: d.size, mode: 0, target: entry.target };
        }
        const d = await digestFile(this.abs(entry.path));
        return { kind: 'file', sha256: d.sha256, size: d.size, mode: entry.mode };
    }

    // ---- transfers ------------------------------------------------------------------------

    protected abs(rel: string): string {
        return path.join(this.parts.root, ...rel.split('/'));
    }

    /**
     * Blob first (create-only, published only if its CRC32C matches the hash pass), then the
     * index entry (compare-and-swap on `expectedGeneration`). A file edited during the upload
     * fails the CRC check or shows a new mtime afterwards; either way it stays pending.
     */
    protected async upload(rel: string, expectedGeneration: string): Promise<void> {
        const file = this.abs(rel);
        let version: FileVersion;
        const before = await statLocal(this.parts.root, rel);
        if (!before || before === 'directory' || 'outside' in before) {
            this.parts.resyncLater(rel);
            return;
        }
        if (before.kind === 'symlink') {
            const d = digestLink(before.target!);
            version = { kind: 'symlink', sha256: d.sha256, size: d.size, mode: 0, target: before.target };
        } else {
            const d = await digestFile(file);
            version = { kind: 'file', sha256: d.sha256, size: d.size, mode: before.mode };
            if (!this.knownBlobs.has(d.sha256)) {
                const content = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
                // putStream reports what matters. A stream it never read (a store that refused at
                // once) still opens its file later, and fails if the file is gone by then: that
                // error must not escape as an uncaught one.
                content.once('error', () => undefined);
                try {
                    await this.parts.store.putStream(blobKey(d.sha256), content, { ifAbsent: true, expectedCrc32c: d.crc32c });
                } catch (error) {
                    if (error instanceof ObjectContentMismatchError) {
                        throw new Error(`${rel} changed while it was uploaded; it will be uploaded again once it settles.`, { cause: error });
                    }
                    throw error;
                } finally {
                    content.destroy();
                }
                this.knownBlobs.add(d.sha256);
            }
        }
        const info = await this.parts.store.put(indexKey(rel), Buffer.from(JSON.stringify(indexEntryOf(rel, version, before.mtimeMs))), { ifGenerationMatch: expectedGeneration, contentType: 'application/json' });
        this.parts.state.set(rel, { version, mtimeMs: before.mtimeMs, remoteGeneration: info.generation });
        this.parts.tally.uploaded(rel, false);
        const after = await statLocal(this.parts.root, rel);
        if (!after || after === 'directory' || 'outside' in after || after.mtimeMs !== before.mtimeMs || after.size !== before.size) {
            this.parts.resyncLater(rel);
        }
    }

    protected async uploadTombstone(rel: string, expectedGeneration: string): Promise<void> {
        const info = await this.parts.store.put(indexKey(rel), Buffer.from(JSON.stringify(indexEntryOf(rel, undefined))), { ifGenerationMatch: expectedGeneration, contentType: 'application/json' });
        this.parts.state.set(rel, { remoteGeneration: info.generation });
        this.parts.tally.uploaded(rel, true);
    }

    protected async download(rel: string, view: RemoteView): Promise<void> {
        const entry = view.entry ?? (await this.fetchRemote(rel, view.generation))?.entry;
        const version = remoteVersion(entry);
        if (!version) {
            throw new Error(`The store's entry for ${rel} changed while it was read; it will be fetched again.`);
        }
        const mtimeMs = await this.writeRemoteVersion(rel, version, entry?.mtimeMs);
        this.parts.state.set(rel, { version, mtimeMs, remoteGeneration: view.generation });
        this.parts.tally.downloaded(rel, false);
    }

    /**
     * Saves the store's side of a conflict as a new file beside `rel` and returns its path. Each
     * name (conflict-name.ts) is created exclusively; one that exists (an earlier conflict of the
     * same path in the same second, or a file someone made) is skipped for the next, so a
     * conflict copy never replaces a file.
     */
    protected async writeConflictCopy(rel: string, version: FileVersion, mtimeMs: number | undefined): Promise<string> {
        const when = this.parts.now();
        for (let attempt = 1; attempt <= MAX_CONFLICT_COPY_ATTEMPTS; attempt++) {
            const copy = conflictCopyPath(rel, when, attempt);
            try {
                await this.writeRemoteVersion(copy, version, mtimeMs, 'create');
                return copy;
            } catch (error) {
                if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
                    throw error;
                }
            }
        }
        throw new Error(`The store's side of the conflict on ${rel} could not be saved: ${conflictCopyPath(rel, when)} and its next `
            + `${MAX_CONFLICT_COPY_ATTEMPTS - 1} variants all exist. Delete the conflict copies you have compared; the path is synced again after.`);
    }

    /**
     * Writes a stored version to `rel`: into a temp file beside it (streamed, SHA-256 checked,
     * fsynced, mode and mtime set), then moved into place, so the path holds the old or the new
     * content, never a partial one. `replace` renames over whatever is there; `create` links the
     * temp file in, which fails with EEXIST instead of replacing an existing file (rename cannot
     * refuse). Returns the local mtime for the synced record.
     */
    async writeRemoteVersion(rel: string, version: FileVersion, mtimeMs: number | undefined, mode: 'replace' | 'create' = 'replace'): Promise<number> {
        const target = this.abs(rel);
        await this.ensureParentDirs(rel);
        const temp = path.join(path.dirname(target), `${DOWNLOAD_TEMP_PREFIX}${crypto.randomBytes(6).toString('hex')}`);
        try {
            if (version.kind === 'symlink') {
                if (!version.target || !linkStaysInside(rel, version.target)) {
                    throw new Error(`The store holds ${rel} as a symlink to ${version.target}, outside the workspace; it is not created (symlinks out of the workspace are not followed).`);
                }
                await fs.promises.symlink(version.target, temp);
            } else {
                const hash = crypto.createHash('sha256');
                const check = new Transform({
                    transform(chunk: Buffer, _encoding, callback) {
                        hash.update(chunk);
                        callback(null, chunk);
                    },
                });
                await pipeline(await this.parts.store.getStream(blobKey(version.sha256)), check, fs.createWriteStream(temp, { flags: 'wx', mode: version.mode || 0o644 }));
                const actual = hash.digest('hex');
                if (actual !== version.sha256) {
                    throw new Error(`Blob ${version.sha256} in ${this.parts.store.description} holds other bytes (SHA-256 ${actual}); the store is damaged: delete that blob and re-upload ${rel} from a workspace that has it.`);
                }
                const handle = await fs.promises.open(temp, 'r+');
                try {
                    await handle.sync();
                    await handle.chmod(version.mode || 0o644);
                    if (mtimeMs !== undefined) {
                        await handle.utimes(new Date(), new Date(mtimeMs));
                    }
                } finally {
                    await handle.close();
                }
                this.knownBlobs.add(version.sha256);
            }
            if (mode === 'create') {
                await fs.promises.link(temp, target); // the temp name is removed below; the file stays under `target`
            } else {
                await fs.promises.rename(temp, target);
            }
        } finally {
            await fs.promises.rm(temp, { force: true }).catch(() => undefined);
        }
        return (await fs.promises.lstat(target)).mtimeMs;
    }

    /** Creates missing parents; refuses to write through a symlink or a file in the way. */
    protected async ensureParentDirs(rel: string): Promise<void> {
        const parts = rel.split('/').slice(0, -1);
        let current = this.parts.root;
        for (const part of parts) {
            current = path.join(current, part);
            const stat = await fs.promises.lstat(current).catch(() => undefined);
            if (!stat) {
                await fs.promises.mkdir(current).catch(error => {
                    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
                        throw error;
                    }
                });
            } else if (!stat.isDirectory()) {
                throw new Error(`Cannot place ${rel}: ${path.relative(this.parts.root, current)} is ${stat.isSymbolicLink() ? 'a symlink' : 'a file'} here, not a folder; rename one of them and sync again.`);
            }
        }
    }
}
