import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { FileSyncStatus, PendingPath, WorkspaceHealth, WorkspaceStatusClient, WorkspaceStatusService } from '../common/workspace-status-protocol';
import { WorkspaceCoreHost } from './workspace-core-host';

/**
 * One instance per browser connection: it forwards the core's health changes to its client
 * and stops listening when the connection closes.
 */
@injectable()
export class WorkspaceStatusServiceImpl implements WorkspaceStatusService {

    @inject(WorkspaceCoreHost)
    protected readonly host: WorkspaceCoreHost;

    protected client: WorkspaceStatusClient | undefined;
    protected readonly subscriptions: { dispose(): void }[] = [];
    protected disposed = false;

    @postConstruct()
    protected init(): void {
        this.host.ready.then(core => {
            if (!this.disposed) {
                this.subscriptions.push(core.onHealthChanged(health => this.client?.onDidChangeHealth(health)));
                const fileSync = core.fileSync;
                if (fileSync) {
                    this.subscriptions.push(fileSync.onEvent(event => {
                        if (event.type === 'conflict') {
                            this.client?.onFileConflict({ path: event.path, remoteCopy: event.remoteCopy, message: event.message });
                        }
                    }));
                }
            }
        });
    }

    setClient(client: WorkspaceStatusClient | undefined): void {
        this.client = client;
    }

    async getHealth(): Promise<WorkspaceHealth> {
        return (await this.host.ready).health();
    }

    async refreshHealth(): Promise<WorkspaceHealth> {
        return (await this.host.ready).refreshHealth();
    }

    async syncFilesNow(): Promise<FileSyncStatus | undefined> {
        return (await this.host.ready).fileSync?.syncNow();
    }

    async unsyncedFiles(): Promise<PendingPath[]> {
        return (await this.host.ready).fileSync?.pending() ?? [];
    }

    dispose(): void {
        this.disposed = true;
        this.subscriptions.splice(0).forEach(s => s.dispose());
        this.client = undefined;
    }
}
