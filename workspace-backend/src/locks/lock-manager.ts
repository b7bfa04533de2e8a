import { randomUUID } from 'node:crypto';
import { Emitter, Event } from '../common/emitter';
import { DeadlockError, LockPermissionError, LockRevokedError, LockTimeoutError, UnknownLockError } from './lock-errors';
import { LockStore } from './lock-store';
import { AcquireRequest, ChangedOutside, LockEvent, LockInfo, LockMode, LockOwner, lockOwnerOfPrincipal, LockWaiter } from './lock-types';
import { pathsOverlap, WorkspacePaths } from '../policy/workspace-paths';
import { Policy, PolicyImpl, Principal } from '../policy';
import { inChildSpan, SpanAttribute } from '../telemetry/tracing';

/**
 * The manager's settings from the environment (README, "Configuration"): STUDIO_LOCK_TTL_MS,
 * STUDIO_LOCK_WAIT_MS, STUDIO_LOCK_ESCALATE_MS. A value that is not a positive number is an error
 * naming the variable, rather than a silent default.
 */
export function lockManagerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LockManagerOptions {
    const read = (name: string): number | undefined => {
        const raw = env[name]?.trim();
        if (!raw) {
            return undefined;
        }
        const value = Number(raw);
        if (!Number.isFinite(value) || value <= 0) {
            throw new RangeError(`${name} must be a positive number of milliseconds, not "${raw}".`);
        }
        return value;
    };
    return { defaultTtlMs: read('STUDIO_LOCK_TTL_MS'), defaultWaitMs: read('STUDIO_LOCK_WAIT_MS'), escalateAfterMs: read('STUDIO_LOCK_ESCALATE_MS') };
}

export interface LockManagerOptions {
    readonly defaultTtlMs?: number;
    readonly defaultWaitMs?: number;
    /** After this long waiting, the holder and the UI hear of it (an `escalated` event). */
    readonly escalateAfterMs?: number;
    readonly now?: () => number;
    /**
     * Set when locks.db was restored from the replica at this start: the replica trails the disk
     * (locks are leases, never waited for), so holders' locks granted just before the loss may be
     * gone. Renewing or releasing an unknown lock then says so (LockRevokedError, HTTP 410), and
     * the holder takes it again, instead of "no such lock" (404).
     */
    readonly restoredAt?: Date;
    /** Who may force-release (the core passes its own, which audits); default: the table without an audit log. */
    readonly policy?: Policy;
}


interface PendingRequest {
    waiter: LockWaiter;
    ttlMs: number;
    resolve(lock: LockInfo): void;
    reject(error: Error): void;
    timers: NodeJS.Timeout[];
    detachAbort?: () => void;
}

const conflicting = (a: LockMode, b: LockMode) => a === 'exclusive' || b === 'exclusive';

/**
 * Shared and exclusive locks over workspace paths, with leases, fair waiter queues, deadlock
 * detection and escalation.
 *
 * Invariants:
 * - No two granted locks of different owners overlap (same path, or one path inside the other)
 *   unless both are shared. Locks of one owner never conflict with each other.
 * - Waiters are granted in order of priority, then arrival. A request is granted only when it
 *   conflicts neither with a held lock nor with a waiter ahead of it, so a stream of readers
 *   cannot starve a writer.
 * - Every change is written to the store before it is announced, so what listeners hear is
 *   what a restart will find.
 */
export class LockManager {
    protected readonly locks = new Map<string, LockInfo>();
    protected readonly queue: PendingRequest[] = [];
    /** Locks taken away from their holders (expired, force-released), so the holder learns why. */
    protected readonly revoked = new Map<string, { path: string; reason: string }>();
    protected readonly changed = new Emitter<LockEvent>();
    readonly onLockEvent: Event<LockEvent> = this.changed.event;

    protected readonly defaultTtlMs: number;
    protected readonly defaultWaitMs: number;
    protected readonly escalateAfterMs: number;
    protected readonly now: () => number;
    protected expiryTimer: NodeJS.Timeout | undefined;
    protected disposed = false;

    protected readonly restoredAt: Date | undefined;
    protected readonly policy: Policy;

