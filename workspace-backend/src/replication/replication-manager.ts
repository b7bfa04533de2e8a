import { Emitter, Event } from '../common/emitter';
import { ObjectStore } from '../object-store/object-store';
import { DatabaseReplicaStatus, DatabaseReplicator, DatabaseReplicatorOptions } from './database-replicator';
import { KeptCopyKind, listKeptCopies, moveDatabaseAside } from './kept-copies';
import { FencedError, LeaseRecord, ReplicaLease } from './lease';
import { LeaseWait, LeaseWaiter } from './lease-waiter';
import { LocalReplicaState, markUnshipped, sealLocalState, walFingerprint } from './local-state';
import { judgeLocalDatabase, LocalVerdict, ReplicaEnd, walCommitsAfter } from './local-vs-replica';
import { listGenerations } from './generation';
import { NoRestorePointsError, restoreToRestorePoint } from './point-restore';
import { RestoreError, RestoreProgress, RestoreResult, restoreDatabase } from './restore';
import { RestorePointDatabase } from './restore-point';
import { RestorePointFiles, RestorePointWriter } from './restore-point-writer';
import { applyRetention, RetentionReport } from './retention';

export interface ReplicatedDatabase {
    name: string;
    path: string;
}

export interface ReplicationManagerOptions {
    store: ObjectStore;
    databases: ReplicatedDatabase[];
    syncIntervalMs?: number;
    /** Generations kept per database after each snapshot, whatever the restore points say. Default 3. */
    retainGenerations?: number;
    /** Restore points, and the generations and files manifests they name, are kept this many days (retention.ts). Default 7. */
    keepDays?: number;
    /** At most one restore point per this interval after sync rounds (default 1000 ms; durable waits and stop write one at once). */
    restorePointIntervalMs?: number;
    /** Retention runs after a restore point once this long has passed since the last run (default 1 h), and after every snapshot. */
    retentionIntervalMs?: number;
    /** The workspace files take part in restore points: none is written until `attachRestorePointFiles` (file sync started). */
    restorePointsAwaitFiles?: boolean;
    /** A new generation with a snapshot this often, so restores replay bounded chains. Default: never (the core sets 24 h). */
    snapshotIntervalMs?: number;
    leaseTtlMs?: number;
    /** The host name the lease records and compares (default: this machine's); tests pose as other hosts. */
    leaseHost?: string;
    /** Forwarded to every replicator (tests). */
    replicator?: Partial<DatabaseReplicatorOptions>;
    log?: (message: string) => void;
    /** What the operator must hear of (a local file set aside, a divergence). Default: `log`. */
    warn?: (message: string) => void;
}

/** A local copy kept beside a database that the operator should look at. */
export interface KeptCopyReport {
    db: string;
    file: string;
    kind: KeptCopyKind;
    reason: string;
}

export interface ReplicationStatus {
    store: string;
    fenced?: string;
    /** Set while we do not hold the lease yet: whom we wait for, and when we try again. */
    waitingForLease?: LeaseWait;
    /** Taking the lease worked but a replicator would not start: replication is off. */
    startFailure?: string;
    /**
     * Copies set aside at this start that may hold what the live file lacks (diverged, damaged, of
     * unknown place), and diverged copies from earlier starts still in the data directory.
     */
    keptCopies: KeptCopyReport[];
    /** What this start restored from the replica, if anything (restoreIfNeeded). */
    restoredAtStart?: StartRestore;
    databases: DatabaseReplicaStatus[];
}

/** The largest lag of any database in `status` (what a lost disk would lose, restore points included); null before the first sync. */
export function worstLagMs(status: ReplicationStatus | undefined): number | null {
    return status?.databases.reduce<number | null>((worst, db) => db.lagMs === undefined ? worst : Math.max(worst ?? 0, db.lagMs), null) ?? null;
}

/**
 * A start's restore: all databases to one restore point (when every one was missing and the
 * replica has a usable point), or the databases named each to its own newest chain.
 */
export type StartRestore =
    | { to: 'restore point'; point: string; at: string; databases: string[] }
    | { to: 'newest chains'; databases: string[] };

/**
 * Where a database not (yet) replicated by this instance stands: the replica position the
 * judge proved it holds, whether it holds commits after that, and its WAL's fingerprint then.
 */
