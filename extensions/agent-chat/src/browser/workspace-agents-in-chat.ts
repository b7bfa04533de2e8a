import { AgentService } from '@theia/ai-core/lib/common/agent-service';
import { ChatAgentService } from '@theia/ai-chat/lib/common/chat-agent-service';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { RpcProxy } from '@theia/core/lib/common/messaging/proxy-factory';
import { inject, injectable } from '@theia/core/shared/inversify';
import { AgentChatService, ChatableAgent } from '../common/agent-chat-protocol';
import { BusChatAgent } from './bus-chat-agent';
import { AgentChatClientImpl } from './agent-chat-client-impl';
import { ConversationLinks } from './conversation-links';
import { TaskChangeSets } from './task-change-sets';
import { WorkspaceAgentChatAgent } from './workspace-agent-chat-agent';

/** Makes every workspace agent addressable in the chat as `@Name`, and the message bus as `@Bus`, and keeps the list current. */
@injectable()
export class WorkspaceAgentsInChat implements FrontendApplicationContribution {

    @inject(AgentChatService) protected readonly service: RpcProxy<AgentChatService>;
    @inject(AgentChatClientImpl) protected readonly client: AgentChatClientImpl;
    @inject(ChatAgentService) protected readonly chatAgents: ChatAgentService;
    @inject(AgentService) protected readonly agents: AgentService;
    @inject(ConversationLinks) protected readonly links: ConversationLinks;
    @inject(TaskChangeSets) protected readonly changeSets: TaskChangeSets;

    protected readonly registered = new Set<string>();
    protected known: readonly ChatableAgent[] = [];

    onStart(): void {
        const bus = new BusChatAgent(this.service, () => this.known);
        this.chatAgents.registerChatAgent(bus);
        this.agents.registerAgent(bus);
        this.service.onDidOpenConnection(() => this.refresh());
        this.refresh();
    }

    async refresh(): Promise<void> {
        try {
            const agents = await this.service.agents();
            this.known = agents;
            for (const agent of agents) {
                const chatAgent = new WorkspaceAgentChatAgent(agent, this.service, this.client, this.links, this.changeSets);
                if (this.registered.has(chatAgent.id)) {
                    continue;
                }
                this.chatAgents.registerChatAgent(chatAgent);
                this.agents.registerAgent(chatAgent);
                this.registered.add(chatAgent.id);
            }
        } catch (error) {
            console.error('Could not list the workspace agents for the chat', error);
        }
    }
}
