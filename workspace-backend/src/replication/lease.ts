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
 */
export class ReplicaLease {
    readonly owner: string;
    protected generation: string | undefined;
    protected expiresAt = 0;
    protected fenced: FencedError | undefined;

    constructor(readonly store: ObjectStore, readonly options: { ttlMs?: number; owner?: string; now?: () => number } = {}) {
        this.owner = options.owner ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
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

    /** Takes the lease if free, expired or ours; otherwise throws FencedError naming the holder. */
    async acquire(): Promise<void> {
        const current = await this.read();
        if (current && current.record.owner !== this.owner && Date.parse(current.record.expiresAt) > this.now()) {
            throw new FencedError(`The replica at ${this.store.description} is leased by ${current.record.owner} (host ${current.record.host}, pid ${current.record.pid}) until ${current.record.expiresAt}; stop that instance or wait for its lease to expire.`, current.record);
        }
        await this.write(current?.generation ?? '0', current?.record.owner === this.owner ? current.record.acquiredAt : undefined);
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
    }

    protected async write(ifGenerationMatch: string, acquiredAt?: string): Promise<void> {
        const now = this.now();
        const record: LeaseRecord = {
            owner: this.owner,
            host: os.hostname(),
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
                this.fenced = new FencedError(`Another instance took the replica lease at ${this.store.description}${holder ? ` (${holder.record.owner}, host ${holder.record.host}, pid ${holder.record.pid})` : ''}; this instance stops replicating to avoid two writers.`, holder?.record);
                throw this.fenced;
            }
            throw error;
        }
    }
}
