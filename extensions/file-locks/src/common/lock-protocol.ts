import { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type { LockEvent, LockInfo, LockMode, LockOwner, LockWaiter } from '@coditect/workspace-backend/types';

export type { LockEvent, LockInfo, LockMode, LockOwner, LockWaiter } from '@coditect/workspace-backend/types';

export const LOCKS_PATH = '/services/coditect/locks';

/**
 * A person's locks are short leases that their browser renews: when the tab goes away without a
 * word, agents get the file back within a lease rather than waiting on a ghost.
 */
export const HUMAN_LOCK_TTL_MS = 120_000;
export const HUMAN_LOCK_RENEW_MS = 30_000;

/** All locks and waiters at one moment, and the workspace folder their paths are relative to. */
export interface LockSnapshot {
    /** file:// URI of the workspace root; lock paths are relative to it, '/'-separated. */
    readonly rootUri: string;
    readonly locks: readonly LockInfo[];
    readonly waiters: readonly LockWaiter[];
}

/** A save that was refused because someone else holds the file. */
export interface SaveRefusal {
    readonly path: string;
    readonly holders: readonly LockInfo[];
}

export interface LockClient {
    /** Every lock change, in order. Apply with `applyLockEvent`. */
    onLockEvent(event: LockEvent): void;
    /** This connection's user tried to save a file another owner holds. */
    onSaveRefused(refusal: SaveRefusal): void;
}

export const LockService = Symbol('LockService');
/**
 * The lock manager as the browser sees it. The caller is always this connection's user: a browser
 * never acquires a lock in an agent's name.
 */
export interface LockService extends RpcServer<LockClient> {
    snapshot(): Promise<LockSnapshot>;
    /** Who this connection's user is, and whether they may force-release others' locks. */
    whoAmI(): Promise<{ owner: LockOwner; isAdmin: boolean }>;
    /** Locks `path` (workspace-relative or a file URI) as this user. Waits up to `waitMs` (default 0). */
    acquire(path: string, mode: LockMode, waitMs?: number): Promise<LockInfo>;
    renew(lockId: string): Promise<LockInfo>;
    release(lockId: string): Promise<void>;
    forceRelease(lockId: string, reason: string): Promise<LockInfo>;
}
