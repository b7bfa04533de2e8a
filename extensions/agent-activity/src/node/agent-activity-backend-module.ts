import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { perConnectionRpcService } from '@coditect/studio-platform/node';
import { ORCHESTRATOR_PATH, OrchestratorClient, OrchestratorService } from '../common/orchestrator-protocol';
import { OrchestratorServiceImpl, OrchestratorServicePolicy } from './orchestrator-service-impl';
import { PROVIDER_KEYS_PATH, ProviderKeyClient, ProviderKeyService } from '../common/provider-key-protocol';
import { ProviderKeyServiceImpl, ProviderKeyServicePolicy } from './provider-key-service-impl';
import { BusHttpEndpoint } from './bus-http-endpoint';
import { TasksHttpEndpoint, WorkflowsHttpEndpoint } from './tasks-http-endpoint';

export default new ContainerModule(bind => {
    bind(OrchestratorService).to(OrchestratorServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<OrchestratorClient, OrchestratorService>(ORCHESTRATOR_PATH, OrchestratorService, OrchestratorServicePolicy));
    bind(ProviderKeyService).to(ProviderKeyServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<ProviderKeyClient, ProviderKeyService>(PROVIDER_KEYS_PATH, ProviderKeyService, ProviderKeyServicePolicy));
    // The bus for scripts and agents outside the studio.
    bind(BusHttpEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(BusHttpEndpoint);
    // Tasks and workflows for the `coditect` CLI and scripts.
    bind(TasksHttpEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(TasksHttpEndpoint);
    bind(WorkflowsHttpEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(WorkflowsHttpEndpoint);
});