    constructor(readonly paths: WorkspacePaths, protected readonly store: LockStore, options: LockManagerOptions = {}) {
        this.restoredAt = options.restoredAt;
        this.policy = options.policy ?? new PolicyImpl();
        this.defaultTtlMs = options.defaultTtlMs ?? 60 * 60_000;
        this.defaultWaitMs = options.defaultWaitMs ?? 60_000;
        this.escalateAfterMs = options.escalateAfterMs ?? 30_000;
        this.now = options.now ?? Date.now;
        this.recover();
    }

    /**
     * Locks survive a restart with their leases still counting: the ones that ran out while the
     * backend was down are reclaimed now and logged as expired.
     */
    protected recover(): void {
        for (const lock of this.store.loadLocks()) {
            this.locks.set(lock.id, lock);
        }
        this.reclaimExpired();
    }

    list(): LockInfo[] {
        return [...this.locks.values()].sort((a, b) => a.path.localeCompare(b.path) || a.acquiredAt - b.acquiredAt);
    }

    waiters(): LockWaiter[] {
        return this.queue.map(p => p.waiter);
    }

    get(lockId: string): LockInfo | undefined {
        return this.locks.get(lockId);
    }

    /** The locks of other owners that a request for `path` in `mode` by `ownerId` would conflict with. */
    conflicts(path: string, mode: LockMode, ownerId: string): LockInfo[] {
        const relative = this.paths.relative(path);
        return [...this.locks.values()].filter(l => l.owner.id !== ownerId && pathsOverlap(l.path, relative) && conflicting(l.mode, mode));
    }

    /** The locks that cover `path` or lie inside it, of any owner. */
    locksTouching(path: string): LockInfo[] {
        const relative = this.paths.relative(path);
        return [...this.locks.values()].filter(l => pathsOverlap(l.path, relative));
    }

    acquire(request: AcquireRequest): Promise<LockInfo> {
        return inChildSpan('lock.acquire', { [SpanAttribute.lockMode]: request.mode, [SpanAttribute.path]: request.path }, () => this.acquireOrWait(request));
    }

    protected async acquireOrWait(request: AcquireRequest): Promise<LockInfo> {
        this.assertOpen();
        const path = this.paths.relative(request.path);
        const ttlMs = request.ttlMs ?? this.defaultTtlMs;
        const waitMs = request.waitMs ?? this.defaultWaitMs;
        if (!(ttlMs > 0) || !(waitMs >= 0)) {
            throw new RangeError(`ttlMs must be positive and waitMs zero or more (got ttlMs=${ttlMs}, waitMs=${waitMs}).`);
        }
        if (request.signal?.aborted) {
            throw new Error(`The request for the lock on ${path || '/'} was cancelled before it was made.`);
        }
        this.reclaimExpired();
        const now = this.now();
        const waiter: LockWaiter = {
            requestId: randomUUID(), path, mode: request.mode, owner: request.owner, priority: request.priority ?? 0,
            enqueuedAt: now, deadline: now + waitMs, taskId: request.taskId, blockedBy: [],
        };
        const ahead = this.queue.filter(p => this.goesBefore(p.waiter, waiter));
        const blockers = this.blockersOf(waiter, ahead.map(p => p.waiter));
        if (blockers.locks.length === 0 && blockers.waiters.length === 0) {
            return this.grant(waiter, ttlMs, 0);
        }
        if (waitMs === 0) {
            throw new LockTimeoutError(path, 0, blockers.locks.length ? blockers.locks : blockers.waiters.map(w => this.asHolder(w)));
        }
        const cycle = this.findCycle(waiter, blockers);
        if (cycle) {
            this.changed.fire({ kind: 'wait-ended', waiter, outcome: 'deadlock' });
            throw new DeadlockError(path, cycle);
        }
        return this.enqueue({ ...waiter, blockedBy: blockers.locks }, ttlMs, request.signal);
    }

