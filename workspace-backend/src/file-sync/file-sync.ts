import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as watcher from '@parcel/watcher';
import { Emitter, Event } from '../common/emitter';
import { ObjectContentMismatchError, ObjectStore, PreconditionFailedError } from '../object-store/object-store';
import { conflictCopyPath } from './conflict-name';
import { digestFile, digestLink } from './file-digest';
import { FileVersion } from './file-version';
import { DOWNLOAD_TEMP_PREFIX, IGNORE_FILE, IgnoreRules } from './ignore-rules';
import { LocalEntry, linkStaysInside, scanLocal, statLocal } from './local-scan';
import { planPath, SyncAction } from './reconcile-plan';
import { blobKey, INDEX_PREFIX, IndexEntry, indexKey, parseIndexEntry, pathOfIndexKey, remoteVersion } from './remote-index';
import { SyncState } from './sync-state';

export interface FileSyncOptions {
    store: ObjectStore;
    workspaceDir: string;
    /** The core's data directory: holds `file-sync/state.json`; never synced. */
    dataDir: string;
    /** Quiet time before a changed path is uploaded (default 500 ms). */
    debounceMs?: number;
    /** Parallel transfers (default 8). */
    concurrency?: number;
    /** Watch the workspace after start (default true; off for one-shot syncs). */
    watch?: boolean;
    /** First retry delay after a failed transfer; doubles up to 30 s (default 1000 ms). */
    retryBaseMs?: number;
    /** Absolute folders inside the workspace never synced (a directory replica, say). */
    alsoIgnore?: readonly string[];
}

export type FileSyncEvent =
    | { type: 'progress'; phase: 'restore' | 'reconcile'; done: number; total: number }
    | { type: 'conflict'; path: string; remoteCopy: string; message: string }
    | { type: 'uploaded'; path: string; deleted: boolean }
    | { type: 'downloaded'; path: string; deleted: boolean }
    | { type: 'error'; path?: string; message: string };

/** A path whose local change the store does not hold yet. */
export interface PendingPath {
    path: string;
    /** When it first became pending (ISO). */
    since: string;
    attempts: number;
    /** Why the last attempt failed, if one did. */
    error?: string;
}

export interface FileSyncStatus {
    phase: 'idle' | 'restoring' | 'reconciling' | 'watching' | 'stopped';
    pending: number;
    lastSyncAt?: string;
    lastError?: string;
    uploaded: number;
    downloaded: number;
    conflicts: number;
    /** Symlinks not synced because they point outside the workspace. */
    outsideLinks: number;
    store: string;
}

interface RemoteView {
    generation: string;
    version: FileVersion | undefined;
    entry?: IndexEntry;
}

interface DirtyPath {
    dueAt: number;
    since: number;
    attempts: number;
    error?: string;
}

/**
 * Keeps the local workspace and the store's `files/` tree in step (remote-index.ts has the
 * layout). The workspace is local-first: editors and agents only ever touch local disk.
 *
 * - start(): reconcile both sides (restore, when the workspace is empty), then watch.
 * - A watched change marks its path dirty; once it has been quiet for `debounceMs` it is synced
 *   optimistically against the generation last seen; a compare-and-swap failure means the
 *   remote changed too, and the path is reconciled against the store's current entry.
 * - Failures keep the path pending and retry with backoff; `pending()` lists them.
 *
 * Invariants: one sync operation at a time (`exclusive`), so a path is never moved in two
 * directions at once; a blob is stored (create-only, CRC-checked) before any index entry names
 * it; state is recorded only after the store holds what it records (sync-state.ts).
 */
export class FileSync {
    protected readonly events = new Emitter<FileSyncEvent>();
    readonly onEvent: Event<FileSyncEvent> = this.events.event;

