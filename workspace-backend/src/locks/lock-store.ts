import { LockEvent, LockInfo } from './lock-types';

/**
 * Where the lock manager keeps its locks and their history. Every call is synchronous and durable
 * on return (the SQLite store commits each), so the in-memory table never runs ahead of the disk.
 */
export interface LockStore {
    loadLocks(): LockInfo[];
    saveLock(lock: LockInfo): void;
    deleteLock(lockId: string): void;
    appendHistory(event: LockEvent): void;
}

/** A store that keeps nothing across restarts: for headless tools and tests of the pure logic. */
export class MemoryLockStore implements LockStore {
    readonly locks = new Map<string, LockInfo>();
    readonly history: LockEvent[] = [];

    loadLocks(): LockInfo[] {
        return [...this.locks.values()];
    }
    saveLock(lock: LockInfo): void {
        this.locks.set(lock.id, lock);
    }
    deleteLock(lockId: string): void {
        this.locks.delete(lockId);
    }
    appendHistory(event: LockEvent): void {
        this.history.push(event);
    }
}
