import { WorkspaceCoreHost } from '@coditect/studio-core/lib/node/workspace-core-host';
import { StudioUserProvider } from '@coditect/studio-core/lib/node/studio-user-provider';
import URI from '@theia/core/lib/common/uri';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import {
    createFileSystemProviderError, FileDeleteOptions, FileOpenOptions, FileOverwriteOptions, FileSystemProviderErrorCode, FileWriteOptions,
} from '@theia/filesystem/lib/common/files';
import { DiskFileSystemProvider } from '@theia/filesystem/lib/node/disk-file-system-provider';
import { isStudioConfiguration } from '@coditect/workspace-backend/lib/orchestrator/guarded-file-writer';
import * as path from 'node:path';
import { LockedFileError, LockWriteGuard } from './lock-write-guard';
import { SaveRefusals } from './save-refusals';

/**
 * Theia's disk provider with the `LockWriteGuard` rule added to every write, create, delete and
 * rename. The check runs in the backend, where the browser cannot skip it; a refusal is also told
 * to the user's connections, whose browser offers to wait or force-release.
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
        const user = this.users.currentUser();
        const core = await this.coreHost.ready;
        const relative = relativeInside(core.config.workspaceDir, FileUri.fsPath(resource));
        if (relative !== undefined && isStudioConfiguration(relative) && user.role !== 'admin') {
            core.audit.record({ userId: user.id, userName: user.displayName, action: 'agent.configure', target: relative, outcome: 'refused', detail: `role ${user.role}` });
            throw createFileSystemProviderError(`${relative} is the studio's configuration (agent definitions, workflows, prices): only an admin may change it.`, FileSystemProviderErrorCode.NoPermissions);
        }
        if (relative !== undefined && isStudioConfiguration(relative)) {
            core.audit.record({ userId: user.id, userName: user.displayName, action: 'agent.configure', target: relative, outcome: 'allowed' });
        }
        try {
            new LockWriteGuard(core).assertWritable(FileUri.fsPath(resource), user);
        } catch (error) {
            if (error instanceof LockedFileError) {
                this.refusals.report(user.id, { path: error.path, holders: error.holders });
                throw createFileSystemProviderError(error.message, FileSystemProviderErrorCode.NoPermissions);
            }
            throw error;
        }
    }
}

/** `file`'s path relative to the workspace, or undefined when it lies outside. */
function relativeInside(workspaceDir: string, file: string): string | undefined {
    const relative = path.relative(workspaceDir, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join('/');
}
