import { LockInfo, WorkspacePathError } from '@coditect/workspace-backend';
import { WorkspaceCoreHost } from '@coditect/studio-core/lib/node/workspace-core-host';
import { StudioUserProvider } from '@coditect/studio-core/lib/node/studio-user-provider';
import URI from '@theia/core/lib/common/uri';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import {
    createFileSystemProviderError, FileDeleteOptions, FileOpenOptions, FileOverwriteOptions, FileSystemProviderErrorCode, FileWriteOptions,
} from '@theia/filesystem/lib/common/files';
import { DiskFileSystemProvider } from '@theia/filesystem/lib/node/disk-file-system-provider';
import { SaveRefusals } from './save-refusals';

/**
 * Theia's disk provider with one rule added: a person cannot write, create, delete or rename a
 * workspace file that someone else (an agent, usually) holds under a conflicting lock. The check
 * runs in the backend, where the browser cannot skip it. Files outside the workspace (user
 * settings, say) are not subject to workspace locks.
 */
@injectable()
export class LockAwareFileSystemProvider extends DiskFileSystemProvider {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    @inject(StudioUserProvider)
    protected readonly users: StudioUserProvider;

    @inject(SaveRefusals)
    protected readonly refusals: SaveRefusals;

    override async writeFile(resource: URI, content: Uint8Array, opts: FileWriteOptions): Promise<void> {
        await this.assertWritable(resource);
        return super.writeFile(resource, content, opts);
    }

    override async open(resource: URI, opts: FileOpenOptions): Promise<number> {
        if (opts.create) {
            await this.assertWritable(resource);
        }
        return super.open(resource, opts);
    }

    override async delete(resource: URI, opts: FileDeleteOptions): Promise<void> {
        await this.assertWritable(resource);
        return super.delete(resource, opts);
    }

    override async rename(from: URI, to: URI, opts: FileOverwriteOptions): Promise<void> {
        await this.assertWritable(from);
        await this.assertWritable(to);
        return super.rename(from, to, opts);
    }

    protected async assertWritable(resource: URI): Promise<void> {
        const core = await this.coreHost.ready;
        const user = this.users.currentUser();
        let holders: LockInfo[];
        let path: string;
        try {
            path = core.locks.paths.relative(FileUri.fsPath(resource));
            holders = core.locks.conflicts(path, 'exclusive', user.id);
        } catch (error) {
            if (error instanceof WorkspacePathError) {
                return;
            }
            throw error;
        }
        if (holders.length > 0) {
            this.refusals.report(user.id, { path, holders });
            const names = [...new Set(holders.map(h => h.owner.displayName))].join(' and ');
            throw createFileSystemProviderError(
                `${path} is locked by ${names} (${holders[0].mode === 'exclusive' ? 'write' : 'read'} lock on ${holders[0].path || 'the workspace'}). ` +
                `Wait for ${names} to finish, or force-release the lock from the Locks view.`,
                FileSystemProviderErrorCode.NoPermissions);
        }
    }
}
