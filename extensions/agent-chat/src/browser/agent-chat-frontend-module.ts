import { ContainerModule } from '@theia/core/shared/inversify';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { AGENT_CHAT_PATH, AgentChatService } from '../common/agent-chat-protocol';
import { CommandContribution } from '@theia/core/lib/common';
import { AgentChatClientImpl } from './agent-chat-client-impl';
import { ContinueConversationContribution } from './continue-conversation-contribution';
import { ConversationLinks } from './conversation-links';
import { WorkspaceAgentsInChat } from './workspace-agents-in-chat';
import { TaskChangeSets } from './task-change-sets';
import { FrontendChatServiceImpl } from '@theia/ai-chat/lib/browser/frontend-chat-service';
import { WorkflowChatService } from './workflow-chat-service';
import { bindViewContribution, WidgetFactory } from '@theia/core/lib/browser';
import { BusMessagesModel } from './bus-view/bus-messages-model';
import { BusMessagesViewContribution } from './bus-view/bus-messages-view-contribution';
import { BusMessagesWatcher } from './bus-view/bus-messages-watcher';
import { BusMessagesWidget } from './bus-view/bus-messages-widget';
import '../../src/browser/style/message-bus.css';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bind(AgentChatClientImpl).toSelf().inSingletonScope();
    bind(AgentChatService).toDynamicValue(ctx =>
        ServiceConnectionProvider.createProxy<AgentChatService>(ctx.container, AGENT_CHAT_PATH, ctx.container.get(AgentChatClientImpl))
    ).inSingletonScope();
    bind(ConversationLinks).toSelf().inSingletonScope();
    bind(TaskChangeSets).toSelf().inSingletonScope();
    bind(ContinueConversationContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(ContinueConversationContribution);
    bind(WorkspaceAgentsInChat).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(WorkspaceAgentsInChat);
    bind(WorkflowChatService).toSelf().inSingletonScope();
    rebind(FrontendChatServiceImpl).toService(WorkflowChatService);

    // The Message Bus view: one watcher, a model per widget.
    bind(BusMessagesWatcher).toSelf().inSingletonScope();
    bind(BusMessagesModel).toSelf();
    bind(BusMessagesWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: BusMessagesWidget.ID, createWidget: () => ctx.container.get(BusMessagesWidget) })).inSingletonScope();
    bindViewContribution(bind, BusMessagesViewContribution);
});
