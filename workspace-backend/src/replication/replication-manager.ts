import * as fs from 'node:fs';
import { ObjectStore } from '../object-store/object-store';
import { DatabaseReplicaStatus, DatabaseReplicator, DatabaseReplicatorOptions } from './database-replicator';
import { applyRetention } from './generation';
import { FencedError, ReplicaLease } from './lease';
import { sealLocalState } from './local-state';
import { judgeLocalDatabase } from './local-vs-replica';
import { RestoreProgress, RestoreResult, restoreDatabase } from './restore';

export interface ReplicatedDatabase {
    name: string;
    path: string;
}

export interface ReplicationManagerOptions {
    store: ObjectStore;
    databases: ReplicatedDatabase[];
    syncIntervalMs?: number;
    /** Generations kept per database after each snapshot. Default 3. */
    retainGenerations?: number;
    /** A new generation with a snapshot this often, so restores replay bounded chains. Default: never (the core sets 24 h). */
    snapshotIntervalMs?: number;
    leaseTtlMs?: number;
    /** Forwarded to every replicator (tests). */
    replicator?: Partial<DatabaseReplicatorOptions>;
    log?: (message: string) => void;
}

export interface ReplicationStatus {
    store: string;
    fenced?: string;
    databases: DatabaseReplicaStatus[];
}

/**
 * Replication for the workspace's databases: one lease for the replica root, one replicator
 * per database. Start order: restore what is missing or damaged, take the lease, then start
 * each replicator. Each database restores to its own point in time; there is no
 * cross-database barrier.
 */
export class ReplicationManager {
    readonly lease: ReplicaLease;
    protected readonly replicators = new Map<string, DatabaseReplicator>();
    protected renewTimer: NodeJS.Timeout | undefined;
    protected fenced: FencedError | undefined;
    protected readonly stoppedStates = new Map<string, NonNullable<ReturnType<DatabaseReplicator['shippedState']>>>();

    constructor(readonly options: ReplicationManagerOptions) {
        this.lease = new ReplicaLease(options.store, { ttlMs: options.leaseTtlMs });
    }

    /**
     * Restores each database whose local file is missing, damaged, or not provably at or past
     * the replica's newest position (judgeLocalDatabase); a replaced file is moved aside, never
     * deleted. A local file the replica is not ahead of is kept: it holds everything shipped
     * and whatever was committed after.
     */
    async restoreIfNeeded(onProgress?: (progress: RestoreProgress) => void): Promise<RestoreResult[]> {
        const results: RestoreResult[] = [];
        for (const db of this.options.databases) {
            const verdict = await judgeLocalDatabase(this.options.store, db.name, db.path);
            if (verdict.action === 'keep') {
                continue;
            }
            if (verdict.replaceLocal) {
                const aside = moveDatabaseAside(db.path, 'replaced');
                this.log(`${db.name}: moved the local database aside to ${aside}`);
            }
            this.log(`${db.name}: ${verdict.reason}; restoring from ${this.options.store.description}`);
            results.push(await restoreDatabase({ store: this.options.store, db: db.name, targetPath: db.path, onProgress }));
        }
        return results;
    }

    async start(): Promise<void> {
        await this.lease.acquire();
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

    /** Resolves when everything committed to `db` before the call is in the store. */
    waitForDurable(name: string): Promise<void> {
        const replicator = this.replicators.get(name);
        return replicator ? replicator.waitForDurable() : Promise.reject(new Error(`No replicated database "${name}".`));
    }

    /** New generation (with snapshot) for each database, then retention. */
    async snapshot(names?: string[]): Promise<Record<string, string>> {
        const out: Record<string, string> = {};
        for (const [name, replicator] of this.replicators) {
            if (!names || names.includes(name)) {
                out[name] = await replicator.snapshot();
                await applyRetention(this.options.store, name, this.options.retainGenerations ?? 3);
            }
        }
        return out;
    }

    status(): ReplicationStatus {
        return {
            store: this.options.store.description,
            fenced: this.fenced?.message,
            databases: [...this.replicators.values()].map(r => r.status()),
        };
    }

    /** Final sync of every database (SIGTERM path), then releases the lease. */
    async stop(): Promise<void> {
        if (this.renewTimer) {
            clearTimeout(this.renewTimer);
        }
        this.snapshotsStopped = true;
        clearTimeout(this.snapshotTimer);
        await this.scheduledSnapshot;
        const failures: string[] = [];
        for (const replicator of this.replicators.values()) {
            await replicator.stop({ finalSync: true }).catch(error => failures.push(`${replicator.name}: ${(error as Error).message}`));
            const state = replicator.shippedState();
            if (state) {
                this.stoppedStates.set(replicator.name, state);
            }
        }
        this.replicators.clear();
        await this.lease.release();
        if (failures.length) {
            throw new Error(`Final replication sync failed for ${failures.join('; ')}`);
        }
    }

    /**
     * Once every connection to the databases is closed (after the cluster closed): record each
     * main file's hash with the position its replicator reached, so the next start can prove
     * the file is current without a WAL (local-state.ts).
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
}

/** Moves a database file and its -wal/-shm/-replica.json aside together; returns the new name of the main file. */
export function moveDatabaseAside(dbPath: string, why: string): string {
    const aside = `${dbPath}.${why}-${new Date().toISOString().replace(/[-:.]/g, '')}`;
    for (const suffix of ['-wal', '-shm', '-replica.json']) {
        if (fs.existsSync(dbPath + suffix)) {
            fs.renameSync(dbPath + suffix, aside + suffix);
        }
    }
    fs.renameSync(dbPath, aside);
    return aside;
}
