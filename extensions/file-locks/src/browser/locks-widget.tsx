import * as React from '@theia/core/shared/react';
import { codicon, Message, ReactWidget } from '@theia/core/lib/browser';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { LockInfo, LockWaiter } from '../common/lock-protocol';
import { LockLabels } from './lock-labels';
import { LocksModel } from './locks-model';
import { StudioViews } from '@coditect/studio-platform/common';

const K = 'coditect/file-locks/';
const workspace = () => nls.localize(`${K}workspace`, '(workspace)');
const modeName = (mode: LockInfo['mode']) => mode === 'exclusive' ? nls.localize(`${K}write`, 'write') : nls.localize(`${K}read`, 'read');

/** The Locks view: every lock and waiter of `LocksModel`, with release and force-release. */
@injectable()
export class LocksWidget extends ReactWidget {
    static readonly ID = StudioViews.locks;
    static readonly LABEL = nls.localize('coditect/file-locks/view-title', 'Locks');

    @inject(LocksModel) readonly model: LocksModel;

    @postConstruct()
    protected init(): void {
        this.id = LocksWidget.ID;
        this.title.label = LocksWidget.LABEL;
        this.title.caption = nls.localize('coditect/file-locks/view-caption', 'File locks held by agents and people');
        this.title.iconClass = codicon('lock');
        this.title.closable = true;
        this.addClass(StudioViews.locks);
        this.toDispose.push(this.model);
        this.toDispose.push(this.model.onDidChange(() => this.update()));
    }

    protected override onActivateRequest(msg: Message): void {
        super.onActivateRequest(msg);
        this.node.focus();
    }

    protected render(): React.ReactNode {
        const locks = this.model.locks;
        const waiters = this.model.waiters;
        if (!locks.length && !waiters.length) {
            return <div className='theia-widget-noInfo coditect-locks-empty'>{nls.localize(`${K}no-locks`,
                'No locks are held. Agents lock files while they edit them; so does an editor with unsaved changes.')}</div>;
        }
        return <div className='coditect-locks'>
            <table className='coditect-locks-table'>
                <thead><tr>
                    <th>{nls.localize(`${K}path`, 'Path')}</th><th>{nls.localize(`${K}lock`, 'Lock')}</th><th>{nls.localize(`${K}holder`, 'Holder')}</th>
                    <th>{nls.localize(`${K}since`, 'Since')}</th><th>{nls.localize(`${K}lease-until`, 'Lease until')}</th><th>{nls.localize(`${K}waiting`, 'Waiting')}</th><th></th>
                </tr></thead>
                <tbody>{locks.map(lock => this.renderLock(lock))}</tbody>
            </table>
            {waiters.length > 0 && <>
                <h3 className='coditect-locks-subtitle'>{nls.localize(`${K}waiting`, 'Waiting')}</h3>
                <table className='coditect-locks-table'>
                    <thead><tr>
                        <th>{nls.localize(`${K}path`, 'Path')}</th><th>{nls.localize(`${K}wants`, 'Wants')}</th><th>{nls.localize(`${K}who`, 'Who')}</th>
                        <th>{nls.localize(`${K}since`, 'Since')}</th><th>{nls.localize(`${K}blocked-by`, 'Blocked by')}</th>
                    </tr></thead>
                    <tbody>{waiters.map(waiter => this.renderWaiter(waiter))}</tbody>
                </table>
            </>}
        </div>;
    }

    protected renderLock(lock: LockInfo): React.ReactNode {
        const waiting = this.model.waitersFor(lock);
        return <tr key={lock.id} className={`coditect-lock-row coditect-lock-${lock.mode}`} title={LockLabels.describe(lock, waiting)}>
            <td><a className='coditect-lock-path' onClick={() => this.model.openPath(lock.path)}>{lock.path || workspace()}</a>{this.renderChangedOutside(lock)}</td>
            <td><span className={(lock.mode === 'exclusive' ? LockLabels.writeIcon : LockLabels.readIcon).join(' ')} /> {modeName(lock.mode)}</td>
            <td className='coditect-lock-holder'>{lock.owner.displayName}{lock.owner.kind === 'agent' ? nls.localize(`${K}agent-suffix`, ' (agent)') : ''}</td>
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
            <span className={LockLabels.changedOutsideIcon.join(' ')} /> {nls.localize(`${K}changed-outside`, 'changed outside')}
        </span>;
    }

    protected renderActions(lock: LockInfo): React.ReactNode {
        if (this.model.isMine(lock)) {
            return <button className='theia-button secondary' onClick={() => this.model.release(lock)}>{nls.localize(`${K}release`, 'Release')}</button>;
        }
        if (this.model.mayForceRelease(lock)) {
            return <button className='theia-button secondary' title={nls.localize(`${K}force-release-tooltip`, 'Take the lock from {0}; it learns on its next step.', lock.owner.displayName)}
                onClick={() => this.model.forceRelease(lock)}>{nls.localize(`${K}force-release`, 'Force Release')}</button>;
        }
        return undefined;
    }

    protected renderWaiter(waiter: LockWaiter): React.ReactNode {
        return <tr key={waiter.requestId}>
            <td>{waiter.path || workspace()}</td>
            <td>{modeName(waiter.mode)}</td>
            <td>{waiter.owner.displayName}</td>
            <td>{LockLabels.time(waiter.enqueuedAt)}</td>
            <td>{LockLabels.holders(waiter.blockedBy)}</td>
        </tr>;
    }
}
