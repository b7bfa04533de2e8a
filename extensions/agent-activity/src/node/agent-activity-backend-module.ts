import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { perConnectionRpcService } from '@coditect/studio-platform/node';
import { ORCHESTRATOR_PATH, OrchestratorClient, OrchestratorService } from '../common/orchestrator-protocol';
import { OrchestratorServiceImpl, OrchestratorServicePolicy } from './orchestrator-service-impl';

export default new ContainerModule(bind => {
    bind(OrchestratorService).to(OrchestratorServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<OrchestratorClient, OrchestratorService>(ORCHESTRATOR_PATH, OrchestratorService, OrchestratorServicePolicy));
});
