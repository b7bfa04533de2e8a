import { LockInfo, WorkspaceCore, WorkspacePathError } from '@coditect/workspace-backend';
import { StudioUser } from '@coditect/studio-platform/common';

export class LockedFileError extends Error {
    constructor(readonly path: string, readonly holders: readonly LockInfo[]) {
        const names = [...new Set(holders.map(h => h.owner.displayName))].join(' and ');
        super(`${path} is locked by ${names} (${holders[0].mode === 'exclusive' ? 'write' : 'read'} lock on ${holders[0].path || 'the workspace'}). ` +
            `Wait for ${names} to finish, or force-release the lock from the Locks view.`);
        this.name = 'LockedFileError';
    }
}

/**
 * The rule behind every write a person makes: no write, create, delete or rename of a workspace
 * file that another owner holds under a conflicting lock. Files outside the workspace (user
 * settings, say) are not subject to workspace locks.
 */
export class LockWriteGuard {
    constructor(protected readonly core: WorkspaceCore) { }

    /** Throws `LockedFileError` when `user` may not write `fsPath` now; returns the workspace path otherwise. */
    assertWritable(fsPath: string, user: StudioUser): string | undefined {
        let path: string;
        try {
            path = this.core.locks.paths.relative(fsPath);
        } catch (error) {
            if (error instanceof WorkspacePathError) {
                return undefined;
            }
            throw error;
        }
        const holders = this.core.locks.conflicts(path, 'exclusive', user.id);
        if (holders.length > 0) {
            throw new LockedFileError(path, holders);
        }
        return path;
    }
}
