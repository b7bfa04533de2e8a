import { nls } from '@theia/core/lib/common/nls';
import { LockInfo, LockWaiter } from '../common/lock-protocol';

/** How locks read everywhere in the UI (badges, tabs, the Locks view), so they read the same. */
export namespace LockLabels {
    export const writeIcon = ['codicon', 'codicon-lock'];
    export const readIcon = ['codicon', 'codicon-eye'];
    export const insideIcon = ['codicon', 'codicon-circle-small-filled'];
    export const changedOutsideIcon = ['codicon', 'codicon-warning'];
    export const writeColor = 'var(--theia-editorWarning-foreground)';
    export const readColor = 'var(--theia-editorInfo-foreground)';

    export const kind = (lock: LockInfo) => lock.mode === 'exclusive' ? nls.localize('coditect/file-locks/write-lock', 'Write lock') : nls.localize('coditect/file-locks/read-lock', 'Read lock');
    export const time = (epochMs: number) => new Date(epochMs).toLocaleTimeString();
    export const holders = (locks: readonly LockInfo[]) => [...new Set(locks.map(l => l.owner.displayName))].join(', ');

    /** The mark of a change to a locked file that did not come from its holder, or undefined. */
    export function changedOutside(lock: LockInfo): string | undefined {
        const change = lock.changedOutside;
        if (!change) {
            return undefined;
        }
        const inside = change.path !== lock.path ? ` (${change.path})` : '';
        return nls.localize('coditect/file-locks/changed-outside-detail', 'Changed outside {0}\'s lock{1} by {2} at {3}', lock.owner.displayName, inside, change.by, time(change.at));
    }

    export function describe(lock: LockInfo, waiters: readonly LockWaiter[]): string {
        const scope = lock.path === '' ? nls.localize('coditect/file-locks/whole-workspace', 'the whole workspace') : lock.path;
        const lines = [nls.localize('coditect/file-locks/describe', '{0} on {1}, held by {2} since {3} (lease until {4})', kind(lock), scope, lock.owner.displayName, time(lock.acquiredAt), time(lock.expiresAt))];
        const outside = changedOutside(lock);
        if (outside) {
            lines.push(outside);
        }
        if (waiters.length) {
            const modes = waiters.map(w => `${w.owner.displayName} (${w.mode === 'exclusive' ? nls.localize('coditect/file-locks/write', 'write') : nls.localize('coditect/file-locks/read', 'read')})`);
            lines.push(nls.localize('coditect/file-locks/waiting-list', 'Waiting: {0}', modes.join(', ')));
        }
        return lines.join('\n');
    }
}
