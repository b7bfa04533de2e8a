import * as crypto from 'node:crypto';
import * as os from 'node:os';
import { ObjectStore, PreconditionFailedError } from '../object-store/object-store';
import { LEASE_KEY } from './generation';

export interface LeaseRecord {
    owner: string;
    host: string;
    pid: number;
    acquiredAt: string;
    renewedAt: string;
    expiresAt: string;
}

/** Another live process holds the lease, or took it from us. Replication must stop. */
export class FencedError extends Error {
    constructor(message: string, readonly holder?: LeaseRecord) {
        super(message);
        this.name = 'FencedError';
    }
}

/**
 * `acquire()` found the lease held by another instance and not yet expired: nothing was written,
 * and trying again once `holder.expiresAt` has passed may succeed (lease-waiter.ts does).
 */
export class LeaseHeldError extends FencedError {
    constructor(message: string, override readonly holder: LeaseRecord) {
        super(message, holder);
        this.name = 'LeaseHeldError';
    }
}

/**
 * Owners of the leases this process holds right now. A lease record naming our host and our pid
 * but an owner not in this set was written by an earlier process that had our pid (a restarted
 * container numbers its processes alike): it is dead. One in this set is a live sibling in this
 * process (a test, or the CLI beside a manager), and is waited for like anyone else.
 */
const ownersInThisProcess = new Set<string>();

/** Whether a process with this pid exists on this host (EPERM: it exists, it is just not ours). */
export function processIsAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
}

/**
 * Fencing for one replica root: a lease object written only by compare-and-swap on its
 * generation, so two containers (an overlapping deploy) never write the same replica.
 *
 * Invariants:
 * - We write the lease only with `ifGenerationMatch` set to the generation we last saw (0 to
 *   create); a failed swap means someone else wrote it, and we are fenced for good.
 * - A holder that stops renewing loses the lease after `ttlMs`; a newcomer takes an expired
 *   lease by the same compare-and-swap, so two newcomers cannot both win.
 * - `assertHeld()` is checked before every upload: past our own expiry (minus a margin for
 *   clock skew) we stop writing even before anyone else has taken over.
 * - An unexpired lease of someone else is taken over at once only when its holder is provably
 *   our own dead predecessor: the same host name, and a pid that is not alive on this host or is
 *   our own pid without being a lease this process holds (a restarted container). Anything
 *   else is waited for: two writers on one replica corrupt it, a late start only delays.
 */
export class ReplicaLease {
    readonly owner: string;
    protected generation: string | undefined;
    protected expiresAt = 0;
    protected fenced: FencedError | undefined;

    constructor(readonly store: ObjectStore, readonly options: { ttlMs?: number; owner?: string; now?: () => number; host?: string } = {}) {
        this.owner = options.owner ?? `${this.host}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
    }

    /** The host name written into the lease and compared with a holder's (tests pose as other hosts). */
    get host(): string {
        return this.options.host ?? os.hostname();
    }

    protected get ttlMs(): number {
        return this.options.ttlMs ?? 30_000;
    }

    protected now(): number {
        return this.options.now?.() ?? Date.now();
    }

    get isFenced(): FencedError | undefined {
        return this.fenced;
    }

    async read(): Promise<{ record: LeaseRecord; generation: string } | undefined> {
        const info = await this.store.head(LEASE_KEY);
        if (!info) {
            return undefined;
        }
        const data = await this.store.get(LEASE_KEY).catch(() => undefined);
        if (!data) {
            return undefined;
        }
        return { record: JSON.parse(data.toString()) as LeaseRecord, generation: info.generation };
    }

    /**
     * Takes the lease if free, expired, ours, or held by our own dead predecessor (see the class
     * comment); otherwise throws LeaseHeldError naming the holder. Returns the record taken over
     * from a dead predecessor, if that is what happened, so the caller can say so.
     */
    async acquire(): Promise<LeaseRecord | undefined> {
        const current = await this.read();
        const live = current && current.record.owner !== this.owner && Date.parse(current.record.expiresAt) > this.now();
        const deadPredecessor = live && this.isDeadPredecessor(current.record);
        if (live && !deadPredecessor) {
            throw new LeaseHeldError(`The replica at ${this.store.description} is leased by ${current.record.owner} (host ${current.record.host}, pid ${current.record.pid}) until ${current.record.expiresAt}; stop that instance or wait for its lease to expire.`, current.record);
        }
        await this.write(current?.generation ?? '0', current?.record.owner === this.owner ? current.record.acquiredAt : undefined);
        // A swap lost in an earlier attempt (two newcomers racing) fenced that attempt, not this one.
        this.fenced = undefined;
        ownersInThisProcess.add(this.owner);
        return deadPredecessor ? current!.record : undefined;
    }

    /** Same host, and the pid is gone (or is ours, and no lease of this process is that record). */
    protected isDeadPredecessor(record: LeaseRecord): boolean {
        if (record.host !== this.host) {
            return false;
        }
        return record.pid === process.pid ? !ownersInThisProcess.has(record.owner) : !processIsAlive(record.pid);
    }

    /** Extends the lease; a lost swap fences us. */
    async renew(): Promise<void> {
        if (this.fenced) {
            throw this.fenced;
        }
        await this.write(this.generation ?? '0');
    }

    assertHeld(): void {
        if (this.fenced) {
            throw this.fenced;
        }
        if (this.generation === undefined) {
            throw new FencedError('The replica lease was never acquired.');
        }
        if (this.now() > this.expiresAt - Math.min(5000, this.ttlMs / 4)) {
            throw new FencedError(`Our replica lease expired at ${new Date(this.expiresAt).toISOString()} without renewal (store unreachable?); replication paused until it is renewed.`);
        }
    }

    /** Gives the lease up so a successor need not wait for expiry. */
    async release(): Promise<void> {
        if (this.generation === undefined || this.fenced) {
            return;
        }
        await this.store.delete(LEASE_KEY, { ifGenerationMatch: this.generation }).catch(() => undefined);
        this.generation = undefined;
        ownersInThisProcess.delete(this.owner);
    }

    protected async write(ifGenerationMatch: string, acquiredAt?: string): Promise<void> {
        const now = this.now();
        const record: LeaseRecord = {
            owner: this.owner,
            host: this.host,
            pid: process.pid,
            acquiredAt: acquiredAt ?? new Date(now).toISOString(),
            renewedAt: new Date(now).toISOString(),
            expiresAt: new Date(now + this.ttlMs).toISOString(),
        };
        try {
            const info = await this.store.put(LEASE_KEY, Buffer.from(JSON.stringify(record)), { ifGenerationMatch, contentType: 'application/json' });
            this.generation = info.generation;
            this.expiresAt = now + this.ttlMs;
        } catch (error) {
            if (error instanceof PreconditionFailedError) {
                const holder = await this.read().catch(() => undefined);
                ownersInThisProcess.delete(this.owner);
                this.fenced = new FencedError(`Another instance took the replica lease at ${this.store.description}${holder ? ` (${holder.record.owner}, host ${holder.record.host}, pid ${holder.record.pid})` : ''}; this instance stops replicating to avoid two writers.`, holder?.record);
                throw this.fenced;
            }
            throw error;
        }
    }
}
