import { LockInfo, LockOwner } from './lock-types';

const describeHolders = (holders: readonly LockInfo[]) =>
    holders.map(h => `${h.owner.displayName} (${h.mode} on ${h.path || '/'})`).join(', ');

/** The lock was not granted within the wait. */
export class LockTimeoutError extends Error {
    constructor(readonly path: string, readonly waitedMs: number, readonly holders: readonly LockInfo[]) {
        super(`Timed out after ${waitedMs} ms waiting for the lock on ${path || '/'}, held by ${describeHolders(holders)}. ` +
            'Try again later, or ask the holder (or an admin) to release it.');
        this.name = 'LockTimeoutError';
    }
}

/** Granting the request would close a cycle of waiters; the youngest waiter in it is failed. */
export class DeadlockError extends Error {
    constructor(readonly path: string, readonly cycle: readonly LockOwner[]) {
        super(`Deadlock: ${cycle.map(o => o.displayName).join(' -> ')} -> ${cycle[0]?.displayName} wait for each other; ` +
            `the request for ${path || '/'} was refused to break the cycle. Release your locks and try again.`);
        this.name = 'DeadlockError';
    }
}

/** The lock is no longer held: it expired or was force-released. The holder learns on its next operation. */
export class LockRevokedError extends Error {
    /** `path` is undefined when it is not known any more (the lock was lost with the disk). */
    constructor(readonly lockId: string, readonly path: string | undefined, readonly reason: string) {
        super(`${path === undefined ? 'That lock' : `The lock on ${path || '/'}`} is no longer yours: ${reason}. Acquire it again before writing.`);
        this.name = 'LockRevokedError';
    }
}

export class UnknownLockError extends Error {
    constructor(readonly lockId: string) {
        super(`There is no lock with id "${lockId}"; it may have been released already. List the current locks to find it.`);
        this.name = 'UnknownLockError';
    }
}

export class LockPermissionError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'LockPermissionError';
    }
}