interface LocalPlace {
    base: ReplicaEnd;
    ahead: boolean;
    fingerprint: string;
    /** The sidecar says `unshippedSince` (markUnshipped ran). */
    marked?: string;
}

/**
 * Replication for the workspace's databases: one lease for the replica root, one replicator
 * per database. Start order: restore what is missing or damaged, take the lease, then start
 * each replicator. After sync rounds it writes restore points (restore-point.ts): one instant of
 * every database and the workspace files, which restore brings back together.
 *
 * Invariants:
 * - A local file that may hold commits the replica lacks is never replaced silently: it stays
 *   live (local ahead of an unmoved replica), or is kept beside the restored one as
 *   `<db>.diverged-<stamp>` and reported (local-vs-replica.ts has the rule).
 * - While this instance does not replicate a database it knows the place of (waiting for the
 *   lease), commits to it are recorded in its sidecar (`unshippedSince`) as soon as the next
 *   wait tick notices them, and at stop; the next start then knows the file is ahead.
 * - With `waitForLease`, start never gives up on a lease someone else holds: it retries
 *   (lease-waiter.ts) until the lease is ours or stop() cancels, and status says whom it waits for.
 */
export class ReplicationManager {
    readonly lease: ReplicaLease;
    protected readonly replicators = new Map<string, DatabaseReplicator>();
    protected renewTimer: NodeJS.Timeout | undefined;
    protected fenced: FencedError | undefined;
    protected readonly stoppedStates = new Map<string, Omit<LocalReplicaState, 'savedAt' | 'mainFileSha256'>>();
    protected readonly places = new Map<string, LocalPlace>();
    protected readonly keptCopies: KeptCopyReport[] = [];
    protected waiter: LeaseWaiter | undefined;
    protected waitingStart: Promise<void> | undefined;
    protected startFailure: string | undefined;
    protected stopping = false;
    protected readonly points: RestorePointWriter;
    protected lastRetentionAt = Date.now();
    protected retentionRun: Promise<unknown> | undefined;
    protected readonly changed = new Emitter<void>();
    /** Fires when the start's state changes: waiting for the lease (each attempt), started, failed. */
    readonly onStateChanged: Event<void> = this.changed.event;

    constructor(readonly options: ReplicationManagerOptions) {
        this.lease = new ReplicaLease(options.store, { ttlMs: options.leaseTtlMs, host: options.leaseHost });
        this.points = new RestorePointWriter({
            store: options.store,
            positions: () => this.restorePointPositions(),
            minIntervalMs: options.restorePointIntervalMs,
            awaitFiles: options.restorePointsAwaitFiles,
            log: message => this.log(message),
        });
    }

    /** Where the workspace files stand for restore points (file sync's `publishManifest`). */
    attachRestorePointFiles(source: () => Promise<RestorePointFiles | undefined>): void {
        this.points.attachFiles(source);
    }

    /**
     * Writes a restore point now for what the store holds (unless nothing moved since the last);
     * resolves once it is stored. Returns the newest point's key.
     */
    async writeRestorePoint(): Promise<string | undefined> {
        await this.everyDatabaseShipped();
        await this.points.flush({ freshFiles: true });
        return this.points.lastKey;
    }

    /** A point names every database: one that has not completed a sync round since this start must first. */
    protected async everyDatabaseShipped(): Promise<void> {
        await Promise.all([...this.replicators.values()].filter(r => r.syncedSince === undefined).map(r => r.waitForDurable()));
    }

    /** Every database's chain in the store: only when all of them shipped something (a point names all). */
    protected restorePointPositions(): { databases: Record<string, RestorePointDatabase>; syncedSince: number } | undefined {
        const databases: Record<string, RestorePointDatabase> = {};
        let syncedSince = Infinity;
        for (const db of this.options.databases) {
            const replicator = this.replicators.get(db.name);
            const state = replicator?.shippedState();
            if (!state || replicator?.syncedSince === undefined) {
                return undefined;
            }
            databases[db.name] = { generation: state.generation, sequence: state.sequence };
            syncedSince = Math.min(syncedSince, replicator.syncedSince);
        }
        return { databases, syncedSince };
    }

