import Database from 'better-sqlite3';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { SharedFileHandle } from '../database/shared-file-handle';
import { ObjectStore, PreconditionFailedError } from '../object-store/object-store';
import { listGenerations, newGenerationId, segmentKey, snapshotKey } from './generation';
import { FencedError, ReplicaLease } from './lease';
import { saveLocalState } from './local-state';
import { decodeSegment, decodeSnapshot, encodeSegment, encodeSnapshot, SegmentHeader } from './segment';
import { buildSnapshotImage } from './snapshot-image';
import { readWal, WalPosition, WalReadResult } from './wal-reader';

export interface DatabaseReplicatorOptions {
    /** Short database name; the replica keys start with it. */
    name: string;
    path: string;
    store: ObjectStore;
    lease?: ReplicaLease;
    /** Default 1000 ms. */
    syncIntervalMs?: number;
    /** Checkpoint (passively, under the write lock) once the WAL holds this many shipped frames. Default 1000. */
    checkpointFrames?: number;
    /** Also checkpoint when the WAL holds any frames and the last checkpoint is this old. Default 60 s (Litestream's). */
    checkpointIntervalMs?: number;
    /** Durable writes are refused once the store has been failing this long. Default 10 s. */
    maxFailureMs?: number;
    /**
     * A chain this long starts a new generation (a snapshot) after the round that reached it, so
     * a restore reads at most this many segments (default 1000: `ack` mode ships one per
     * acknowledged write burst).
     */
    maxSegments?: number;
    busyTimeoutMs?: number;
    /** Test hook: called at named points (before-upload, after-upload, before-checkpoint, during-checkpoint, during-snapshot). */
    crashPoint?: (point: string) => void;
    log?: (message: string) => void;
}

export interface DatabaseReplicaStatus {
    db: string;
    generation?: string;
    sequence: number;
    /** When the last successful sync started: everything committed before it is in the store. */
    lastSyncAt?: string;
    /** Milliseconds since then: an upper bound on what a lost disk would lose right now. */
    lagMs?: number;
    lastError?: string;
    failingSince?: string;
    fenced?: string;
    walFrames: number;
    lastCheckpointAt?: string;
    /** Checkpoints that copied a tail committed during their upload: a sign of a steady stream of writes. */
    checkpointsWithTail: number;
}

/** Durable writes are refused: the store has been failing too long to promise anything. */
export class ReplicationBackPressureError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = 'ReplicationBackPressureError';
    }
}

/**
 * Our lease lapsed without renewal (the store was slow or unreachable, or this process was
 * paused): shipping waits until the manager renews it. Not a FencedError: only a lease another
 * instance took stops replication for good.
 */
export class LeaseLapsedError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = 'LeaseLapsedError';
    }
}

interface Waiter {
    resolve(): void;
    reject(error: Error): void;
}

/**
 * Ships one database's WAL to the object store, in the manner of Litestream.
 *
 * Invariants:
 * - Our connection holds a read transaction (the pin) at all times except during our own
 *   checkpoint. At read mark 0 it blocks any checkpoint; at a mark > 0 it keeps the WAL from
 *   being restarted. Either way, frames cannot be overwritten before we have read them.
 * - Only committed, checksum-verified frames are shipped, each batch as a new segment with a
 *   create-only put; the position advances only after the store acknowledged it.
 * - We checkpoint only after everything is shipped, holding the write lock (BEGIN IMMEDIATE on
 *   a second connection) so no frame can slip in between the last upload and the checkpoint.
 *   The checkpoint is PASSIVE: it copies frames into the main file and lets the next writer
 *   restart the WAL (salt-1 + 1), which the next segment records as `afterRestart`.
 * - Whenever the WAL no longer continues the shipped position, we start a new generation
 *   with a snapshot; never do we ship frames whose predecessors are unknown.
 * - Durable waiters are released only by a sync that started after they asked (group commit).
 */
