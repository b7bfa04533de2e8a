import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { WorkspaceHealth, WorkspaceStatusClient, WorkspaceStatusService } from '../common/workspace-status-protocol';
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
    protected subscription: { dispose(): void } | undefined;
    protected disposed = false;

    @postConstruct()
    protected init(): void {
        this.host.ready.then(core => {
            if (!this.disposed) {
                this.subscription = core.onHealthChanged(health => this.client?.onDidChangeHealth(health));
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

    dispose(): void {
        this.disposed = true;
        this.subscription?.dispose();
        this.client = undefined;
    }
}
