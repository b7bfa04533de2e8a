import type { Disposable } from '../common/emitter';
import type { WorkspaceConfig } from '../config/workspace-config';
import { markOutsideChanges } from '../file-changes/outside-change-marks';
import { WorkspaceChangeWatcher } from '../file-changes/workspace-change-watcher';
import type { ComponentHealth } from '../health/workspace-health';
import type { LockManager } from '../locks/lock-manager';
import type { MessageBus } from '../orchestrator/message-bus';

/**
 * The workspace watcher (file-changes/): every change to a workspace file, with who made it, for
 * the timeline and the lock marks. Never throws: a watcher that cannot start (too many inotify
 * watches, say) is reported in health and the studio runs without it.
 */
export async function startChangeWatcher(config: WorkspaceConfig, alsoIgnore: readonly (string | undefined)[]): Promise<{ watcher?: WorkspaceChangeWatcher; failure?: string }> {
    let watcher: WorkspaceChangeWatcher | undefined;
    try {
        watcher = new WorkspaceChangeWatcher({ workspaceDir: config.workspaceDir, dataDir: config.dataDir, alsoIgnore: alsoIgnore.filter((d): d is string => !!d) });
        await watcher.start();
        return { watcher };
    } catch (error) {
        await watcher?.stop().catch(() => undefined);
        return { failure: error instanceof Error ? error.message : String(error) };
    }
}

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
        const agentId = event.lock.owner.id.replace(/^agent:/, '');
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

export function changeWatcherHealth(watcher: WorkspaceChangeWatcher | undefined, failure: string | undefined): ComponentHealth[] {
    const id = 'file-changes';
    const label = 'File changes';
    if (watcher) {
        return watcher.error
            ? [{ id, label, status: 'degraded', detail: `${watcher.error}; changes made meanwhile may be missing from the timeline.` }]
            : [{ id, label, status: 'ok', detail: 'Every workspace file change is recorded in the timeline with who made it.' }];
    }
    return failure ? [{ id, label, status: 'down', detail: `Workspace changes are not watched: ${failure}` }] : [];
}
