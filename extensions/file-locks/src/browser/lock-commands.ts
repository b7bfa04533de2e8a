import { Command } from '@theia/core/lib/common/command';
import { studioCommand } from '@coditect/studio-platform/common';

export namespace LockCommands {
    export const SHOW_LOCKS: Command = studioCommand('file-locks', 'show-locks', { id: 'coditect.locks.show', label: 'Show Locks' });
    export const LOCK_WRITE: Command = studioCommand('file-locks', 'lock-write', { id: 'coditect.locks.lockWrite', label: 'Lock File for Writing', iconClass: 'codicon codicon-lock' });
    export const LOCK_READ: Command = studioCommand('file-locks', 'lock-read', { id: 'coditect.locks.lockRead', label: 'Lock File for Reading', iconClass: 'codicon codicon-eye' });
    export const UNLOCK: Command = studioCommand('file-locks', 'unlock', { id: 'coditect.locks.unlock', label: 'Unlock File', iconClass: 'codicon codicon-unlock' });
    export const SHOW_HOLDER: Command = studioCommand('file-locks', 'show-holder', { id: 'coditect.locks.showHolder', label: 'Show Lock Holder of File' });
}