    /**
     * How far what a restore brings back trails this database: since the start of its latest
     * sync round, or since what the newest restore point covers when that is older (a lost disk
     * comes back to the newest point). Undefined before the first sync.
     */
    lagMs(name: string): number | undefined {
        const synced = this.replicators.get(name)?.syncedSince;
        if (synced === undefined) {
            return undefined;
        }
        return Date.now() - Math.min(synced, this.points.coveredSince ?? synced);
    }

    /** After a sync round: a (rate-limited) restore point, and retention when it is due. */
    protected onReplicatorSynced(): void {
        this.points.noteSynced();
        if (!this.retentionRun && Date.now() - this.lastRetentionAt >= (this.options.retentionIntervalMs ?? 60 * 60_000)) {
            this.retentionRun = this.applyRetention().catch(error => this.log(`retention failed: ${(error as Error).message}`)).finally(() => this.retentionRun = undefined);
        }
    }

    /** Retention and compaction of the replica (retention.ts). */
    async applyRetention(): Promise<RetentionReport> {
        this.lastRetentionAt = Date.now();
        return applyRetention(this.options.store, this.options.databases.map(d => d.name), {
            keepDays: this.options.keepDays ?? 7, keepGenerations: this.options.retainGenerations ?? 3,
        });
    }

    /**
     * Restores each database whose local file is missing, damaged, or not provably at or past
     * the replica's newest position (judgeLocalDatabase); a replaced file is moved aside, never
     * deleted, and unless it was provably an older state it is logged as a warning and reported
     * in status. A local file the replica is not ahead of is kept: it holds everything shipped
     * and whatever was committed after. When every database is missing (a new pod, a lost disk)
     * they all come back to the newest restore point instead (restoreAllToNewestPoint).
     */
    async restoreIfNeeded(onProgress?: (progress: RestoreProgress) => void): Promise<RestoreResult[]> {
        const verdicts = new Map<string, LocalVerdict>();
        for (const db of this.options.databases) {
            verdicts.set(db.name, await judgeLocalDatabase(this.options.store, db.name, db.path));
        }
        if ([...verdicts.values()].every(v => v.action === 'restore' && !v.replaceLocal)) {
            const together = await this.restoreAllToNewestPoint(onProgress);
            if (together) {
                return together;
            }
        }
        const results: RestoreResult[] = [];
        try {
            await this.restoreEachNeeded(verdicts, results, onProgress);
        } finally {
            if (results.length) {
                this.restoredAtStart = { to: 'newest chains', databases: results.map(r => r.db) };
            }
        }
        return results;
    }

    protected restoredAtStart: StartRestore | undefined;

    protected async restoreEachNeeded(verdicts: Map<string, LocalVerdict>, results: RestoreResult[], onProgress?: (progress: RestoreProgress) => void): Promise<void> {
        for (const db of this.options.databases) {
            const verdict = verdicts.get(db.name)!;
            if (verdict.action === 'keep') {
                if (verdict.base) {
                    this.places.set(db.name, { base: verdict.base, ahead: verdict.ahead, fingerprint: walFingerprint(db.path) });
                }
                if (verdict.ahead) {
                    this.log(`${db.name}: keeping the local database, which holds commits the replica lacks (${verdict.reason}); they are shipped once replication runs`);
                }
                continue;
            }
            if (verdict.replaceLocal) {
                const aside = moveDatabaseAside(db.path, verdict.local === 'diverged' ? 'diverged' : 'replaced');
                if (verdict.local === 'superseded') {
                    this.log(`${db.name}: ${verdict.reason}; moved the older local database aside to ${aside}`);
                } else {
                    const reason = verdict.local === 'diverged'
                        ? `${verdict.reason}. The replica's history stays live; the local database is kept at ${aside}. ` +
                          'Compare the two, then keep the replica (delete the copy) or make the copy live with `coditect-workspace diverged --promote <file>`.'
                        : `${verdict.reason}; the replica replaces it, the local file is kept at ${aside}. Check whether it holds anything the replica lacks (\`coditect-workspace diverged\` lists it).`;
                    this.keptCopies.push({ db: db.name, file: aside, kind: verdict.local === 'diverged' ? 'diverged' : 'replaced', reason });
                    this.warn(`${db.name}: ${reason}`);
                }
            }
            this.log(`${db.name}: ${verdict.reason}; restoring from ${this.options.store.description}`);
            const result = await restoreDatabase({ store: this.options.store, db: db.name, targetPath: db.path, onProgress });
            this.places.set(db.name, { base: { generation: result.generation, sequence: result.segments, position: result.position }, ahead: false, fingerprint: walFingerprint(db.path) });
            results.push(result);
        }
    }