export class DatabaseReplicator {
    protected conn: Database.Database | undefined;
    protected lockConn: Database.Database | undefined;
    protected mainFile: SharedFileHandle | undefined;
    protected position: WalPosition | undefined;
    protected generation: string | undefined;
    protected sequence = 0;
    protected lastSyncStartedAt: number | undefined;
    protected lastError: Error | undefined;
    protected failingSince: number | undefined;
    protected fenced: FencedError | undefined;
    protected walFrames = 0;
    protected lastCheckpointAt = Date.now();
    /** Checkpoints that had to copy a tail committed during the upload (a steady stream of writers). */
    protected checkpointsWithTail = 0;
    protected running: Promise<void> | undefined;
    protected kickRequested = false;
    protected waiters: Waiter[] = [];
    protected timer: NodeJS.Timeout | undefined;
    protected stopped = false;
    protected readonly syncListeners: ((startedAt: number, finishedAt: number) => void)[] = [];

    constructor(readonly options: DatabaseReplicatorOptions) { }

    get name(): string {
        return this.options.name;
    }

    protected get walPath(): string {
        return `${this.options.path}-wal`;
    }

    /** Opens the connections, pins the WAL, and joins the newest remote generation if the local WAL continues it. */
    async start(): Promise<void> {
        const open = () => {
            const db = new Database(this.options.path);
            db.pragma(`busy_timeout = ${this.options.busyTimeoutMs ?? 5000}`);
            db.pragma('journal_mode = WAL');
            db.pragma('wal_autocheckpoint = 0');
            return db;
        };
        this.conn = open();
        this.lockConn = open();
        // Snapshots read the main file through this shared descriptor, never open/close it (see shared-file-handle.ts).
        this.mainFile = SharedFileHandle.acquire(this.options.path);
        this.pin();
        await this.resume();
        // The first round now, not one interval later: until every database has shipped once, no
        // restore point can name them all (a crash in that window restores an older instant).
        this.kick();
        this.schedule();
    }

    protected pin(): void {
        const conn = this.conn!;
        if (!conn.inTransaction) {
            conn.exec('BEGIN');
            conn.prepare('SELECT count(*) FROM sqlite_master').get();
        }
    }

    protected unpin(): void {
        if (this.conn?.inTransaction) {
            this.conn.exec('ROLLBACK');
        }
    }

    /** Continue the newest remote generation when the local WAL provably extends it. */
    protected async resume(): Promise<void> {
        const generations = await listGenerations(this.options.store, this.name);
        const newest = generations[generations.length - 1];
        if (!newest?.snapshot) {
            return;
        }
        let end: WalPosition;
        let sequence = 0;
        try {
            const last = newest.segments[newest.segments.length - 1];
            if (last && last.sequence === newest.segments.length) {
                end = decodeSegment(await this.options.store.get(last.info.key)).header.after;
                sequence = last.sequence;
            } else if (!last) {
                end = decodeSnapshot(await this.options.store.get(newest.snapshot.key)).header.position;
            } else {
                return;
            }
        } catch {
            return;
        }
        const read = readWal(this.walPath, end);
        if (read.kind === 'frames' && !read.afterRestart && !end.walEmpty) {
            this.generation = newest.generation;
            this.sequence = sequence;
            this.position = end;
            this.log(`resuming generation ${newest.generation} at segment ${sequence}`);
        }
    }

    /** Resolves once everything committed before the call is in the store. Group-commits with other callers. */
    waitForDurable(): Promise<void> {
        if (this.fenced) {
            return Promise.reject(this.fenced);
        }
        if (this.stopped) {
            return Promise.reject(new Error(`Replication of ${this.name} is stopped; durable writes cannot be acknowledged.`));
        }
        if (this.failingSince !== undefined && Date.now() - this.failingSince > (this.options.maxFailureMs ?? 10_000)) {
            return Promise.reject(new ReplicationBackPressureError(
                `Durable write refused: the replica store (${this.options.store.description}) has been failing since ${new Date(this.failingSince).toISOString()} (${this.lastError?.message}). ` +
                'The write is committed locally; retry once the store is reachable again.', { cause: this.lastError }));
        }
        return new Promise<void>((resolve, reject) => {
            this.waiters.push({ resolve, reject });
            this.kick();
        });
    }

    onSynced(listener: (startedAt: number, finishedAt: number) => void): void {
        this.syncListeners.push(listener);
    }

    /** Runs one sync now (after any in progress). Throws what the sync failed with. */
    async sync(): Promise<void> {
        while (this.running) {
            await this.running.catch(() => undefined);
        }
        const run = this.doSync();
        this.running = run;
        try {
            await run;
        } finally {
            if (this.running === run) {
                this.running = undefined;
            }
            if (this.kickRequested && !this.stopped) {
                this.kickRequested = false;
                this.kick();
            }
        }
    }

