import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { AGENT_CHAT_PATH, AgentChatClient, AgentChatService } from '../common/agent-chat-protocol';
import { AgentChatServiceImpl } from './agent-chat-service-impl';

export default new ContainerModule(bind => {
    bind(AgentChatService).to(AgentChatServiceImpl);
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler<AgentChatClient>(AGENT_CHAT_PATH, client => {
            const service = ctx.container.get<AgentChatService>(AgentChatService);
            service.setClient(client);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();
});
