import type { Disposable, RpcPolicy, WorkspaceCore } from '@coditect/workspace-backend';
import { injectable } from '@theia/core/shared/inversify';
import { FileSyncStatus, PendingPath, WorkspaceHealth, WorkspaceStatusClient, WorkspaceStatusService } from '../common/workspace-status-protocol';
import { CoreConnectionService } from './core-connection-service';

/** The action of each method (policy/entry-policy.ts). */
export const WorkspaceStatusServicePolicy: RpcPolicy<WorkspaceStatusService> = {
    getHealth: 'workspace.read', refreshHealth: 'workspace.read', syncFilesNow: 'workspace.sync', unsyncedFiles: 'workspace.read',
    setClient: 'connection', getClient: 'connection', dispose: 'connection',
};

/** One per browser connection: forwards the core's health changes and file-sync conflicts to its client. */
@injectable()
export class WorkspaceStatusServiceImpl extends CoreConnectionService<WorkspaceStatusClient> implements WorkspaceStatusService {

    protected subscribe(core: WorkspaceCore): Disposable[] {
        const subscriptions = [core.onHealthChanged(health => this.client?.onDidChangeHealth(health))];
        if (core.fileSync) {
            subscriptions.push(core.fileSync.onEvent(event => {
                if (event.type === 'conflict') {
                    this.client?.onFileConflict({ path: event.path, remoteCopy: event.remoteCopy, message: event.message });
                }
            }));
        }
        return subscriptions;
    }

    async getHealth(): Promise<WorkspaceHealth> {
        return (await this.core()).health();
    }

    async refreshHealth(): Promise<WorkspaceHealth> {
        return (await this.core()).refreshHealth();
    }

    async syncFilesNow(): Promise<FileSyncStatus | undefined> {
        return (await this.core()).fileSync?.syncNow();
    }

    async unsyncedFiles(): Promise<PendingPath[]> {
        return (await this.core()).fileSync?.pending() ?? [];
    }
}