    readonly rules: IgnoreRules;
    protected readonly state: SyncState;
    protected readonly store: ObjectStore;
    protected readonly root: string;
    protected readonly debounceMs: number;
    protected readonly concurrency: number;
    protected readonly retryBaseMs: number;
    /** Blobs known to be in the store (uploaded or downloaded this session): skip re-uploading. */
    protected readonly knownBlobs = new Set<string>();
    protected readonly dirty = new Map<string, DirtyPath>();
    /** Taken off `dirty` for an attempt now under way: still pending until it succeeds. */
    protected readonly inFlight = new Map<string, DirtyPath>();
    protected chain: Promise<unknown> = Promise.resolve();
    protected timer: NodeJS.Timeout | undefined;
    protected subscription: watcher.AsyncSubscription | undefined;
    protected needsFullSync = false;
    protected fullSyncAttempts = 0;
    protected stopped = false;
    protected counters = { uploaded: 0, downloaded: 0, conflicts: 0, outsideLinks: 0 };
    protected phase: FileSyncStatus['phase'] = 'idle';
    protected lastSyncAt: Date | undefined;
    protected lastError: string | undefined;
    protected lastStateSave = 0;

    constructor(protected readonly options: FileSyncOptions) {
        this.store = options.store;
        this.root = path.resolve(options.workspaceDir);
        this.debounceMs = options.debounceMs ?? 500;
        this.concurrency = options.concurrency ?? 8;
        this.retryBaseMs = options.retryBaseMs ?? 1000;
        const inside = [options.dataDir, ...(options.alsoIgnore ?? [])]
            .map(dir => path.relative(this.root, path.resolve(dir)))
            .filter(rel => rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel))
            .map(rel => rel.split(path.sep).join('/'));
        this.rules = new IgnoreRules(this.root, inside);
        this.state = new SyncState(path.join(options.dataDir, 'file-sync', 'state.json'), this.store.description);
    }

    /** Restores or reconciles, then watches. Resolves once the workspace is usable. */
    async start(): Promise<void> {
        await this.state.load();
        await this.exclusive(() => this.reconcile()).catch(error => {
            // The store is unreachable or refused: the workspace is still usable locally; keep
            // retrying the full sync in the background, and say so in health.
            this.noteError(`Sync at start failed: ${(error as Error).message}`);
            this.needsFullSync = true;
            this.fullSyncAttempts = 1;
            this.scheduleFlush(this.retryBaseMs);
        });
        if (this.options.watch !== false && !this.stopped) {
            this.subscription = await watcher.subscribe(this.root, (error, events) => this.onWatch(error, events), {
                ignore: this.rules.alwaysIgnoredAbsolute(),
            });
        }
        this.phase = this.stopped ? 'stopped' : this.options.watch === false ? 'idle' : 'watching';
    }

    /** Forces a full two-way sync now (the "sync now" command); resolves when it is done. */
    async syncNow(): Promise<FileSyncStatus> {
        this.needsFullSync = true;
        await this.flush(true);
        return this.status();
    }

    /** What the store does not hold yet, oldest first (the "show unsynced" command). */
    pending(): PendingPath[] {
        const all = new Map([...this.inFlight, ...this.dirty]);
        return [...all.entries()]
            .sort((a, b) => a[1].since - b[1].since || a[0].localeCompare(b[0]))
            .map(([p, d]) => ({ path: p, since: new Date(d.since).toISOString(), attempts: d.attempts, ...(d.error ? { error: d.error } : {}) }));
    }

    status(): FileSyncStatus {
        return {
            phase: this.phase,
            pending: new Set([...this.inFlight.keys(), ...this.dirty.keys()]).size,
            ...(this.lastSyncAt ? { lastSyncAt: this.lastSyncAt.toISOString() } : {}),
            ...(this.lastError ? { lastError: this.lastError } : {}),
            ...this.counters,
            store: this.store.description,
        };
    }

    /**
     * Stops watching and makes a final attempt to upload what is pending. Syncing a new directory
     * marks the files under it (they may have had no events of their own, or be marked again after
     * their own upload in the same pass), so the final flush runs again while a pass leaves paths that
     * did not just fail, and ends once only failed ones are left.
     */
    async stop(): Promise<void> {
        if (this.stopped) {
            return;
        }
        this.stopped = true;
        clearTimeout(this.timer);
        await this.subscription?.unsubscribe().catch(() => undefined);
        this.subscription = undefined;
        for (let pass = 0; pass < 64; pass++) {
            const attemptsBefore = new Map([...this.dirty].map(([rel, d]) => [rel, d.attempts]));
            await this.flush(true, true).catch(() => undefined);
            // A path that failed in this pass has one attempt more; anything else left was marked during it.
            const markedDuringPass = [...this.dirty].some(([rel, d]) => !attemptsBefore.has(rel) || d.attempts <= attemptsBefore.get(rel)!);
            if (!markedDuringPass) {
                break;
            }
        }
        await this.exclusive(() => this.state.save()).catch(() => undefined);
        this.phase = 'stopped';
        this.events.dispose();
    }

    // ---- watching and the pending queue ----------------------------------------------------

    protected onWatch(error: Error | null, events: watcher.Event[]): void {
        if (error) {
            this.noteError(`Watching ${this.root} failed: ${error.message}; run a sync to catch up.`);
            this.needsFullSync = true;
            this.scheduleFlush(this.retryBaseMs);
            return;
        }
        for (const event of events) {
            const rel = path.relative(this.root, event.path).split(path.sep).join('/');
            if (!rel || rel.startsWith('..') || this.rules.ignores(rel)) {
                continue;
            }
            if (rel === IGNORE_FILE) {
                // New rules may un-ignore files nobody has uploaded: look at everything again.
                this.rules.reload();
                this.needsFullSync = true;
            }
            this.mark(rel, this.debounceMs);
        }
    }

    protected mark(rel: string, delayMs: number, error?: string): void {
        const existing = this.dirty.get(rel);
        const now = Date.now();
        this.dirty.set(rel, { dueAt: now + delayMs, since: existing?.since ?? now, attempts: existing?.attempts ?? 0, error: error ?? existing?.error });
        this.scheduleFlush(delayMs);
    }

    protected scheduleFlush(delayMs: number): void {
        if (this.stopped) {
            return;
        }
        const due = Date.now() + delayMs;
        if (this.timer && this.timerDue <= due) {
            return;
        }
        clearTimeout(this.timer);
        this.timerDue = due;
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.flush(false).catch(error => this.noteError((error as Error).message));
        }, Math.max(0, delayMs));
        this.timer.unref();
    }

    protected timerDue = 0;

    /** Syncs the paths that are due (all of them with `all`), and the full sync if asked for. */
    protected flush(all: boolean, finalFlush = false): Promise<void> {
        return this.exclusive(async () => {
            if (this.needsFullSync && (all || !finalFlush)) {
                try {
                    await this.reconcile();
                    this.needsFullSync = false;
                    this.fullSyncAttempts = 0;
                } catch (error) {
                    this.fullSyncAttempts++;
                    this.noteError(`Full sync failed: ${(error as Error).message}`);
                }
            }
            const now = Date.now();
            const due = [...this.dirty.entries()].filter(([, d]) => all || d.dueAt <= now);
            await mapLimit(due, this.concurrency, async ([rel, before]) => {
                this.dirty.delete(rel);
                this.inFlight.set(rel, before);
                try {
                    await this.syncChangedPath(rel);
                    this.inFlight.delete(rel);
                } catch (error) {
                    this.inFlight.delete(rel);
                    const message = (error as Error).message;
                    const attempts = before.attempts + 1;
                    // A newer event may have re-marked it meanwhile; keep the earliest `since`.
                    const retryAt = Date.now() + this.backoff(attempts);
                    const current = this.dirty.get(rel);
                    this.dirty.set(rel, { dueAt: current ? Math.min(current.dueAt, retryAt) : retryAt, since: before.since, attempts, error: message });
                    this.noteError(`${rel}: ${message}`);
                    this.events.fire({ type: 'error', path: rel, message });
                }
            });
            if (this.dirty.size === 0 && !this.needsFullSync) {
                this.lastSyncAt = new Date();
                this.lastError = undefined;
            }
            if (all || Date.now() - this.lastStateSave > 1000 || this.dirty.size === 0) {
                this.lastStateSave = Date.now();
                await this.state.save();
            }
            if (!finalFlush) {
                this.rescheduleAfterFlush();
            }
        });
    }

    protected rescheduleAfterFlush(): void {
        if (this.needsFullSync) {
            this.scheduleFlush(this.backoff(Math.max(1, this.fullSyncAttempts)));
        }
        if (this.dirty.size > 0) {
            const next = Math.min(...[...this.dirty.values()].map(d => d.dueAt));
            this.scheduleFlush(Math.max(0, next - Date.now()));
        }
    }

    protected backoff(attempts: number): number {
        return Math.min(30_000, this.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    }

    /** One watched path: a file, a symlink, a directory (look inside), or gone. */
    protected async syncChangedPath(rel: string): Promise<void> {
        const local = await statLocal(this.root, rel);
        if (local === 'directory') {
            // A directory appeared (moved in, unpacked): its files may not have their own events.
            const scan = await scanLocal(this.root, this.rules, rel);
            for (const child of scan.entries.keys()) {
                this.mark(child, 0);
            }
            this.markSyncedUnder(rel);
            return;
        }
        if (local === undefined) {
            // Gone (or never a file): a removed directory takes the synced files under it along.
            this.markSyncedUnder(rel);
        }
        if (local && 'outside' in local) {
            return;
        }
        if (local === undefined && !this.state.paths.get(rel)?.version) {
            return;
        }
        await this.syncPath(rel, local, 'assume');
    }

    protected markSyncedUnder(rel: string): void {
        const prefix = `${rel}/`;
        for (const [p, synced] of this.state.paths) {
            if (synced.version && p.startsWith(prefix)) {
                this.mark(p, 0);
            }
        }
    }

    // ---- reconcile ------------------------------------------------------------------------

    /** Compares every path's three views (local, last synced, store) and acts on each. */
    protected async reconcile(): Promise<void> {
        this.rules.reload();
        const scan = await scanLocal(this.root, this.rules);
        this.counters.outsideLinks = scan.outsideLinks.length;
        const remote = new Map<string, string>();
        for await (const info of this.store.list(INDEX_PREFIX)) {
            const rel = pathOfIndexKey(info.key);
            if (rel !== undefined) {
                remote.set(rel, info.generation);
            }
        }
        const restoring = scan.entries.size === 0 && this.state.paths.size === 0;
        this.phase = restoring ? 'restoring' : 'reconciling';
        const paths = new Set<string>([...scan.entries.keys(), ...this.state.paths.keys(), ...remote.keys()]);
        const todo = [...paths].filter(p => !this.rules.ignores(p) && !scan.outsideLinks.includes(p)).sort();
        let done = 0;
        const progressEvery = Math.max(1, Math.floor(todo.length / 100));
        const failures: string[] = [];
        this.events.fire({ type: 'progress', phase: restoring ? 'restore' : 'reconcile', done, total: todo.length });
        await mapLimit(todo, this.concurrency, async rel => {
            try {
                const generation = remote.get(rel);
                const synced = this.state.paths.get(rel);
                let view: RemoteView | undefined;
                if (generation !== undefined) {
                    // Unchanged since we synced: the state already says what it holds; no fetch.
                    view = generation === synced?.remoteGeneration ? { generation, version: synced.version } : await this.fetchRemote(rel, generation);
                }
                await this.syncPath(rel, scan.entries.get(rel), view);
                this.dirty.delete(rel);
            } catch (error) {
                failures.push(rel);
                this.mark(rel, this.backoff(1), (error as Error).message);
            }
            done++;
            if (done % progressEvery === 0 || done === todo.length) {
                this.events.fire({ type: 'progress', phase: restoring ? 'restore' : 'reconcile', done, total: todo.length });
            }
        });
        await this.state.save();
        this.lastStateSave = Date.now();
        this.phase = this.subscription ? 'watching' : 'idle';
        if (failures.length === 0) {
            this.lastSyncAt = new Date();
            this.lastError = undefined;
        } else {
            this.noteError(`${failures.length} path(s) did not sync (first: ${failures[0]}: ${this.dirty.get(failures[0])?.error}); retrying.`);
        }
    }

    protected async fetchRemote(rel: string, generation?: string): Promise<RemoteView | undefined> {
        const key = indexKey(rel);
        if (generation === undefined) {
            const head = await this.store.head(key);
            if (!head) {
                return undefined;
            }
            generation = head.generation;
        }
        // Generation first, content after: the content is at least as new as the generation we
        // record, so a later compare-and-swap can only fail safe (and refetch), never miss a change.
        const entry = parseIndexEntry(await this.store.get(key), key);
        return { generation, version: remoteVersion(entry), entry };
    }

    /**
     * Brings one path in step. `remote: 'assume'` takes the last synced generation as current
     * (the watched-change fast path); the compare-and-swap on upload catches a wrong guess, and
     * the path is then planned again against the store's real entry.
     */
    protected async syncPath(rel: string, localEntry: LocalEntry | undefined, remote: RemoteView | undefined | 'assume'): Promise<void> {
        const synced = this.state.paths.get(rel);
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
                    this.state.set(rel, { version: local, mtimeMs: localEntry?.mtimeMs, remoteGeneration: view.generation });
                } else {
                    this.state.delete(rel);
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
                this.state.set(rel, { remoteGeneration: view!.generation });
                this.counters.downloaded++;
                this.events.fire({ type: 'downloaded', path: rel, deleted: true });
                return;
            case 'conflict': {
                const copy = conflictCopyPath(rel, new Date());
                const remoteView = view!;
                await this.writeRemoteVersion(copy, remoteView.version!, remoteView.entry?.mtimeMs);
                await this.upload(rel, expected);
                this.counters.conflicts++;
                const message = `${rel} was changed here and in the store; your copy stays at ${rel}, the store's copy was saved as ${copy}. Compare them and delete the one you do not need.`;
                this.events.fire({ type: 'conflict', path: rel, remoteCopy: copy, message });
                // The copy is a new workspace file: sync it like any other.
                const copyEntry = await statLocal(this.root, copy);
                if (copyEntry && copyEntry !== 'directory' && !('outside' in copyEntry)) {
                    await this.syncPath(copy, copyEntry, 'assume');
                }
                return;
            }
        }
    }

    /** The local version, hashing only when size, mtime or mode differ from the synced record. */
    protected async localVersion(entry: LocalEntry): Promise<FileVersion> {
        const synced = this.state.paths.get(entry.path);
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
        return path.join(this.root, ...rel.split('/'));
    }

    /**
     * Blob first (create-only, published only if its CRC32C matches the hash pass), then the
     * index entry (compare-and-swap on `expectedGeneration`). A file edited during the upload
     * fails the CRC check or shows a new mtime afterwards; either way it stays pending.
     */
    protected async upload(rel: string, expectedGeneration: string): Promise<void> {
        const file = this.abs(rel);
        let version: FileVersion;
        const before = await statLocal(this.root, rel);
        if (!before || before === 'directory' || 'outside' in before) {
            this.mark(rel, this.debounceMs);
            return;
        }
        if (before.kind === 'symlink') {
            const d = digestLink(before.target!);
            version = { kind: 'symlink', sha256: d.sha256, size: d.size, mode: 0, target: before.target };
        } else {
            const d = await digestFile(file);
            version = { kind: 'file', sha256: d.sha256, size: d.size, mode: before.mode };
            if (!this.knownBlobs.has(d.sha256)) {
                try {
                    await this.store.putStream(blobKey(d.sha256), fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), { ifAbsent: true, expectedCrc32c: d.crc32c });
                } catch (error) {
                    if (error instanceof ObjectContentMismatchError) {
                        throw new Error(`${rel} changed while it was uploaded; it will be uploaded again once it settles.`, { cause: error });
                    }
                    throw error;
                }
                this.knownBlobs.add(d.sha256);
            }
        }
        const indexEntry: IndexEntry = { format: 1, path: rel, ...version, mtimeMs: before.mtimeMs, updatedAt: new Date().toISOString() };
        const info = await this.store.put(indexKey(rel), Buffer.from(JSON.stringify(indexEntry)), { ifGenerationMatch: expectedGeneration, contentType: 'application/json' });
        this.state.set(rel, { version, mtimeMs: before.mtimeMs, remoteGeneration: info.generation });
        this.counters.uploaded++;
        this.events.fire({ type: 'uploaded', path: rel, deleted: false });
        const after = await statLocal(this.root, rel);
        if (!after || after === 'directory' || 'outside' in after || after.mtimeMs !== before.mtimeMs || after.size !== before.size) {
            this.mark(rel, this.debounceMs);
        }
    }

    protected async uploadTombstone(rel: string, expectedGeneration: string): Promise<void> {
        const tombstone: IndexEntry = { format: 1, path: rel, deleted: true, updatedAt: new Date().toISOString() };
        const info = await this.store.put(indexKey(rel), Buffer.from(JSON.stringify(tombstone)), { ifGenerationMatch: expectedGeneration, contentType: 'application/json' });
        this.state.set(rel, { remoteGeneration: info.generation });
        this.counters.uploaded++;
        this.events.fire({ type: 'uploaded', path: rel, deleted: true });
    }

    protected async download(rel: string, view: RemoteView): Promise<void> {
        const entry = view.entry ?? (await this.fetchRemote(rel, view.generation))?.entry;
        const version = remoteVersion(entry);
        if (!version) {
            throw new Error(`The store's entry for ${rel} changed while it was read; it will be fetched again.`);
        }
        const mtimeMs = await this.writeRemoteVersion(rel, version, entry?.mtimeMs);
        this.state.set(rel, { version, mtimeMs, remoteGeneration: view.generation });
        this.counters.downloaded++;
        this.events.fire({ type: 'downloaded', path: rel, deleted: false });
    }

    /**
     * Writes a stored version to `rel`: into a temp file beside it (streamed, SHA-256 checked,
     * fsynced, mode and mtime set), then renamed over, so the path holds the old or the new
     * content, never a partial one. Returns the local mtime for the synced record.
     */
    protected async writeRemoteVersion(rel: string, version: FileVersion, mtimeMs: number | undefined): Promise<number> {
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
                await pipeline(await this.store.getStream(blobKey(version.sha256)), check, fs.createWriteStream(temp, { flags: 'wx', mode: version.mode || 0o644 }));
                const actual = hash.digest('hex');
                if (actual !== version.sha256) {
                    throw new Error(`Blob ${version.sha256} in ${this.store.description} holds other bytes (SHA-256 ${actual}); the store is damaged: delete that blob and re-upload ${rel} from a workspace that has it.`);
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
            await fs.promises.rename(temp, target);
        } finally {
            await fs.promises.rm(temp, { force: true }).catch(() => undefined);
        }
        return (await fs.promises.lstat(target)).mtimeMs;
    }

    /** Creates missing parents; refuses to write through a symlink or a file in the way. */
    protected async ensureParentDirs(rel: string): Promise<void> {
        const parts = rel.split('/').slice(0, -1);
        let current = this.root;
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
                throw new Error(`Cannot place ${rel}: ${path.relative(this.root, current)} is ${stat.isSymbolicLink() ? 'a symlink' : 'a file'} here, not a folder; rename one of them and sync again.`);
            }
        }
    }

    // ---- plumbing -------------------------------------------------------------------------

    protected noteError(message: string): void {
        this.lastError = message;
    }

    protected exclusive<T>(fn: () => Promise<T>): Promise<T> {
        const run = this.chain.then(fn, fn);
        this.chain = run.catch(() => undefined);
        return run;
    }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) {
            await fn(items[next++]);
        }
    });
    await Promise.all(workers);
}
