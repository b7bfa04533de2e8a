import { LeaseHeldError, LeaseRecord, ReplicaLease } from './lease';

/** Why we do not hold the lease yet, and when we try again. */
export interface LeaseWait {
    /** The instance whose unexpired lease we wait for (absent when the store could not be read). */
    holder?: LeaseRecord;
    /** The last attempt failed for another reason (store unreachable, a lost race). */
    lastError?: string;
    /** When the next attempt runs (ISO). */
    nextAttemptAt: string;
    attempts: number;
}

export type LeaseAttempt = { held: true; tookOverFrom?: LeaseRecord } | { held: false };

export interface LeaseWaiterOptions {
    /** First retry delay; doubles per attempt up to `maxDelayMs`. Default 1 s. */
    minDelayMs?: number;
    /** Default 10 s: a holder that releases its lease on a clean stop is noticed this soon. */
    maxDelayMs?: number;
    /** Called after every failed attempt, with the new wait. */
    onWait?: (wait: LeaseWait) => void;
}

/**
 * Takes the replica lease for a start that must not give up: a restarted workspace whose
 * predecessor died holding the lease takes it over once it expires, by itself.
 *
 * Invariants:
 * - The lease is only ever written by `ReplicaLease.acquire()` (compare-and-swap on the lease
 *   object's generation), which refuses an unexpired lease of a live holder: waiting never
 *   makes two writers, however long it lasts. A holder that keeps renewing keeps us waiting.
 * - Retries back off (1 s doubling to 10 s) but never sleep past the holder's expiry (plus a
 *   small margin), so the takeover follows the expiry promptly.
 * - `cancel()` ends the wait at once; the pending `acquire()` then resolves false and writes nothing.
 */
export class LeaseWaiter {
    protected current: LeaseWait | undefined;
    protected timer: NodeJS.Timeout | undefined;
    protected wake: (() => void) | undefined;
    protected cancelled = false;

    constructor(readonly lease: ReplicaLease, readonly options: LeaseWaiterOptions = {}) { }

    /** The wait in progress; undefined before the first failed attempt and once the lease is held. */
    get waiting(): LeaseWait | undefined {
        return this.current;
    }

    /**
     * One attempt: `held` when the lease is now ours (with the record of the dead predecessor it
     * was taken from, if so); otherwise `waiting` is set and says until when.
     */
    async attempt(): Promise<LeaseAttempt> {
        if (this.cancelled) {
            return { held: false };
        }
        try {
            const tookOverFrom = await this.lease.acquire();
            this.current = undefined;
            return { held: true, tookOverFrom };
        } catch (error) {
            const attempts = (this.current?.attempts ?? 0) + 1;
            const backoff = Math.min((this.options.minDelayMs ?? 1000) * 2 ** (attempts - 1), this.options.maxDelayMs ?? 10_000);
            const holder = error instanceof LeaseHeldError ? error.holder : undefined;
            const untilExpiry = holder ? Date.parse(holder.expiresAt) - Date.now() + 250 : Infinity;
            const delay = Math.max(50, Math.min(backoff, untilExpiry));
            this.current = {
                holder,
                lastError: holder ? undefined : (error as Error).message,
                nextAttemptAt: new Date(Date.now() + delay).toISOString(),
                attempts,
            };
            this.options.onWait?.(this.current);
            return { held: false };
        }
    }

    /** Attempts until the lease is ours or `cancel()` is called (then `held` is false). */
    async acquire(): Promise<LeaseAttempt> {
        while (!this.cancelled) {
            if (this.current) {
                await this.sleep(Math.max(0, Date.parse(this.current.nextAttemptAt) - Date.now()));
            }
            const result = await this.attempt();
            if (result.held) {
                return result;
            }
        }
        return { held: false };
    }

    cancel(): void {
        this.cancelled = true;
        clearTimeout(this.timer);
        this.wake?.();
    }

    protected sleep(ms: number): Promise<void> {
        return new Promise(resolve => {
            this.wake = resolve;
            this.timer = setTimeout(resolve, ms);
        });
    }
}
