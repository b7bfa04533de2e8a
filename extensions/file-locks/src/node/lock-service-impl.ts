import { personPrincipal, type Disposable, type RpcPolicy, type WorkspaceCore } from '@coditect/workspace-backend';
import { CoreConnectionService } from '@coditect/studio-platform/node';
import { StudioUserProvider } from '@coditect/studio-platform/node';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { HUMAN_LOCK_TTL_MS, LockClient, LockInfo, LockMode, LockOwner, LockService, LockSnapshot } from '../common/lock-protocol';
import { lockOwnerOf } from './lock-owner-of';
import { SaveRefusals } from './save-refusals';

/** The action of each method (policy/entry-policy.ts); renew, release and force-release are decided per lock inside. */
export const LockServicePolicy: RpcPolicy<LockService> = {
    snapshot: 'workspace.read', whoAmI: 'workspace.read', acquire: 'lock.acquire', renew: 'lock.renew', release: 'lock.release', forceRelease: 'lock.force-release',
    setClient: 'connection', getClient: 'connection', dispose: 'connection',
};

/** One per browser connection: acts as that connection's user, and pushes every lock change to it. */
@injectable()
export class LockServiceImpl extends CoreConnectionService<LockClient> implements LockService {

    @inject(StudioUserProvider)
    protected readonly users: StudioUserProvider;

    @inject(SaveRefusals)
    protected readonly refusals: SaveRefusals;

    protected subscribe(core: WorkspaceCore): Disposable[] {
        return [
            core.locks.onLockEvent(event => this.client?.onLockEvent(event)),
            this.refusals.onRefused(({ userId, ...refusal }) => {
                if (userId === this.users.currentUser().id) {
                    this.client?.onSaveRefused(refusal);
                }
            }),
        ];
    }

    async snapshot(): Promise<LockSnapshot> {
        const core = await this.core();
        return { rootUri: FileUri.create(core.config.workspaceDir).toString(), locks: core.locks.list(), waiters: core.locks.waiters() };
    }

    async whoAmI(): Promise<{ owner: LockOwner; isAdmin: boolean }> {
        const user = this.users.currentUser();
        return { owner: lockOwnerOf(user), isAdmin: user.role === 'admin' };
    }

    async acquire(path: string, mode: LockMode, waitMs = 0): Promise<LockInfo> {
        const core = await this.core();
        return core.locks.acquire({ path: this.toPath(path), mode, owner: lockOwnerOf(this.users.currentUser()), waitMs, ttlMs: HUMAN_LOCK_TTL_MS });
    }

    async renew(lockId: string): Promise<LockInfo> {
        return (await this.core()).locks.renew(lockId, lockOwnerOf(this.users.currentUser()), HUMAN_LOCK_TTL_MS);
    }

    async release(lockId: string): Promise<void> {
        (await this.core()).locks.release(lockId, lockOwnerOf(this.users.currentUser()));
    }

    /** The policy decides and audits (`lock.force-release`), inside the lock manager. */
    async forceRelease(lockId: string, reason: string): Promise<LockInfo> {
        return (await this.core()).locks.forceRelease(lockId, personPrincipal(this.users.currentUser()), reason);
    }

    /** The browser names files by URI; the lock manager by path. Both are accepted. */
    protected toPath(path: string): string {
        return path.startsWith('file:') ? FileUri.fsPath(path) : path;
    }
}
