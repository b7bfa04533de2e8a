import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { WORKSPACE_STATUS_PATH, WorkspaceStatusClient, WorkspaceStatusService } from '../common/workspace-status-protocol';
import { WorkspaceCoreHost, WorkspaceCoreHostImpl } from './workspace-core-host';
import { WorkspaceStatusServiceImpl } from './workspace-status-service-impl';
import { LocalStudioUserProvider, StudioUserProvider } from './studio-user-provider';

export default new ContainerModule(bind => {
    bind(WorkspaceCoreHostImpl).toSelf().inSingletonScope();
    bind(WorkspaceCoreHost).toService(WorkspaceCoreHostImpl);
    bind(BackendApplicationContribution).toService(WorkspaceCoreHostImpl);
    bind(StudioUserProvider).to(LocalStudioUserProvider).inSingletonScope();

    // Not a singleton: each connection gets its own service, which forwards to its own client.
    bind(WorkspaceStatusService).to(WorkspaceStatusServiceImpl);
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler<WorkspaceStatusClient>(WORKSPACE_STATUS_PATH, client => {
            const service = ctx.container.get<WorkspaceStatusService>(WorkspaceStatusService);
            service.setClient(client);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();
});