    /**
     * Every database is missing (a new pod, a lost disk): all of them come back to the newest
     * restore point that can be restored, so they stand at one instant, and that point holds
     * every write acknowledged in `ack` mode. Returns undefined (said why) when the replica has no
     * usable point: the caller then restores each database to its own newest chain. Commits the
     * chains hold past the point were never acknowledged as durable; they stay in the store (an
     * older generation once replication starts anew) and the log says how many segments.
     */
    protected async restoreAllToNewestPoint(onProgress?: (progress: RestoreProgress) => void): Promise<RestoreResult[] | undefined> {
        let restored;
        try {
            restored = await restoreToRestorePoint({ store: this.options.store, databases: this.options.databases, onProgress });
        } catch (error) {
            if (error instanceof NoRestorePointsError) {
                this.log(`${error.message} Restoring each database to its own newest chain.`);
                return undefined;
            }
            if (error instanceof RestoreError) {
                this.warn(`${error.message} Restoring each database to its own newest chain instead, so they may stand at different instants.`);
                return undefined;
            }
            throw error;
        }
        for (const skipped of restored.skipped) {
            this.warn(`skipped restore point ${skipped.at} (${skipped.key}): ${skipped.reason}`);
        }
        const beyond: string[] = [];
        for (const result of restored.databases) {
            const db = this.options.databases.find(d => d.name === result.db)!;
            this.places.set(db.name, { base: { generation: result.generation, sequence: result.segments, position: result.position }, ahead: false, fingerprint: walFingerprint(db.path) });
            const newest = (await listGenerations(this.options.store, db.name)).at(-1);
            const past = newest?.generation === result.generation ? newest.segments.length - result.segments : 0;
            if (past > 0) {
                beyond.push(`${db.name}: ${past} segment(s)`);
            }
        }
        this.log(`every database was missing; restored all of them to the restore point of ${restored.point.at.toISOString()} (${restored.point.key}) from ${this.options.store.description}` +
            (beyond.length ? `. The replica holds commits after that point, never acknowledged as durable, kept in its older generation: ${beyond.join(', ')}` : ''));
        this.restoredAtStart = { to: 'restore point', point: restored.point.key, at: restored.point.at.toISOString(), databases: restored.databases.map(r => r.db) };
        return restored.databases;
    }

    /**
     * Takes the lease, then starts every replicator. Without `waitForLease` a lease another
     * instance holds fails the start (FencedError naming the holder: the operator CLI refuses).
     * With it, the start resolves 'waiting' instead and keeps trying in the background until the
     * lease is ours (then replication starts by itself and onStateChanged fires) or stop().
     * Either way a lease left by our own dead predecessor is taken over at once (lease.ts).
     */
    async start(options: { waitForLease?: boolean } = {}): Promise<'started' | 'waiting'> {
        if (!options.waitForLease) {
            this.noteTakeover(await this.lease.acquire());
            await this.startReplicators();
            return 'started';
        }
        const waiter = this.waiter = new LeaseWaiter(this.lease, { onWait: wait => this.onLeaseWait(wait) });
        const first = await waiter.attempt();
        if (first.held) {
            this.noteTakeover(first.tookOverFrom);
            await this.startReplicators();
            return 'started';
        }
        this.waitingStart = waiter.acquire().then(async attempt => {
            if (!attempt.held) {
                return;
            }
            if (this.stopping) {
                await this.lease.release();
                return;
            }
            this.noteTakeover(attempt.tookOverFrom);
            this.log(`took the replica lease at ${this.options.store.description}; starting replication`);
            await this.startReplicators();
            this.changed.fire();
        }).catch(async error => {
            this.startFailure = `Replication did not start after taking the replica lease: ${(error as Error).message}`;
            this.warn(this.startFailure);
            await this.stopReplicators(false).catch(() => undefined);
            await this.lease.release();
            this.changed.fire();
        });
        return 'waiting';
    }

    /** Resolves once a start that was waiting for the lease has started replication (or given up, or been stopped). */
    async started(): Promise<void> {
        await this.waitingStart;
    }

