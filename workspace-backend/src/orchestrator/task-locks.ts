import type { LockManager } from '../locks/lock-manager';
import type { LockOwner } from '../locks/lock-types';

/**
 * Locks an agent took for a task (tagged with its id) end with it. Locks of the same owner taken
 * otherwise (through the locks API, by a human on the agent's behalf) are not touched, and a lock
 * revoked meanwhile is already gone.
 */
export function releaseTaskLocks(locks: LockManager, owner: LockOwner, taskId: number): void {
    for (const lock of locks.list()) {
        if (lock.owner.id === owner.id && lock.taskId === String(taskId)) {
            try {
                locks.release(lock.id, owner);
            } catch {
                // Revoked meanwhile.
            }
        }
    }
}