    renew(lockId: string, owner: LockOwner, ttlMs?: number): LockInfo {
        const lock = this.held(lockId, owner);
        const renewed: LockInfo = { ...lock, ttlMs: ttlMs ?? lock.ttlMs, expiresAt: this.now() + (ttlMs ?? lock.ttlMs) };
        this.store.apply({ event: { kind: 'renewed', lock: renewed }, save: renewed });
        this.locks.set(lockId, renewed);
        this.scheduleExpiry();
        this.changed.fire({ kind: 'renewed', lock: renewed });
        return renewed;
    }

    release(lockId: string, owner: LockOwner): void {
        const lock = this.held(lockId, owner);
        this.remove(lock, { kind: 'released', lock });
    }

    /** Releases every lock an owner holds (an agent that stops, a human who closes the studio). */
    releaseAll(ownerId: string): number {
        const mine = [...this.locks.values()].filter(l => l.owner.id === ownerId);
        mine.forEach(lock => this.remove(lock, { kind: 'released', lock }));
        return mine.length;
    }

    /**
     * Takes a lock from its holder, when the policy allows `actor` to (`lock.force-release`: an
     * admin any lock, a person an agent's, a holder its own; the decision is audited). The
     * holder's next renew, release or guarded write fails with the reason.
     */
    forceRelease(lockId: string, actor: Principal, reason: string): LockInfo {
        const lock = this.locks.get(lockId);
        if (!lock) {
            throw this.revoked.has(lockId) ? new LockRevokedError(lockId, this.revoked.get(lockId)!.path, this.revoked.get(lockId)!.reason) : new UnknownLockError(lockId);
        }
        const decision = this.policy.decide(actor, 'lock.force-release', {
            target: lock.path || '/', ownerId: lock.owner.id, ownerKind: lock.owner.kind === 'human' ? 'person' : 'agent',
        }, `${lock.owner.displayName}'s ${lock.mode} lock${reason ? `: ${reason}` : ''}`);
        if (!decision.allowed) {
            throw new LockPermissionError(`${decision.reason} Ask an admin.`);
        }
        const by = lockOwnerOfPrincipal(actor);
        const why = `force-released by ${by.displayName}${reason ? `: ${reason}` : ''}`;
        this.revoked.set(lockId, { path: lock.path, reason: why });
        this.remove(lock, { kind: 'force-released', lock, by, reason });
        return lock;
    }

    /**
     * Marks a live lock whose path was changed by someone other than its holder, and announces
     * it (the holder is told: an agent in its inbox, a person in the IDE). Recorded in the lock's
     * history; the mark itself is not saved with the lock, it goes when the lock goes. Returns
     * the marked lock, or undefined when it is no longer held.
     */
    markChangedOutside(lockId: string, change: ChangedOutside): LockInfo | undefined {
        const lock = this.locks.get(lockId);
        if (!lock || this.disposed) {
            return undefined;
        }
        const marked: LockInfo = { ...lock, changedOutside: change };
        this.store.apply({ event: { kind: 'changed-outside', lock: marked } });
        this.locks.set(lockId, marked);
        this.changed.fire({ kind: 'changed-outside', lock: marked });
        return marked;
    }

    /** Fails when `lockId` is not a live lock of `owner`; used by guarded writes. */
    assertHeld(lockId: string, owner: LockOwner): LockInfo {
        return this.held(lockId, owner);
    }

    dispose(): void {
        this.disposed = true;
        clearTimeout(this.expiryTimer);
        for (const pending of this.queue.splice(0)) {
            this.settle(pending);
            pending.reject(new Error(`The lock manager stopped while waiting for ${pending.waiter.path || '/'}; try again after restart.`));
        }
        this.changed.dispose();
    }

    protected held(lockId: string, owner: LockOwner): LockInfo {
        this.reclaimExpired();
        const lock = this.locks.get(lockId);
        if (!lock) {
            const revoked = this.revoked.get(lockId);
            if (revoked) {
                throw new LockRevokedError(lockId, revoked.path, revoked.reason);
            }
            const restoredAt = this.restoredAt;
            throw restoredAt
                ? new LockRevokedError(lockId, undefined, `the workspace's locks were restored from the replica at ${restoredAt.toISOString()} (the disk was lost), and lock "${lockId}" was granted after the replica's last copy`)
                : new UnknownLockError(lockId);
        }
        if (lock.owner.id !== owner.id) {
            throw new LockPermissionError(`The lock on ${lock.path || '/'} belongs to ${lock.owner.displayName}, not ${owner.displayName}.`);
        }
        return lock;
    }

