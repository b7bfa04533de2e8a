import type { Disposable, WorkspaceCore } from '@coditect/workspace-backend';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { WorkspaceCoreHost } from './workspace-core-host';

/**
 * The shape of every per-connection service over the workspace core: once the core is ready it
 * subscribes to what its client should hear, and when the connection closes it stops listening.
 *
 * Invariant: nothing reaches a client after `dispose()`, even a subscription that the core's
 * start-up was still holding back when the connection closed.
 */
@injectable()
export abstract class CoreConnectionService<Client> {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    protected client: Client | undefined;
    protected readonly subscriptions: Disposable[] = [];
    protected disposed = false;

    @postConstruct()
    protected init(): void {
        this.coreHost.ready.then(core => {
            if (!this.disposed) {
                this.subscriptions.push(...this.subscribe(core));
            }
        });
    }

    /** What to listen to on the core, forwarding to `this.client`. */
    protected abstract subscribe(core: WorkspaceCore): Disposable[];

    setClient(client: Client | undefined): void {
        this.client = client;
    }

    dispose(): void {
        this.disposed = true;
        this.subscriptions.splice(0).forEach(s => s.dispose());
        this.client = undefined;
    }

    protected core(): Promise<WorkspaceCore> {
        return this.coreHost.ready;
    }
}