    protected kick(): void {
        if (this.running) {
            this.kickRequested = true;
            return;
        }
        this.sync().catch(() => undefined);
    }

    protected schedule(): void {
        if (this.stopped) {
            return;
        }
        this.timer = setTimeout(() => {
            this.sync().catch(() => undefined).finally(() => this.schedule());
        }, this.options.syncIntervalMs ?? 1000);
        this.timer.unref?.();
    }

    protected async doSync(): Promise<void> {
        const waiters = this.waiters;
        this.waiters = [];
        const startedAt = Date.now();
        try {
            if (this.fenced) {
                throw this.fenced;
            }
            if (!this.conn) {
                throw new Error(`Replication of ${this.name} is not started.`);
            }
            this.assertLeaseHeld();
            if (!this.generation) {
                await this.newGeneration('no generation yet');
            }
            await this.shipAll();
            if (this.checkpointDue()) {
                await this.checkpoint();
            }
            this.lastSyncStartedAt = startedAt;
            this.lastError = undefined;
            this.failingSince = undefined;
            const finishedAt = Date.now();
            for (const listener of this.syncListeners) {
                listener(startedAt, finishedAt);
            }
            waiters.forEach(w => w.resolve());
            if (this.sequence >= (this.options.maxSegments ?? 1000)) {
                // After the waiters: they are durable already; this round's snapshot only bounds restores.
                await this.newGeneration(`the chain reached ${this.sequence} segments`);
            }
        } catch (error) {
            const err = error as Error;
            if (err instanceof FencedError) {
                this.fenced = err;
                this.log(`stopped: ${err.message}`);
            }
            this.lastError = err;
            this.failingSince ??= startedAt;
            waiters.forEach(w => w.reject(err));
            throw err;
        }
    }

    /**
     * Checked before every upload. A lease taken by another instance fences us for good; one that
     * merely lapsed (ReplicaLease.assertHeld's "expired without renewal") pauses us until renewed,
     * and the renewal's compare-and-swap then tells which it was.
     */
    protected assertLeaseHeld(): void {
        const lease = this.options.lease;
        try {
            lease?.assertHeld();
        } catch (error) {
            if (error instanceof FencedError && !lease?.isFenced) {
                throw new LeaseLapsedError(error.message, { cause: error });
            }
            throw error;
        }
    }

    /** Ships every committed frame; starts a new generation on discontinuity. */
    protected async shipAll(): Promise<void> {
        for (let round = 0; round < 3; round++) {
            const read = readWal(this.walPath, this.position);
            if (read.kind === 'discontinuity') {
                await this.newGeneration(read.reason);
                continue;
            }
            if (read.kind === 'empty') {
                return;
            }
            this.walFrames = read.to.frameCount;
            if (read.frames.length === 0) {
                return;
            }
            await this.ship(read);
            return;
        }
    }

    protected async ship(read: Extract<WalReadResult, { kind: 'frames' }>): Promise<void> {
        const sequence = this.sequence + 1;
        const header: SegmentHeader = {
            db: this.name,
            generation: this.generation!,
            sequence,
            pageSize: read.header.pageSize,
            walHeader: read.headerBytes.toString('base64'),
            afterRestart: read.afterRestart,
            before: read.from,
            after: read.to,
            dbSizePages: read.dbSizePages,
            createdAt: new Date().toISOString(),
        };
        const key = segmentKey(this.name, this.generation!, sequence);
        this.crash('before-upload');
        try {
            await this.options.store.put(key, encodeSegment(header, read.frames), { ifAbsent: true });
        } catch (error) {
            if (!(error instanceof PreconditionFailedError)) {
                throw error;
            }
            // A segment of ours under this name whose answer we lost earlier: adopt it if it
            // continues our position (its frames are a prefix of what we just read).
            const stored = decodeSegment(await this.options.store.get(key)).header;
            if (JSON.stringify(stored.before) !== JSON.stringify(read.from) || stored.after.frameCount > read.to.frameCount) {
                throw new FencedError(`Segment ${key} already exists with content that does not continue our chain; another writer is using this replica. Stopping.`);
            }
            this.position = stored.after;
            this.sequence = sequence;
            this.saveState();
            return this.shipAll();
        }
        this.crash('after-upload');
        this.position = read.to;
        this.sequence = sequence;
        this.saveState();
    }

