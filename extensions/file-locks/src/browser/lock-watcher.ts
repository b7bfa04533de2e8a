import { Emitter, Event } from '@theia/core/lib/common/event';
import URI from '@theia/core/lib/common/uri';
import { RpcProxy } from '@theia/core/lib/common/messaging/proxy-factory';
import { inject, injectable } from '@theia/core/shared/inversify';
import { LockInfo, LockOwner, LockService, LockWaiter } from '../common/lock-protocol';
import { applyLockEvent, emptyLockState, LockState, lockStateOf } from '../common/lock-state';
import { LockClientImpl } from './lock-client-impl';

/**
 * The frontend's copy of the workspace's locks: a snapshot on start and after every reconnect,
 * kept current by the pushed events. Views read from here and listen to `onDidChange`.
 */
@injectable()
export class LockWatcher {

    @inject(LockService)
    protected readonly service: RpcProxy<LockService>;

    @inject(LockClientImpl)
    protected readonly client: LockClientImpl;

    protected state: LockState = emptyLockState();
    protected root: URI | undefined;
    protected me: { owner: LockOwner; isAdmin: boolean } | undefined;
    protected readonly changed = new Emitter<void>();
    readonly onDidChange: Event<void> = this.changed.event;
    protected started: Promise<void> | undefined;

    start(): Promise<void> {
        if (!this.started) {
            this.client.onDidReceiveLockEvent(event => {
                this.state = applyLockEvent(this.state, event);
                this.changed.fire();
            });
            // Events pushed while the connection was down are lost: start again from a snapshot.
            this.service.onDidOpenConnection(() => this.refresh());
            this.started = this.refresh();
        }
        return this.started;
    }

    async refresh(): Promise<void> {
        const [snapshot, me] = await Promise.all([this.service.snapshot(), this.service.whoAmI()]);
        this.root = new URI(snapshot.rootUri);
        this.me = me;
        this.state = lockStateOf(snapshot.locks, snapshot.waiters);
        this.changed.fire();
    }

    get currentUser(): { owner: LockOwner; isAdmin: boolean } | undefined {
        return this.me;
    }

    get locks(): LockInfo[] {
        return [...this.state.locks.values()].sort((a, b) => a.path.localeCompare(b.path));
    }

    get waiters(): LockWaiter[] {
        return [...this.state.waiters.values()].sort((a, b) => a.enqueuedAt - b.enqueuedAt);
    }

    /** The workspace-relative path of `uri`, or undefined when it is not in the workspace. */
    pathOf(uri: URI): string | undefined {
        if (!this.root) {
            return undefined;
        }
        if (this.root.isEqual(uri)) {
            return '';
        }
        const relative = this.root.relative(uri);
        return relative ? relative.toString() : undefined;
    }

    uriOf(path: string): URI | undefined {
        return this.root && (path === '' ? this.root : this.root.resolve(path));
    }

    /** Locks that cover `uri`: on it, or on a folder above it. */
    locksOn(uri: URI): LockInfo[] {
        const path = this.pathOf(uri);
        return path === undefined ? [] : this.locks.filter(l => l.path === path || l.path === '' || path.startsWith(`${l.path}/`));
    }

    /** Locks strictly inside the folder `uri`. */
    locksInside(uri: URI): LockInfo[] {
        const path = this.pathOf(uri);
        return path === undefined ? [] : this.locks.filter(l => l.path !== path && (path === '' || l.path.startsWith(`${path}/`)));
    }

    waitersFor(lock: LockInfo): LockWaiter[] {
        return this.waiters.filter(w => w.blockedBy.some(b => b.id === lock.id) || w.path === lock.path);
    }

    isMine(lock: LockInfo): boolean {
        return lock.owner.id === this.me?.owner.id;
    }

    /** Whether this user may force-release `lock`; the backend checks again. */
    mayForceRelease(lock: LockInfo): boolean {
        return !!this.me && (this.me.isAdmin || this.isMine(lock) || lock.owner.kind === 'agent');
    }
}
