import { LockInfo, LockWaiter } from '../common/lock-protocol';

/** How locks read everywhere in the UI (badges, tabs, the Locks view), so they read the same. */
export namespace LockLabels {
    export const writeIcon = ['codicon', 'codicon-lock'];
    export const readIcon = ['codicon', 'codicon-eye'];
    export const insideIcon = ['codicon', 'codicon-circle-small-filled'];
    export const changedOutsideIcon = ['codicon', 'codicon-warning'];
    export const writeColor = 'var(--theia-editorWarning-foreground)';
    export const readColor = 'var(--theia-editorInfo-foreground)';

    export const kind = (lock: LockInfo) => lock.mode === 'exclusive' ? 'Write lock' : 'Read lock';
    export const time = (epochMs: number) => new Date(epochMs).toLocaleTimeString();
    export const holders = (locks: readonly LockInfo[]) => [...new Set(locks.map(l => l.owner.displayName))].join(', ');

    /** The mark of a change to a locked file that did not come from its holder, or undefined. */
    export function changedOutside(lock: LockInfo): string | undefined {
        const change = lock.changedOutside;
        if (!change) {
            return undefined;
        }
        const inside = change.path !== lock.path ? ` (${change.path})` : '';
        return `Changed outside ${lock.owner.displayName}'s lock${inside} by ${change.by} at ${time(change.at)}`;
    }

    export function describe(lock: LockInfo, waiters: readonly LockWaiter[]): string {
        const scope = lock.path === '' ? 'the whole workspace' : lock.path;
        const lines = [`${kind(lock)} on ${scope}, held by ${lock.owner.displayName} since ${time(lock.acquiredAt)} (lease until ${time(lock.expiresAt)})`];
        const outside = changedOutside(lock);
        if (outside) {
            lines.push(outside);
        }
        if (waiters.length) {
            lines.push(`Waiting: ${waiters.map(w => `${w.owner.displayName} (${w.mode === 'exclusive' ? 'write' : 'read'})`).join(', ')}`);
        }
        return lines.join('\n');
    }
}