    /**
     * Records where the local file stands in the replica (local-state.ts). Called only once the
     * local file holds that position, and synchronously: under the write lock after a checkpoint
     * nothing may be awaited, and no writer can restart the WAL before the record is written.
     */
    protected saveState(mainFileSha256?: string): void {
        if (this.generation && this.position) {
            saveLocalState(this.options.path, { db: this.name, generation: this.generation, sequence: this.sequence, position: this.position, mainFileSha256 });
        }
    }

    /** When the latest successful sync round started: everything committed before it is in the store. */
    get syncedSince(): number | undefined {
        return this.lastSyncStartedAt;
    }

    /** The replica position the local file is known to hold (after stop: for sealLocalState). */
    shippedState(): { db: string; generation: string; sequence: number; position: WalPosition } | undefined {
        return this.generation && this.position ? { db: this.name, generation: this.generation, sequence: this.sequence, position: this.position } : undefined;
    }

    /**
     * Passive checkpoint under the write lock, after everything is shipped.
     *
     * Invariant: nothing is awaited while the write lock is held. Writers on this thread wait for
     * the lock synchronously (better-sqlite3 sleeps inside busy_timeout), so an upload awaited under
     * the lock could not progress: writers would stall for busy_timeout and then fail with
     * SQLITE_BUSY. So: ship (async, unlocked), then lock and re-read the WAL synchronously; if
     * frames committed in between, unlock, ship them and try again.
     *
     * Under a steady stream of commits (a lock storm) frames always land between the upload and
     * the lock, and retrying alone would starve checkpoints while the WAL grows without bound. So
     * the last attempt checkpoints anyway: the tail committed since the upload is copied under the
     * lock (it is then in memory and, after the checkpoint, in the main file) and shipped as soon
     * as the lock is released. The local record (local-state.ts) is written under the lock first,
     * at the tail's end, because once the lock is released a writer may restart the WAL, and a
     * crash then must still find the local file's place proven (the replica is not ahead of it).
     * If that upload fails, the in-memory position stays before the tail: the next sync sees the
     * restarted WAL as a discontinuity and starts a new generation from a snapshot, which holds
     * the tail. The WAL file's size is bounded by `journal_size_limit` (database-open.ts), which
     * SQLite applies when the next writer restarts the WAL.
     */
    protected async checkpoint(): Promise<void> {
        const lock = this.lockConn!;
        this.crash('before-checkpoint');
        for (let attempt = 0; attempt < 3; attempt++) {
            await this.shipAll();
            let staged: Extract<WalReadResult, { kind: 'frames' }> | undefined;
            let complete: boolean;
            lock.exec('BEGIN IMMEDIATE');
            try {
                const read = readWal(this.walPath, this.position);
                if (read.kind === 'discontinuity') {
                    continue;
                }
                staged = read.kind === 'frames' && read.frames.length > 0 ? read : undefined;
                if (staged && attempt < 2) {
                    continue;
                }
                const end = staged ? staged.to : this.position;
                this.unpin();
                try {
                    this.crash('during-checkpoint');
                    const [result] = this.conn!.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
                    this.lastCheckpointAt = Date.now();
                    complete = end !== undefined && !end.walEmpty && result.log === end.frameCount && result.checkpointed === result.log;
                    if (complete) {
                        // Everything is in the main file; the next writer restarts the WAL with salt-1 + 1.
                        saveLocalState(this.options.path, {
                            db: this.name, generation: this.generation!, sequence: this.sequence + (staged ? 1 : 0),
                            position: { ...end!, restartSalt1: (end!.salt1 + 1) >>> 0 },
                        });
                    } else if (end && result.log > end.frameCount) {
                        this.log(`checkpoint saw ${result.log} frames, ${end.frameCount} read`);
                    }
                } finally {
                    this.pin();
                }
            } finally {
                lock.exec('ROLLBACK');
            }
            if (staged) {
                this.checkpointsWithTail++;
                await this.ship(staged);
            }
            if (complete) {
                this.position = { ...this.position!, restartSalt1: (this.position!.salt1 + 1) >>> 0 };
                this.walFrames = 0;
                this.saveState();
            }
            return;
        }
    }

