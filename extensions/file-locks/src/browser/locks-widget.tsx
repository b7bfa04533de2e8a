import * as React from '@theia/core/shared/react';
import { codicon, Message, OpenerService, open, ReactWidget } from '@theia/core/lib/browser';
import { MessageService } from '@theia/core/lib/common/message-service';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { LockInfo, LockService, LockWaiter } from '../common/lock-protocol';
import { LockLabels } from './lock-labels';
import { LockWatcher } from './lock-watcher';

/** Every lock and waiter in the workspace, with release and force-release. */
@injectable()
export class LocksWidget extends ReactWidget {
    static readonly ID = 'coditect-locks-view';
    static readonly LABEL = 'Locks';

    @inject(LockWatcher)
    protected readonly watcher: LockWatcher;

    @inject(LockService)
    protected readonly service: LockService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(OpenerService)
    protected readonly openers: OpenerService;

    @postConstruct()
    protected init(): void {
        this.id = LocksWidget.ID;
        this.title.label = LocksWidget.LABEL;
        this.title.caption = 'File locks held by agents and people';
        this.title.iconClass = codicon('lock');
        this.title.closable = true;
        this.addClass('coditect-locks-view');
        this.toDispose.push(this.watcher.onDidChange(() => this.update()));
        this.watcher.start().then(() => this.update(), error => this.messages.error(`Could not load the locks: ${error.message ?? error}`));
    }

    protected override onActivateRequest(msg: Message): void {
        super.onActivateRequest(msg);
        this.node.focus();
    }

    protected render(): React.ReactNode {
        const locks = this.watcher.locks;
        const waiters = this.watcher.waiters;
        if (!locks.length && !waiters.length) {
            return <div className='theia-widget-noInfo coditect-locks-empty'>No locks are held. Agents lock files while they edit them; so does an editor with unsaved changes.</div>;
        }
        return <div className='coditect-locks'>
            <table className='coditect-locks-table'>
                <thead><tr><th>Path</th><th>Lock</th><th>Holder</th><th>Since</th><th>Lease until</th><th>Waiting</th><th></th></tr></thead>
                <tbody>{locks.map(lock => this.renderLock(lock))}</tbody>
            </table>
            {waiters.length > 0 && <>
                <h3 className='coditect-locks-subtitle'>Waiting</h3>
                <table className='coditect-locks-table'>
                    <thead><tr><th>Path</th><th>Wants</th><th>Who</th><th>Since</th><th>Blocked by</th></tr></thead>
                    <tbody>{waiters.map(waiter => this.renderWaiter(waiter))}</tbody>
                </table>
            </>}
        </div>;
    }

    protected renderLock(lock: LockInfo): React.ReactNode {
        const waiting = this.watcher.waitersFor(lock);
        return <tr key={lock.id} className={`coditect-lock-row coditect-lock-${lock.mode}`} title={LockLabels.describe(lock, waiting)}>
            <td><a className='coditect-lock-path' onClick={() => this.openPath(lock.path)}>{lock.path || '(workspace)'}</a>{this.renderChangedOutside(lock)}</td>
            <td><span className={(lock.mode === 'exclusive' ? LockLabels.writeIcon : LockLabels.readIcon).join(' ')} /> {lock.mode === 'exclusive' ? 'write' : 'read'}</td>
            <td className='coditect-lock-holder'>{lock.owner.displayName}{lock.owner.kind === 'agent' ? ' (agent)' : ''}</td>
            <td>{LockLabels.time(lock.acquiredAt)}</td>
            <td>{LockLabels.time(lock.expiresAt)}</td>
            <td>{waiting.length || ''}</td>
            <td className='coditect-lock-actions'>{this.renderActions(lock)}</td>
        </tr>;
    }

    /** A warning when someone other than the holder changed the file (a terminal, git): the holder should re-read it. */
    protected renderChangedOutside(lock: LockInfo): React.ReactNode {
        const outside = LockLabels.changedOutside(lock);
        return outside && <span className='coditect-lock-changed-outside' title={outside} aria-label={outside}>
            <span className={LockLabels.changedOutsideIcon.join(' ')} /> changed outside
        </span>;
    }

    protected renderActions(lock: LockInfo): React.ReactNode {
        if (this.watcher.isMine(lock)) {
            return <button className='theia-button secondary' onClick={() => this.run(() => this.service.release(lock.id), `Released ${lock.path}.`)}>Release</button>;
        }
        if (this.watcher.mayForceRelease(lock)) {
            return <button className='theia-button secondary' title={`Take the lock from ${lock.owner.displayName}; it learns on its next step.`}
                onClick={() => this.forceRelease(lock)}>Force Release</button>;
        }
        return undefined;
    }

    protected renderWaiter(waiter: LockWaiter): React.ReactNode {
        return <tr key={waiter.requestId}>
            <td>{waiter.path || '(workspace)'}</td>
            <td>{waiter.mode === 'exclusive' ? 'write' : 'read'}</td>
            <td>{waiter.owner.displayName}</td>
            <td>{LockLabels.time(waiter.enqueuedAt)}</td>
            <td>{LockLabels.holders(waiter.blockedBy)}</td>
        </tr>;
    }

    protected async forceRelease(lock: LockInfo): Promise<void> {
        const confirmed = await this.messages.warn(`Force-release ${lock.owner.displayName}'s ${LockLabels.kind(lock).toLowerCase()} on ${lock.path || 'the workspace'}?`,
            'Force Release', 'Cancel');
        if (confirmed === 'Force Release') {
            await this.run(() => this.service.forceRelease(lock.id, 'from the Locks view'), `Force-released ${lock.path}.`);
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

    protected openPath(path: string): void {
        const uri = this.watcher.uriOf(path);
        if (uri) {
            open(this.openers, uri);
        }
    }
}
