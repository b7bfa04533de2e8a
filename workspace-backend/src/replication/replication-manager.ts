import * as fs from 'node:fs';
import { ObjectStore } from '../object-store/object-store';
import { DatabaseReplicaStatus, DatabaseReplicator, DatabaseReplicatorOptions } from './database-replicator';
import { applyRetention, listGenerations } from './generation';
import { FencedError, ReplicaLease } from './lease';
import { RestoreProgress, RestoreResult, restoreDatabase, verifyIntegrity } from './restore';

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

    constructor(readonly options: ReplicationManagerOptions) {
        this.lease = new ReplicaLease(options.store, { ttlMs: options.leaseTtlMs });
    }

    /**
     * Restores each database that is missing or fails `quick_check` from the replica (when one
     * exists). A healthy local database is kept: with the disk intact it holds everything
     * committed, at least as much as the replica.
     */
    async restoreIfNeeded(onProgress?: (progress: RestoreProgress) => void): Promise<RestoreResult[]> {
        const results: RestoreResult[] = [];
        for (const db of this.options.databases) {
            let reason: string | undefined;
            if (!fs.existsSync(db.path)) {
                reason = 'missing';
            } else {
                try {
                    verifyIntegrity(db.path);
                } catch (error) {
                    reason = `damaged (${(error as Error).message})`;
                }
            }
            if (!reason || (await listGenerations(this.options.store, db.name)).length === 0) {
                continue;
            }
            if (reason !== 'missing') {
                const aside = `${db.path}.damaged-${Date.now()}`;
                fs.renameSync(db.path, aside);
                this.log(`${db.name}: moved the damaged database aside to ${aside}`);
            }
            this.log(`${db.name}: local database ${reason}; restoring from ${this.options.store.description}`);
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
        const failures: string[] = [];
        for (const replicator of this.replicators.values()) {
            await replicator.stop({ finalSync: true }).catch(error => failures.push(`${replicator.name}: ${(error as Error).message}`));
        }
        this.replicators.clear();
        await this.lease.release();
        if (failures.length) {
            throw new Error(`Final replication sync failed for ${failures.join('; ')}`);
        }
    }

    protected log(message: string): void {
        this.options.log?.(message);
    }
}