    protected onLeaseWait(wait: LeaseWait): void {
        const holder = wait.holder ? `held by ${describeHolder(wait.holder)} until ${wait.holder.expiresAt}` : `unavailable (${wait.lastError})`;
        this.log(`the replica lease at ${this.options.store.description} is ${holder}; trying again at ${wait.nextAttemptAt}`);
        this.noteLocalCommits();
        this.changed.fire();
    }

    protected noteTakeover(previous: LeaseRecord | undefined): void {
        if (previous) {
            this.warn(`took over the replica lease of our dead predecessor ${describeHolder(previous)}: same host, its process is gone; its lease would have run until ${previous.expiresAt}`);
        }
    }

    /**
     * For each database no replicator of ours ships yet, whose place we know: once its WAL shows
     * commits (or it held some already), record `unshippedSince` in its sidecar (local-state.ts).
     */
    protected noteLocalCommits(): void {
        for (const db of this.options.databases) {
            const place = this.places.get(db.name);
            if (!place || place.marked || this.replicators.has(db.name) || this.stoppedStates.has(db.name)) {
                continue;
            }
            if (place.ahead || walFingerprint(db.path) !== place.fingerprint) {
                place.ahead = true;
                place.marked = new Date().toISOString();
                try {
                    markUnshipped(db.path, { db: db.name, ...place.base }, place.marked);
                    this.log(`${db.name}: committed locally while not replicating; recorded in ${db.path}-replica.json`);
                } catch (error) {
                    place.marked = undefined;
                    this.warn(`${db.name}: could not record local commits made while not replicating: ${(error as Error).message}`);
                }
            }
        }
    }

    protected async startReplicators(): Promise<void> {
        for (const db of this.options.databases) {
            const replicator = new DatabaseReplicator({
                syncIntervalMs: this.options.syncIntervalMs,
                log: this.options.log,
                ...this.options.replicator,
                name: db.name,
                path: db.path,
                store: this.options.store,
                lease: this.lease,
            });
            await replicator.start();
            replicator.onSynced(() => this.onReplicatorSynced());
            this.replicators.set(db.name, replicator);
        }
        const ttl = this.options.leaseTtlMs ?? 30_000;
        const renew = () => {
            this.renewTimer = setTimeout(() => {
                this.lease.renew().catch(error => {
                    if (error instanceof FencedError) {
                        this.fenced = error;
                        this.log(`replication stopped: ${error.message}`);
                    }
                }).finally(() => { if (!this.fenced) renew(); });
            }, ttl / 3);
            this.renewTimer.unref?.();
        };
        renew();
        this.scheduleSnapshots();
    }

    /** Stops every replicator (with a final sync when asked) and records where each stands; returns the failures. */
    protected async stopReplicators(finalSync: boolean): Promise<string[]> {
        const failures: string[] = [];
        this.points.stop();
        for (const replicator of this.replicators.values()) {
            let synced = finalSync;
            await replicator.stop({ finalSync }).catch(error => {
                synced = false;
                failures.push(`${replicator.name}: ${(error as Error).message}`);
            });
            const state = replicator.shippedState();
            if (state) {
                const path = this.options.databases.find(d => d.name === replicator.name)!.path;
                // Fenced, or the final sync failed: whatever the WAL holds past the shipped position
                // never reached the replica.
                const unshipped = (!synced || replicator.status().fenced !== undefined) && walCommitsAfter(path, state.position);
                this.stoppedStates.set(replicator.name, { ...state, unshippedSince: unshipped ? new Date().toISOString() : undefined });
            }
        }
        if (finalSync && failures.length === 0 && !this.fenced) {
            // The clean stop's restore point: the instant the databases are left at.
            await this.points.flush({ freshFiles: true }).catch(error => failures.push(`restore point: ${(error as Error).message}`));
        }
        this.replicators.clear();
        return failures;
    }

    protected snapshotTimer: NodeJS.Timeout | undefined;
    protected snapshotsStopped = false;
    /** The scheduled snapshot under way: stop() waits for it, so a snapshot never outlives the manager with its retention undone. */
    protected scheduledSnapshot: Promise<void> | undefined;

