import { AgentService } from '@theia/ai-core/lib/common/agent-service';
import { PromptService } from '@theia/ai-core/lib/common/prompt-service';
import { CommandService } from '@theia/core/lib/common/command';
import { nls } from '@theia/core/lib/common/nls';
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
import { WorkflowChatAgent, WorkflowChatAgentId } from './workflow-chat-agent';
import { WorkflowCommandName } from './workflow-request';

/**
 * Makes every workspace agent addressable in the chat as `@Name`, the message bus as `@Bus` and the
 * workflows as `@Workflow` (and `/workflow`), and keeps the list of agents current.
 */
@injectable()
export class WorkspaceAgentsInChat implements FrontendApplicationContribution {

    @inject(AgentChatService) protected readonly service: RpcProxy<AgentChatService>;
    @inject(AgentChatClientImpl) protected readonly client: AgentChatClientImpl;
    @inject(ChatAgentService) protected readonly chatAgents: ChatAgentService;
    @inject(AgentService) protected readonly agents: AgentService;
    @inject(ConversationLinks) protected readonly links: ConversationLinks;
    @inject(TaskChangeSets) protected readonly changeSets: TaskChangeSets;
    @inject(CommandService) protected readonly commands: CommandService;
    @inject(PromptService) protected readonly prompts: PromptService;

    protected readonly registered = new Set<string>();
    protected known: readonly ChatableAgent[] = [];

    onStart(): void {
        const bus = new BusChatAgent(this.service, () => this.known);
        const workflow = new WorkflowChatAgent(this.commands);
        for (const agent of [bus, workflow]) {
            this.chatAgents.registerChatAgent(agent);
            this.agents.registerAgent(agent);
        }
        // `/workflow <name> <input>`: WorkflowChatService sends it to @Workflow, which reads the request as typed.
        this.prompts.addBuiltInPromptFragment({
            id: `coditect-${WorkflowCommandName}-command`, template: '$ARGUMENTS', isCommand: true, commandName: WorkflowCommandName, commandAgents: [WorkflowChatAgentId],
            commandDescription: nls.localize('coditect/agent-chat/workflow-command', 'Run a workspace workflow (.coditect/workflows)'), commandArgumentHint: '<workflow> <what it is for>',
        });
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