    protected grant(waiter: LockWaiter, ttlMs: number, waitedMs: number): LockInfo {
        const now = this.now();
        const lock: LockInfo = {
            id: randomUUID(), path: waiter.path, mode: waiter.mode, owner: waiter.owner,
            acquiredAt: now, expiresAt: now + ttlMs, ttlMs, taskId: waiter.taskId,
        };
        this.store.apply({ event: { kind: 'acquired', lock, waitedMs }, save: lock });
        this.locks.set(lock.id, lock);
        this.scheduleExpiry();
        this.changed.fire({ kind: 'acquired', lock, waitedMs });
        return lock;
    }

    protected remove(lock: LockInfo, event: LockEvent): void {
        this.store.apply({ event, remove: lock.id });
        this.locks.delete(lock.id);
        this.changed.fire(event);
        this.pump();
    }

    protected enqueue(waiter: LockWaiter, ttlMs: number, signal: AbortSignal | undefined): Promise<LockInfo> {
        return new Promise<LockInfo>((resolve, reject) => {
            const pending: PendingRequest = { waiter, ttlMs, resolve, reject, timers: [] };
            pending.timers.push(setTimeout(() => this.endWait(pending, 'timeout'), waiter.deadline - this.now()));
            if (this.escalateAfterMs < waiter.deadline - waiter.enqueuedAt) {
                pending.timers.push(setTimeout(() => this.changed.fire({ kind: 'escalated', waiter: this.refreshed(pending) }), this.escalateAfterMs));
            }
            if (signal) {
                const onAbort = () => this.endWait(pending, 'cancelled');
                signal.addEventListener('abort', onAbort, { once: true });
                pending.detachAbort = () => signal.removeEventListener('abort', onAbort);
            }
            this.queue.push(pending);
            this.queue.sort((a, b) => this.goesBefore(a.waiter, b.waiter) ? -1 : 1);
            this.store.apply({ event: { kind: 'waiting', waiter } });
            this.changed.fire({ kind: 'waiting', waiter });
        });
    }

    protected endWait(pending: PendingRequest, outcome: 'timeout' | 'cancelled'): void {
        const index = this.queue.indexOf(pending);
        if (index < 0) {
            return;
        }
        this.queue.splice(index, 1);
        this.settle(pending);
        const waiter = this.refreshed(pending);
        this.changed.fire({ kind: 'wait-ended', waiter, outcome });
        pending.reject(outcome === 'timeout'
            ? new LockTimeoutError(waiter.path, this.now() - waiter.enqueuedAt, waiter.blockedBy)
            : new Error(`The request for the lock on ${waiter.path || '/'} was cancelled.`));
        // The queue changed: a waiter that queued behind this one may now go.
        this.pump();
    }

    protected settle(pending: PendingRequest): void {
        pending.timers.forEach(clearTimeout);
        pending.detachAbort?.();
    }

    /** Grants, in queue order, every waiter that conflicts neither with a held lock nor with a waiter still ahead of it. */
    protected pump(): void {
        if (this.disposed) {
            return;
        }
        const stillWaiting: LockWaiter[] = [];
        for (const pending of [...this.queue]) {
            const blockers = this.blockersOf(pending.waiter, stillWaiting);
            if (blockers.locks.length === 0 && blockers.waiters.length === 0) {
                this.queue.splice(this.queue.indexOf(pending), 1);
                this.settle(pending);
                const waitedMs = this.now() - pending.waiter.enqueuedAt;
                this.changed.fire({ kind: 'wait-ended', waiter: pending.waiter, outcome: 'granted' });
                pending.resolve(this.grant(pending.waiter, pending.ttlMs, waitedMs));
            } else {
                stillWaiting.push(pending.waiter);
            }
        }
    }

