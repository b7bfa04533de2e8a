import { nls } from '@theia/core/lib/common/nls';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { LockInfo } from '../common/lock-protocol';
import { LockClientImpl } from './lock-client-impl';
import { LockCommands } from './lock-commands';
import { LockLabels } from './lock-labels';
import { LockWatcher } from './lock-watcher';

/**
 * When a file this user holds a lock on is changed by someone else (a terminal, git: the backend's
 * workspace watcher marks the lock), the user is told, so they re-read it before saving over it.
 * Agents holding locks hear of it in their inbox instead (core/file-change-wiring.ts).
 */
@injectable()
export class LockOutsideChangeNotifier implements FrontendApplicationContribution {

    @inject(LockClientImpl) protected readonly client: LockClientImpl;
    @inject(LockWatcher) protected readonly watcher: LockWatcher;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(CommandService) protected readonly commands: CommandService;

    onStart(): void {
        this.client.onDidReceiveLockEvent(event => {
            if (event.kind === 'changed-outside' && this.watcher.isMine(event.lock)) {
                this.notify(event.lock);
            }
        });
    }

    protected async notify(lock: LockInfo): Promise<void> {
        const outside = LockLabels.changedOutside(lock) ?? nls.localize('coditect/file-locks/changed-outside-yours', '{0} was changed outside your lock', lock.path);
        const show = nls.localize('coditect/file-locks/show-locks-action', 'Show Locks');
        const choice = await this.messages.warn(nls.localize('coditect/file-locks/reload-before-edit', '{0}: {1}. Reload it before you edit it further.',
            lock.path || nls.localize('coditect/file-locks/the-workspace-capital', 'The workspace'), outside), show);
        if (choice === show) {
            await this.commands.executeCommand(LockCommands.SHOW_LOCKS.id);
        }
    }
}
