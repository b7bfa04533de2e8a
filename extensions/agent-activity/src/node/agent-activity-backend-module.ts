import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { ORCHESTRATOR_PATH, OrchestratorClient, OrchestratorService } from '../common/orchestrator-protocol';
import { OrchestratorServiceImpl } from './orchestrator-service-impl';

export default new ContainerModule(bind => {
    bind(OrchestratorService).to(OrchestratorServiceImpl);
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler<OrchestratorClient>(ORCHESTRATOR_PATH, client => {
            const service = ctx.container.get<OrchestratorService>(OrchestratorService);
            service.setClient(client);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();
});