    protected blockersOf(waiter: LockWaiter, ahead: readonly LockWaiter[]): { locks: LockInfo[]; waiters: LockWaiter[] } {
        const overlaps = (path: string, mode: LockMode, ownerId: string) =>
            ownerId !== waiter.owner.id && pathsOverlap(path, waiter.path) && conflicting(mode, waiter.mode);
        return {
            locks: [...this.locks.values()].filter(l => overlaps(l.path, l.mode, l.owner.id)),
            waiters: ahead.filter(w => overlaps(w.path, w.mode, w.owner.id)),
        };
    }

    protected goesBefore(a: LockWaiter, b: LockWaiter): boolean {
        return a.priority !== b.priority ? a.priority > b.priority : a.enqueuedAt <= b.enqueuedAt;
    }

    /**
     * Looks for a cycle in the wait-for graph that the new waiter would close: owner -> the owners
     * it waits for (holders of conflicting locks, conflicting waiters ahead) -> what those owners
     * wait for, and so on. The new waiter is the youngest, so it is the one refused.
     */
    protected findCycle(waiter: LockWaiter, blockers: { locks: LockInfo[]; waiters: LockWaiter[] }): LockOwner[] | undefined {
        const owners = new Map<string, LockOwner>([[waiter.owner.id, waiter.owner]]);
        const edges = new Map<string, Set<string>>();
        const addEdges = (from: LockOwner, to: readonly LockOwner[]) => {
            owners.set(from.id, from);
            const set = edges.get(from.id) ?? new Set<string>();
            to.forEach(o => { owners.set(o.id, o); set.add(o.id); });
            edges.set(from.id, set);
        };
        addEdges(waiter.owner, [...blockers.locks.map(l => l.owner), ...blockers.waiters.map(w => w.owner)]);
        this.queue.forEach((pending, index) => {
            const b = this.blockersOf(pending.waiter, this.queue.slice(0, index).map(p => p.waiter));
            addEdges(pending.waiter.owner, [...b.locks.map(l => l.owner), ...b.waiters.map(w => w.owner)]);
        });
        const path: string[] = [];
        const visiting = new Set<string>();
        const visit = (id: string): boolean => {
            if (id === waiter.owner.id && path.length > 0) {
                return true;
            }
            if (visiting.has(id)) {
                return false;
            }
            visiting.add(id);
            path.push(id);
            for (const next of edges.get(id) ?? []) {
                if (visit(next)) {
                    return true;
                }
            }
            path.pop();
            return false;
        };
        return visit(waiter.owner.id) ? path.map(id => owners.get(id)!) : undefined;
    }

    protected refreshed(pending: PendingRequest): LockWaiter {
        pending.waiter = { ...pending.waiter, blockedBy: this.blockersOf(pending.waiter, []).locks };
        return pending.waiter;
    }

    protected asHolder(waiter: LockWaiter): LockInfo {
        return { id: waiter.requestId, path: waiter.path, mode: waiter.mode, owner: waiter.owner, acquiredAt: waiter.enqueuedAt, expiresAt: waiter.deadline, ttlMs: 0 };
    }

    protected reclaimExpired(): void {
        const now = this.now();
        for (const lock of [...this.locks.values()]) {
            if (lock.expiresAt <= now) {
                this.revoked.set(lock.id, { path: lock.path, reason: `its lease of ${lock.ttlMs} ms ran out without renewal` });
                this.remove(lock, { kind: 'expired', lock });
            }
        }
        this.trimRevoked();
        this.scheduleExpiry();
    }

    protected scheduleExpiry(): void {
        clearTimeout(this.expiryTimer);
        if (this.disposed || this.locks.size === 0) {
            return;
        }
        const next = Math.min(...[...this.locks.values()].map(l => l.expiresAt));
        // Timers beyond ~24 days overflow; a lease that long is simply checked again later.
        this.expiryTimer = setTimeout(() => this.reclaimExpired(), Math.min(Math.max(0, next - this.now()), 2 ** 31 - 1));
        this.expiryTimer.unref();
    }

    protected trimRevoked(): void {
        const limit = 10_000;
        for (const key of this.revoked.keys()) {
            if (this.revoked.size <= limit) {
                break;
            }
            this.revoked.delete(key);
        }
    }

    protected assertOpen(): void {
        if (this.disposed) {
            throw new Error('The lock manager has stopped; the workspace core is shutting down.');
        }
    }
}
