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
        const outside = LockLabels.changedOutside(lock) ?? `${lock.path} was changed outside your lock`;
        const choice = await this.messages.warn(`${lock.path || 'The workspace'}: ${outside}. Reload it before you edit it further.`, 'Show Locks');
        if (choice === 'Show Locks') {
            await this.commands.executeCommand(LockCommands.SHOW_LOCKS.id);
        }
    }
}
