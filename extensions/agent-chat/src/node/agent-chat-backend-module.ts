import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { perConnectionRpcService } from '@coditect/studio-platform/node';
import { AGENT_CHAT_PATH, AgentChatClient, AgentChatService } from '../common/agent-chat-protocol';
import { AgentChatServiceImpl, AgentChatServicePolicy } from './agent-chat-service-impl';

export default new ContainerModule(bind => {
    bind(AgentChatService).to(AgentChatServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<AgentChatClient, AgentChatService>(AGENT_CHAT_PATH, AgentChatService, AgentChatServicePolicy));
});
