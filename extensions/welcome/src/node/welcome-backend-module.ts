import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { OrchestratorService, type OrchestratorClient } from '@coditect/agent-activity/common';
import { perConnectionRpcService } from '@coditect/studio-platform/node';
import type { RpcPolicy } from '@coditect/workspace-backend';
import { WELCOME_AGENTS_PATH, WelcomeAgentsService } from '../common/welcome-agents-protocol';

/** Reading the agents, as the agent activity panel does; nothing else of the orchestrator service passes this door. */
const WelcomeAgentsPolicy: RpcPolicy<WelcomeAgentsService> = {
    agents: 'workspace.read', setClient: 'connection', getClient: 'connection', dispose: 'connection',
};

export default new ContainerModule(bind => {
    // The orchestrator service agent-activity's backend binds (one per connection), served again at the welcome page's path.
    bind(ConnectionContainerModule).toConstantValue(
        perConnectionRpcService<OrchestratorClient, WelcomeAgentsService>(WELCOME_AGENTS_PATH, OrchestratorService, WelcomeAgentsPolicy));
});
