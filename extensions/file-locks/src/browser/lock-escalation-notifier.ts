import { nls } from '@theia/core/lib/common/nls';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { LockService, LockWaiter } from '../common/lock-protocol';
import { LockClientImpl } from './lock-client-impl';
import { LockCommands } from './lock-commands';
import { LockLabels } from './lock-labels';
import { LockWatcher } from './lock-watcher';

/**
 * When someone has waited long for a lock (STUDIO_LOCK_ESCALATE_MS, default 30 s), the studio says
 * so: to the person who holds it, with "Release"; and to everyone else, with "Force Release" where
 * they may, so a lock held by a stuck agent does not go unnoticed.
 */
@injectable()
export class LockEscalationNotifier implements FrontendApplicationContribution {

    @inject(LockClientImpl) protected readonly client: LockClientImpl;
    @inject(LockWatcher) protected readonly watcher: LockWatcher;
    @inject(LockService) protected readonly service: LockService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(CommandService) protected readonly commands: CommandService;

    onStart(): void {
        this.client.onDidReceiveLockEvent(event => {
            if (event.kind === 'escalated') {
                this.notify(event.waiter);
            }
        });
    }

    protected async notify(waiter: LockWaiter): Promise<void> {
        const waited = Math.round((Date.now() - waiter.enqueuedAt) / 1000);
        const mine = waiter.blockedBy.filter(l => this.watcher.isMine(l));
        const what = nls.localize('coditect/file-locks/has-waited', '{0} has waited {1} s for {2}', waiter.owner.displayName, waited, waiter.path || nls.localize('coditect/file-locks/the-workspace', 'the workspace'));
        const release = nls.localize('coditect/file-locks/release', 'Release');
        const force = nls.localize('coditect/file-locks/force-release', 'Force Release');
        const show = nls.localize('coditect/file-locks/show-locks-action', 'Show Locks');
        try {
            if (mine.length) {
                const choice = await this.messages.warn(nls.localize('coditect/file-locks/which-you-hold', '{0}, which you hold ({1}).', what, mine.map(l => l.path || nls.localize('coditect/file-locks/the-workspace', 'the workspace')).join(', ')),
                    release, nls.localize('coditect/file-locks/keep', 'Keep'));
                if (choice === release) {
                    await Promise.all(mine.map(l => this.service.release(l.id)));
                }
                return;
            }
            const forceable = waiter.blockedBy.filter(l => this.watcher.mayForceRelease(l));
            const actions = forceable.length ? [force, show] : [show];
            const choice = await this.messages.info(nls.localize('coditect/file-locks/held-by', '{0}, held by {1}.', what, LockLabels.holders(waiter.blockedBy)), ...actions);
            if (choice === force) {
                await Promise.all(forceable.map(l => this.service.forceRelease(l.id, `${waiter.owner.displayName} waited ${waited} s`)));
            } else if (choice === show) {
                await this.commands.executeCommand(LockCommands.SHOW_LOCKS.id);
            }
        } catch (error) {
            this.messages.error(error instanceof Error ? error.message : String(error));
        }
    }
}
