import { LockEvent, LockInfo } from './lock-types';

/** One transition of the lock table: the event, and the row it adds, updates or removes. */
export interface LockChange {
    readonly event: LockEvent;
    readonly save?: LockInfo;
    readonly remove?: string;
}

/**
 * Where the lock manager keeps its locks and their history. `apply` writes a lock row and its
 * history entry together, atomically and durably before it returns, so the in-memory table
 * never runs ahead of the disk and the history never disagrees with the locks.
 */
export interface LockStore {
    loadLocks(): LockInfo[];
    apply(change: LockChange): void;
}

/** A store that keeps nothing across restarts: for headless tools and tests of the pure logic. */
export class MemoryLockStore implements LockStore {
    readonly locks = new Map<string, LockInfo>();
    readonly history: LockEvent[] = [];

    loadLocks(): LockInfo[] {
        return [...this.locks.values()];
    }

    apply(change: LockChange): void {
        if (change.save) {
            this.locks.set(change.save.id, change.save);
        }
        if (change.remove) {
            this.locks.delete(change.remove);
        }
        this.history.push(change.event);
    }
}
