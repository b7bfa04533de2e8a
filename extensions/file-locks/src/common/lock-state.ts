import type { LockEvent, LockInfo, LockWaiter } from '@coditect/workspace-backend/types';

export interface LockState {
    readonly locks: ReadonlyMap<string, LockInfo>;
    readonly waiters: ReadonlyMap<string, LockWaiter>;
}

export const emptyLockState = (): LockState => ({ locks: new Map(), waiters: new Map() });

export function lockStateOf(locks: readonly LockInfo[], waiters: readonly LockWaiter[]): LockState {
    return { locks: new Map(locks.map(l => [l.id, l])), waiters: new Map(waiters.map(w => [w.requestId, w])) };
}

/**
 * The one place that turns the event stream into the current locks and waiters, so every view
 * (tree badges, tabs, the Locks view) agrees with the backend without asking it again.
 */
export function applyLockEvent(state: LockState, event: LockEvent): LockState {
    const locks = new Map(state.locks);
    const waiters = new Map(state.waiters);
    switch (event.kind) {
        case 'acquired':
        case 'renewed':
        case 'changed-outside':
            locks.set(event.lock.id, event.lock);
            break;
        case 'released':
        case 'expired':
        case 'force-released':
            locks.delete(event.lock.id);
            break;
        case 'waiting':
        case 'escalated':
            waiters.set(event.waiter.requestId, event.waiter);
            break;
        case 'wait-ended':
            waiters.delete(event.waiter.requestId);
            break;
    }
    return { locks, waiters };
}
