import * as path from 'node:path';
import * as watcher from '@parcel/watcher';
import { Emitter, Event } from '../common/emitter';
import type { ObjectStore } from '../object-store/object-store';
import { encodeManifest, manifestOf } from './file-manifest';
import type { FileSyncEvent, FileSyncOptions, FileSyncStatus, PendingPath } from './file-sync-types';
import { IGNORE_FILE, IgnoreRules, workspaceIgnoreRules } from './ignore-rules';
import { scanLocal, statLocal } from './local-scan';
import { PathSync, RemoteView } from './path-sync';
import { INDEX_PREFIX, pathOfIndexKey } from './remote-index';
import { SyncState, syncStatePath } from './sync-state';
import { SyncTally } from './sync-tally';
import { SerialQueue } from '../common/serial-queue';

export type { FileSyncEvent, FileSyncOptions, FileSyncStatus, PendingPath } from './file-sync-types';

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
    protected readonly pathSync: PathSync;
    protected readonly dirty = new Map<string, DirtyPath>();
    /** Taken off `dirty` for an attempt now under way: still pending until it succeeds. */
    protected readonly inFlight = new Map<string, DirtyPath>();
    protected readonly chain = new SerialQueue();
    protected timer: NodeJS.Timeout | undefined;
    protected subscription: watcher.AsyncSubscription | undefined;
    protected needsFullSync = false;
    protected fullSyncAttempts = 0;
    protected stopped = false;
    protected readonly tally = new SyncTally(this.events);
    /** Symlinks the last full sync left out because they point outside the workspace. */
    protected outsideLinks = 0;
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
        this.rules = workspaceIgnoreRules(this.root, options.dataDir, options.alsoIgnore);
        this.state = new SyncState(syncStatePath(options.dataDir), this.store.description);
        this.pathSync = new PathSync({
            store: this.store, root: this.root, state: this.state, tally: this.tally,
            now: options.now ?? (() => new Date()),
            resyncLater: rel => this.mark(rel, this.debounceMs),
        });
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

    /**
     * Stores the manifest of what the store holds now (file-manifest.ts) and returns its key, for a
     * restore point. The state is read in one synchronous step, so the manifest is one instant;
     * an unchanged tree is not uploaded again.
     */
    async publishManifest(): Promise<{ manifest: string; entries: number }> {
        const entries = manifestOf(this.state.paths);
        const { key, data } = encodeManifest(entries);
        if (key !== this.publishedManifest) {
            await this.store.put(key, data, { ifAbsent: true, contentType: 'application/json' });
            this.publishedManifest = key;
        }
        return { manifest: key, entries: entries.length };
    }

    protected publishedManifest: string | undefined;

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
            ...this.tally.counts,
            outsideLinks: this.outsideLinks,
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
        await this.pathSync.syncPath(rel, local, 'assume');
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
        this.outsideLinks = scan.outsideLinks.length;
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
                    view = generation === synced?.remoteGeneration ? { generation, version: synced.version } : await this.pathSync.fetchRemote(rel, generation);
                }
                await this.pathSync.syncPath(rel, scan.entries.get(rel), view);
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

    // ---- plumbing -------------------------------------------------------------------------

    protected noteError(message: string): void {
        this.lastError = message;
    }

    protected exclusive<T>(fn: () => Promise<T>): Promise<T> {
        return this.chain.run(fn);
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
