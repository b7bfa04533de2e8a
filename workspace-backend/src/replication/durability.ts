import type { DatabaseName } from '../database/database-names';
import { Emitter, Event } from '../common/emitter';

/**
 * When a write is acknowledged (to the browser, the HTTP API, an agent):
 * - `async`: once it is committed on the local disk, unless the replica trails the disk by more
 *   than the async bound (`STUDIO_ASYNC_MAX_LAG_MS`, default 3 s): then the acknowledgement waits
 *   for the next upload (back-pressure). So no write is acknowledged while the replica is more
 *   than the bound behind, and a lost disk loses at most the writes acknowledged in the bound
 *   after the last sync started; under load the lag grows, the bound does not.
 * - `ack`: once its commit is in the replica as well. Every caller waiting on one database is
 *   released by the same upload (group commit), so the cost is one upload's latency, not one per
 *   write. Chosen for the writes that matter (task submission and completion, budget changes,
 *   cost entries, chat messages); lock grants stay leases and are never waited for.
 */
export type DurabilityMode = 'async' | 'ack';

export const DurabilityModes: readonly DurabilityMode[] = ['async', 'ack'];

/** Reads `STUDIO_DURABILITY`; unset means `fallback` (the container sets `ack`, `npm start` leaves `async`). */
export function durabilityModeFromEnv(env: NodeJS.ProcessEnv = process.env, fallback: DurabilityMode = 'async'): DurabilityMode {
    const raw = env.STUDIO_DURABILITY?.trim().toLowerCase();
    if (!raw) {
        return fallback;
    }
    if (!(DurabilityModes as readonly string[]).includes(raw)) {
        throw new Error(`STUDIO_DURABILITY="${env.STUDIO_DURABILITY}" is not a durability mode; use "async" (acknowledge on the local commit) or "ack" (acknowledge once the commit is in the replica).`);
    }
    return raw as DurabilityMode;
}

/** Reads `STUDIO_ASYNC_MAX_LAG_MS` (default 3000). */
export function asyncMaxLagFromEnv(env: NodeJS.ProcessEnv = process.env): number {
    const raw = env.STUDIO_ASYNC_MAX_LAG_MS?.trim();
    const value = raw ? Number(raw) : 3000;
    if (!Number.isFinite(value) || value < 100) {
        throw new Error(`STUDIO_ASYNC_MAX_LAG_MS="${raw}" is not a number of milliseconds >= 100.`);
    }
    return value;
}

/** What replication offers: how far a database's replica trails, and a wait until its commits so far are in the store. */
export interface DurableReplica {
    /** Milliseconds since the last successful sync of `database` started; undefined before the first. */
    lagMs(database: DatabaseName): number | undefined;
    waitForDurable(database: DatabaseName): Promise<void>;
}

/** A write was committed locally but could not be acknowledged as durable. */
export class NotDurableError extends Error {
    constructor(readonly what: string, readonly database: DatabaseName, reason: string, options?: { cause?: unknown }) {
        super(`${what} is committed on this disk but not yet in the replica (${database}.db): ${reason}. It is kept and replicates once the replica is reachable; do not repeat it.`, options);
        this.name = 'NotDurableError';
    }
}

/** One acknowledgement that waited for the replica. */
export interface DurableAcknowledgement {
    readonly durationMs: number;
    readonly failed: boolean;
}

export interface DurabilityStatus {
    readonly mode: DurabilityMode;
    /** The async bound: no write is acknowledged while the replica trails by more. */
    readonly asyncMaxLagMs: number;
    /** False when nothing replicates (replication off or not running): `ack` acknowledgements then fail. */
    readonly replicating: boolean;
    /** Acknowledgements that waited for the replica so far, those that failed, and how long the latest took. */
    readonly acknowledged: number;
    readonly failed: number;
    readonly lastAckMs: number | undefined;
}

/**
 * The one place that decides when a committed write may be acknowledged. Callers at the edges
 * (RPC services, the orchestrator's answers to agents) commit first, then `await
 * acknowledge(...)`, then answer. Nothing here writes; it only waits on replication.
 */
export class Durability {
    protected readonly acknowledgements = new Emitter<DurableAcknowledgement>();
    /** Every acknowledgement that waited for the replica, given or failed (not those `async` gave at once). */
    readonly onAcknowledgement: Event<DurableAcknowledgement> = this.acknowledgements.event;
    protected acknowledgedCount = 0;
    protected failedCount = 0;
    protected lastAck: number | undefined;

    constructor(readonly mode: DurabilityMode, protected readonly replica: () => DurableReplica | undefined, readonly asyncMaxLagMs = 3000) { }

    /**
     * Resolves once what was committed to `databases` before the call may be acknowledged. In
     * `ack` mode: once it is in the replica. In `async` mode: at once, or after the next upload
     * when the replica trails by more than the async bound; with no replication at all (it is
     * off), at once. Rejects with a `NotDurableError` (naming `what`, e.g. "task #12") when `ack`
     * cannot be given: replication is not running, or the store keeps failing.
     */
    async acknowledge(what: string, ...databases: DatabaseName[]): Promise<void> {
        const replica = this.replica();
        const waitFor = this.mode === 'ack'
            ? databases
            // Before its first sync a replica's lag is unknown: it counts as past the bound.
            : databases.filter(database => (replica?.lagMs(database) ?? Infinity) > this.asyncMaxLagMs);
        if (this.mode === 'async' && (waitFor.length === 0 || !replica)) {
            return;
        }
        const started = Date.now();
        try {
            if (!replica) {
                throw new NotDurableError(what, databases[0], 'replication is not running (see the replication line of the workspace health)');
            }
            await Promise.all(waitFor.map(database => replica.waitForDurable(database).catch(error => {
                throw error instanceof NotDurableError ? error : new NotDurableError(what, database, (error as Error).message, { cause: error });
            })));
            this.acknowledgedCount++;
            this.lastAck = Date.now() - started;
            this.acknowledgements.fire({ durationMs: this.lastAck, failed: false });
        } catch (error) {
            this.failedCount++;
            this.acknowledgements.fire({ durationMs: Date.now() - started, failed: true });
            throw error;
        }
    }

    status(): DurabilityStatus {
        return { mode: this.mode, asyncMaxLagMs: this.asyncMaxLagMs, replicating: this.replica() !== undefined, acknowledged: this.acknowledgedCount, failed: this.failedCount, lastAckMs: this.lastAck };
    }
}
