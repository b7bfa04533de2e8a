import { Command } from '@theia/core/lib/common/command';

export namespace LockCommands {
    const category = 'CODITECT';
    const localized = (command: Command, key: string) => Command.toLocalizedCommand(command, `coditect/file-locks/${key}`, 'coditect/category');
    export const SHOW_LOCKS: Command = localized({ id: 'coditect.locks.show', category, label: 'Show Locks' }, 'show-locks');
    export const LOCK_WRITE: Command = localized({ id: 'coditect.locks.lockWrite', category, label: 'Lock File for Writing', iconClass: 'codicon codicon-lock' }, 'lock-write');
    export const LOCK_READ: Command = localized({ id: 'coditect.locks.lockRead', category, label: 'Lock File for Reading', iconClass: 'codicon codicon-eye' }, 'lock-read');
    export const UNLOCK: Command = localized({ id: 'coditect.locks.unlock', category, label: 'Unlock File', iconClass: 'codicon codicon-unlock' }, 'unlock');
    export const SHOW_HOLDER: Command = localized({ id: 'coditect.locks.showHolder', category, label: 'Show Lock Holder of File' }, 'show-holder');
}
