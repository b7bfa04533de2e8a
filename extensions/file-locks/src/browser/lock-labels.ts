import { LockInfo, LockWaiter } from '../common/lock-protocol';

/** How locks read everywhere in the UI (badges, tabs, the Locks view), so they read the same. */
export namespace LockLabels {
    export const writeIcon = ['codicon', 'codicon-lock'];
    export const readIcon = ['codicon', 'codicon-eye'];
    export const insideIcon = ['codicon', 'codicon-circle-small-filled'];
    export const writeColor = 'var(--theia-editorWarning-foreground)';
    export const readColor = 'var(--theia-editorInfo-foreground)';

    export const kind = (lock: LockInfo) => lock.mode === 'exclusive' ? 'Write lock' : 'Read lock';
    export const time = (epochMs: number) => new Date(epochMs).toLocaleTimeString();
    export const holders = (locks: readonly LockInfo[]) => [...new Set(locks.map(l => l.owner.displayName))].join(', ');

    export function describe(lock: LockInfo, waiters: readonly LockWaiter[]): string {
        const scope = lock.path === '' ? 'the whole workspace' : lock.path;
        const lines = [`${kind(lock)} on ${scope}, held by ${lock.owner.displayName} since ${time(lock.acquiredAt)} (lease until ${time(lock.expiresAt)})`];
        if (waiters.length) {
            lines.push(`Waiting: ${waiters.map(w => `${w.owner.displayName} (${w.mode === 'exclusive' ? 'write' : 'read'})`).join(', ')}`);
        }
        return lines.join('\n');
    }
}
