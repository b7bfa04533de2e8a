import { Command } from '@theia/core/lib/common/command';

export namespace LockCommands {
    const category = 'CODITECT';
    export const SHOW_LOCKS: Command = { id: 'coditect.locks.show', category, label: 'Show Locks' };
    export const LOCK_WRITE: Command = { id: 'coditect.locks.lockWrite', category, label: 'Lock File for Writing', iconClass: 'codicon codicon-lock' };
    export const LOCK_READ: Command = { id: 'coditect.locks.lockRead', category, label: 'Lock File for Reading', iconClass: 'codicon codicon-eye' };
    export const UNLOCK: Command = { id: 'coditect.locks.unlock', category, label: 'Unlock File', iconClass: 'codicon codicon-unlock' };
    export const SHOW_HOLDER: Command = { id: 'coditect.locks.showHolder', category, label: 'Show Lock Holder of File' };
}
