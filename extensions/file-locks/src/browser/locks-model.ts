import { OpenerService, open } from '@theia/core/lib/browser/opener-service';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { StudioViewModel } from '@coditect/studio-platform/browser';
import { LockInfo, LockService, LockWaiter } from '../common/lock-protocol';
import { LockLabels } from './lock-labels';
import { LockWatcher } from './lock-watcher';

/**
 * What the Locks view shows and does: every lock and waiter (the lock watcher's copy of the
 * workspace's), release of one's own locks and force-release where the user may (the backend
 * checks again), and opening a locked file.
 */
@injectable()
export class LocksModel extends StudioViewModel {

    @inject(LockWatcher) protected readonly watcher: LockWatcher;
    @inject(LockService) protected readonly service: LockService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(OpenerService) protected readonly openers: OpenerService;

    @postConstruct()
    protected init(): void {
        this.follow(this.watcher).catch(
            error => this.messages.error(nls.localize('coditect/file-locks/load-failed', 'Could not load the locks: {0}', error.message ?? error)));
    }

    /** By path. */
    get locks(): LockInfo[] { return this.watcher.locks; }
    /** First come first. */
    get waiters(): LockWaiter[] { return this.watcher.waiters; }

    waitersFor(lock: LockInfo): LockWaiter[] {
        return this.watcher.waitersFor(lock);
    }

    isMine(lock: LockInfo): boolean {
        return this.watcher.isMine(lock);
    }

    mayForceRelease(lock: LockInfo): boolean {
        return this.watcher.mayForceRelease(lock);
    }

    release(lock: LockInfo): Promise<void> {
        return this.run(() => this.service.release(lock.id), nls.localize('coditect/file-locks/released', 'Released {0}.', lock.path));
    }

    /** Takes someone else's lock, once the user confirms. */
    async forceRelease(lock: LockInfo): Promise<void> {
        const force = nls.localize('coditect/file-locks/force-release', 'Force Release');
        const confirmed = await this.messages.warn(nls.localize('coditect/file-locks/force-release-confirm', 'Force-release {0}\'s {1} on {2}?',
            lock.owner.displayName, LockLabels.kind(lock).toLowerCase(), lock.path || nls.localize('coditect/file-locks/the-workspace', 'the workspace')),
        force, nls.localize('coditect/file-locks/cancel', 'Cancel'));
        if (confirmed === force) {
            await this.run(() => this.service.forceRelease(lock.id, 'from the Locks view'), nls.localize('coditect/file-locks/force-released', 'Force-released {0}.', lock.path));
        }
    }

    openPath(path: string): void {
        const uri = this.watcher.uriOf(path);
        if (uri) {
            open(this.openers, uri);
        }
    }

    protected async run(action: () => Promise<unknown>, done: string): Promise<void> {
        try {
            await action();
            this.messages.info(done);
        } catch (error) {
            this.messages.error(error instanceof Error ? error.message : String(error));
        }
    }
}