    /** A checkpoint is due: the WAL holds `checkpointFrames` shipped frames, or any frames and the last checkpoint is `checkpointIntervalMs` old. */
    protected checkpointDue(): boolean {
        if (this.walFrames >= (this.options.checkpointFrames ?? 1000)) {
            return true;
        }
        return this.walFrames > 0 && Date.now() - this.lastCheckpointAt >= (this.options.checkpointIntervalMs ?? 60_000);
    }

    /** Starts a new generation: a snapshot of the database at the current WAL end. */
    protected async newGeneration(reason: string): Promise<void> {
        const generation = newGenerationId();
        this.log(`new generation ${generation}: ${reason}`);
        this.assertLeaseHeld();
        // The pin keeps checkpoints from moving the main file under us (see buildSnapshotImage).
        this.pin();
        const snapshot = buildSnapshotImage(this.mainFile!.readAll(), this.options.path, this.walPath);
        const data = encodeSnapshot({
            db: this.name,
            generation,
            pageSize: snapshot.pageSize,
            dbSizePages: snapshot.dbSizePages,
            position: snapshot.position,
            createdAt: new Date().toISOString(),
        }, snapshot.image);
        await this.options.store.put(snapshotKey(this.name, generation), data, { ifAbsent: true });
        this.crash('during-snapshot');
        this.generation = generation;
        this.sequence = 0;
        this.position = snapshot.position;
        this.walFrames = snapshot.position.frameCount;
        // With an empty WAL the image is the main file itself, and the main file stays as it is
        // until our next checkpoint (which saves a new record): its hash proves this position.
        const wholeFile = snapshot.position.walEmpty && snapshot.image.length === fs.statSync(this.options.path).size;
        this.saveState(wholeFile ? crypto.createHash('sha256').update(snapshot.image).digest('hex') : undefined);
    }

    /** Forces a new generation (operator `snapshot`, daily snapshots). */
    async snapshot(): Promise<string> {
        while (this.running) {
            await this.running.catch(() => undefined);
        }
        const run = (async () => {
            // Ship the tail of the current generation first; with none yet (a file nobody
            // replicated, such as a promoted copy), the snapshot below holds everything.
            if (this.generation) {
                await this.shipAll();
            }
            await this.newGeneration('snapshot requested');
        })();
        this.running = run;
        try {
            await run;
        } finally {
            this.running = undefined;
        }
        return this.generation!;
    }

    status(): DatabaseReplicaStatus {
        return {
            db: this.name,
            generation: this.generation,
            sequence: this.sequence,
            lastSyncAt: this.lastSyncStartedAt !== undefined ? new Date(this.lastSyncStartedAt).toISOString() : undefined,
            lagMs: this.lastSyncStartedAt !== undefined ? Date.now() - this.lastSyncStartedAt : undefined,
            lastError: this.lastError?.message,
            failingSince: this.failingSince !== undefined ? new Date(this.failingSince).toISOString() : undefined,
            fenced: this.fenced?.message,
            walFrames: this.walFrames,
            lastCheckpointAt: new Date(this.lastCheckpointAt).toISOString(),
            checkpointsWithTail: this.checkpointsWithTail,
        };
    }

    /** Stops the timer; with `finalSync` ships what is left first. Closes our connections last. */
    async stop(options: { finalSync?: boolean } = {}): Promise<void> {
        if (this.stopped) {
            return;
        }
        if (this.timer) {
            clearTimeout(this.timer);
        }
        let failure: unknown;
        if (options.finalSync && this.conn && !this.fenced) {
            await this.sync().catch(error => { failure = error; });
        }
        this.stopped = true;
        while (this.running) {
            await this.running.catch(() => undefined);
        }
        const pending = this.waiters;
        this.waiters = [];
        pending.forEach(w => w.reject(new Error(`Replication of ${this.name} stopped before the write was shipped.`)));
        this.unpin();
        this.lockConn?.close();
        this.conn?.close();
        this.conn = this.lockConn = undefined;
        this.mainFile?.release();
        this.mainFile = undefined;
        if (failure) {
            throw failure;
        }
    }

    protected crash(point: string): void {
        this.options.crashPoint?.(point);
    }

    protected log(message: string): void {
        this.options.log?.(`[replication ${this.name}] ${message}`);
    }

    /** Exposed for diagnostics and tests. */
    get walFile(): string {
        return this.walPath;
    }

    static exists(path: string): boolean {
        return fs.existsSync(path);
    }
}
