import type { Principal } from '../policy';
/** Shared (read) locks are compatible with each other; an exclusive (write) lock with nothing else. */
export type LockMode = 'shared' | 'exclusive';

export interface LockOwner {
    /** Stable id, e.g. `agent:gemini` or `user:alice`. */
    readonly id: string;
    readonly kind: 'agent' | 'human';
    /** What the UI shows, e.g. "Gemini". */
    readonly displayName: string;
}

/** Who a principal is as a lock owner: people hold locks in their own name; agents and the studio's services as agents. */
export function lockOwnerOfPrincipal(principal: Principal): LockOwner {
    return { id: principal.id, kind: principal.kind === 'person' ? 'human' : 'agent', displayName: principal.displayName };
}

/** A granted lock. Times are epoch milliseconds. */
export interface LockInfo {
    readonly id: string;
    /** Workspace-relative, '/'-separated; '' is the whole workspace. A folder lock covers its subtree. */
    readonly path: string;
    readonly mode: LockMode;
    readonly owner: LockOwner;
    readonly acquiredAt: number;
    readonly expiresAt: number;
    readonly ttlMs: number;
    readonly taskId?: string;
    /**
     * Set when the locked file was changed by someone other than the holder while the lock was
     * held (a terminal, git, another agent's command: file-changes/). The latest such change; it
     * lives as long as the lock (in memory: a restart forgets it, as the change was announced).
     */
    readonly changedOutside?: ChangedOutside;
}

/** A change to a locked path that did not come from its holder. */
export interface ChangedOutside {
    /** Epoch ms. */
    readonly at: number;
    /** Who, as people read it ("a terminal or another process", "git", "agent codex's command `make`"). */
    readonly by: string;
    /** The path that changed (the lock's, or one inside a locked folder). */
    readonly path: string;
}

/** A request waiting for a lock. */
export interface LockWaiter {
    readonly requestId: string;
    readonly path: string;
    readonly mode: LockMode;
    readonly owner: LockOwner;
    readonly priority: number;
    readonly enqueuedAt: number;
    readonly deadline: number;
    readonly taskId?: string;
    /** The locks it waits for, as they were when it was last checked. */
    readonly blockedBy: readonly LockInfo[];
}

export type LockEvent =
    | { readonly kind: 'acquired'; readonly lock: LockInfo; readonly waitedMs: number }
    | { readonly kind: 'released'; readonly lock: LockInfo }
    | { readonly kind: 'renewed'; readonly lock: LockInfo }
    | { readonly kind: 'expired'; readonly lock: LockInfo }
    | { readonly kind: 'force-released'; readonly lock: LockInfo; readonly by: LockOwner; readonly reason: string }
    /** The lock's file was changed by someone else while it was held; `lock.changedOutside` says by whom. */
    | { readonly kind: 'changed-outside'; readonly lock: LockInfo }
    | { readonly kind: 'waiting'; readonly waiter: LockWaiter }
    | { readonly kind: 'escalated'; readonly waiter: LockWaiter }
    | { readonly kind: 'wait-ended'; readonly waiter: LockWaiter; readonly outcome: 'granted' | 'timeout' | 'deadlock' | 'cancelled' };

export interface AcquireRequest {
    readonly path: string;
    readonly mode: LockMode;
    readonly owner: LockOwner;
    /** Lease length; the holder renews before it runs out. Default: the manager's. */
    readonly ttlMs?: number;
    /** How long to wait for a conflicting lock; 0 fails at once. Default: the manager's. */
    readonly waitMs?: number;
    /** Higher goes first among waiters for the same path; FIFO within a priority. */
    readonly priority?: number;
    readonly taskId?: string;
    readonly signal?: AbortSignal;
}