    /** Periodic snapshots; a failure is logged and the next one is tried at the next interval. */
    protected scheduleSnapshots(): void {
        const interval = this.options.snapshotIntervalMs;
        if (!interval || this.fenced || this.snapshotsStopped) {
            return;
        }
        this.snapshotTimer = setTimeout(() => {
            this.scheduledSnapshot = this.snapshot().then(() => undefined, error => this.log(`scheduled snapshot failed: ${(error as Error).message}`)).finally(() => {
                this.scheduledSnapshot = undefined;
                this.scheduleSnapshots();
            });
        }, Math.min(interval, 2 ** 31 - 1));
        this.snapshotTimer.unref?.();
    }

    replicator(name: string): DatabaseReplicator | undefined {
        return this.replicators.get(name);
    }

    /**
     * Resolves when everything committed to `db` before the call is in the store and in a restore
     * point (group-committed), so a restore to the newest point never loses an acknowledged write.
     */
    async waitForDurable(name: string): Promise<void> {
        const replicator = this.replicators.get(name);
        if (!replicator) {
            throw new Error(`No replicated database "${name}".`);
        }
        await replicator.waitForDurable();
        await this.everyDatabaseShipped();
        await this.points.flush();
    }

    /** New generation (with snapshot) for each database, a restore point naming them, then retention. */
    async snapshot(names?: string[]): Promise<Record<string, string>> {
        const out: Record<string, string> = {};
        for (const [name, replicator] of this.replicators) {
            if (!names || names.includes(name)) {
                out[name] = await replicator.snapshot();
            }
        }
        await this.points.flush({ freshFiles: true });
        await this.retentionRun;
        await this.applyRetention();
        return out;
    }

    status(): ReplicationStatus {
        const keptCopies = [...this.keptCopies];
        for (const db of this.options.databases) {
            for (const copy of listKeptCopies(db.path, ['diverged']).filter(c => !keptCopies.some(k => k.file === c.file))) {
                keptCopies.push({ db: db.name, file: copy.file, kind: copy.kind, reason: `${db.name} diverged from the replica at a start at ${copy.keptAt}; the local copy ${copy.file} is not reconciled yet (\`coditect-workspace diverged\`).` });
            }
        }
        return {
            store: this.options.store.description,
            fenced: this.fenced?.message,
            waitingForLease: this.waiter?.waiting,
            startFailure: this.startFailure,
            keptCopies,
            restoredAtStart: this.restoredAtStart,
            // The lag a restore would lose, restore points included (lagMs).
            databases: [...this.replicators.values()].map(r => ({ ...r.status(), lagMs: this.lagMs(r.name) })),
        };
    }

    /**
     * Final sync of every database (SIGTERM path), then releases the lease. A start still waiting
     * for the lease is cancelled; what the databases committed meanwhile is recorded for the seal.
     */
    async stop(): Promise<void> {
        this.stopping = true;
        this.waiter?.cancel();
        await this.waitingStart;
        if (this.renewTimer) {
            clearTimeout(this.renewTimer);
        }
        this.snapshotsStopped = true;
        clearTimeout(this.snapshotTimer);
        await this.scheduledSnapshot;
        await this.retentionRun;
        const failures = await this.stopReplicators(true);
        this.noteLocalCommits();
        for (const [name, place] of this.places) {
            if (!this.stoppedStates.has(name)) {
                this.stoppedStates.set(name, { db: name, ...place.base, unshippedSince: place.marked });
            }
        }
        await this.lease.release();
        if (failures.length) {
            throw new Error(`Final replication sync failed for ${failures.join('; ')}`);
        }
    }

    /**
     * Once every connection to the databases is closed (after the cluster closed): record each
     * main file's hash with the position its replicator reached (or, for a database this instance
     * never replicated, the position the start proved it holds), and whether it holds commits
     * after that position the replica lacks, so the next start can prove the file's place without
     * a WAL (local-state.ts).
     */
    async sealLocalState(): Promise<void> {
        for (const db of this.options.databases) {
            const state = this.stoppedStates.get(db.name);
            if (state) {
                await sealLocalState(db.path, state).catch(error => this.log(`${db.name}: could not record the local state: ${(error as Error).message}`));
            }
        }
    }

    protected log(message: string): void {
        this.options.log?.(message);
    }

    protected warn(message: string): void {
        (this.options.warn ?? this.options.log)?.(message);
    }
}

export function describeHolder(holder: LeaseRecord): string {
    return `${holder.owner} (host ${holder.host}, pid ${holder.pid})`;
}
