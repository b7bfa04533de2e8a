import type { Disposable } from '../common/emitter';
import { markOutsideChanges } from '../file-changes/outside-change-marks';
import type { WorkspaceChangeWatcher } from '../file-changes/workspace-change-watcher';
import type { LockManager } from '../locks/lock-manager';
import type { MessageBus } from '../orchestrator/message-bus';
import { agentIdOf } from '../policy/principal';

/** Locks whose files someone else changed are marked (the lock manager announces it to the IDE). */
export function markLocksOnOutsideChanges(watcher: WorkspaceChangeWatcher, locks: LockManager): Disposable {
    return watcher.onAttributed(changes => markOutsideChanges(locks, changes));
}

/**
 * An agent holding a lock whose file was changed outside its lock hears of it in its inbox, read
 * on its next model turn, so it reads the file again instead of editing what it remembers.
 * (People hear of it in the IDE, from the same lock event.)
 */
export function tellAgentsOfOutsideChanges(locks: LockManager, bus: Pick<MessageBus, 'send'>, isAgent: (agentId: string) => boolean): Disposable {
    return locks.onLockEvent(event => {
        if (event.kind !== 'changed-outside' || event.lock.owner.kind !== 'agent' || !event.lock.changedOutside) {
            return;
        }
        const agentId = agentIdOf(event.lock.owner.id);
        if (!isAgent(agentId)) {
            return;
        }
        const change = event.lock.changedOutside;
        const locked = event.lock.path || 'the workspace';
        const inside = change.path !== event.lock.path ? ` (${change.path}, inside it)` : '';
        bus.send('system', agentId,
            `${locked}, which you hold a lock on, was changed outside your lock${inside} by ${change.by} at ${new Date(change.at).toISOString()}. `
            + 'Read it again before editing it.');
    });
}
