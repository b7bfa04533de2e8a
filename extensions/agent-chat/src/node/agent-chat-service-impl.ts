import { authorizeOnTask, personPrincipal, type Disposable, type RpcPolicy, type WorkspaceCore } from '@coditect/workspace-backend';
import { CoreConnectionService } from '@coditect/studio-platform/node';
import { StudioUserProvider } from '@coditect/studio-platform/node';
import { TaskSubmissionLimiter } from '@coditect/studio-platform/node';
import { inject, injectable } from '@theia/core/shared/inversify';
import { AgentChatClient, AgentChatService, BusMessage, ChatableAgent, ChatMessage, ConversationSummary } from '../common/agent-chat-protocol';
import { chatTaskUpdateOf } from './chat-task-updates';

/** The action of each method (policy/entry-policy.ts); cancel is decided per task inside. */
export const AgentChatServicePolicy: RpcPolicy<AgentChatService> = {
    agents: 'workspace.read', send: 'task.submit', conversations: 'workspace.read', transcript: 'workspace.read', cancel: 'task.cancel',
    sendBusMessage: 'bus.send', busMessages: 'workspace.read',
    setClient: 'connection', getClient: 'connection', dispose: 'connection',
};

/** One per browser connection: turns chat messages into tasks and their events into chat updates. */
@injectable()
export class AgentChatServiceImpl extends CoreConnectionService<AgentChatClient> implements AgentChatService {

    @inject(StudioUserProvider)
    protected readonly users: StudioUserProvider;

    @inject(TaskSubmissionLimiter)
    protected readonly taskLimiter: TaskSubmissionLimiter;

    protected subscribe(core: WorkspaceCore): Disposable[] {
        return [core.orchestrator.onEvent(event => {
            if (event.type === 'message') {
                this.client?.onBusMessage(event.message);
                return;
            }
            const update = chatTaskUpdateOf(event, taskId => this.queuePosition(core, taskId));
            if (update) {
                this.client?.onTaskUpdate(update);
            }
        })];
    }

    async agents(): Promise<ChatableAgent[]> {
        return (await this.core()).orchestrator.listAgents().map(({ id, name, vendor, model, description }) => ({ id, name, vendor, model, description }));
    }

    /**
     * The conversation lives in the backend (`core.chat`), one per chat session and agent, so the
     * agent sees what was said before, after a reload too.
     */
    async send(agentId: string, chatSessionId: string, text: string, conversationId?: string): Promise<{ taskId: number }> {
        const core = await this.core();
        const user = this.users.currentUser();
        await this.taskLimiter.consume(user);
        const continued = conversationId !== undefined;
        const { task } = core.chat.send(agentId, conversationId ?? `${chatSessionId}:${agentId}`, text, { id: user.id, displayName: user.displayName }, { createIfMissing: !continued });
        await core.durability.acknowledge(`Your message to ${agentId} (task #${task.id})`, 'sessions', 'tasks');
        return { taskId: task.id };
    }

    async conversations(): Promise<ConversationSummary[]> {
        const { chat, orchestrator } = await this.core();
        return orchestrator.listAgents().flatMap(agent => chat.conversations(agent.id)).sort((a, b) => b.lastMessage.createdAt - a.lastMessage.createdAt);
    }

    async transcript(conversationId: string): Promise<ChatMessage[]> {
        const messages = (await this.core()).chat.conversation(conversationId);
        if (messages.length === 0) {
            throw new Error(`There is no conversation "${conversationId}"; pick one from "Continue Agent Conversation…".`);
        }
        return messages;
    }

    async cancel(taskId: number): Promise<void> {
        const core = await this.core();
        authorizeOnTask(core, personPrincipal(this.users.currentUser()), 'task.cancel', taskId);
        core.orchestrator.cancelTask(taskId, 'cancelled from the chat');
    }

    async sendBusMessage(target: { readonly to?: string; readonly topic?: string }, text: string): Promise<BusMessage> {
        const core = await this.core();
        const message = core.orchestrator.publishMessage(personPrincipal(this.users.currentUser()), { to: target.to, topic: target.topic }, text);
        await core.durability.acknowledge(`Your message ${message.to !== undefined ? `to ${message.to}` : `on ${message.topic}`}`, 'agents');
        return message;
    }

    async busMessages(limit: number): Promise<BusMessage[]> {
        return (await this.core()).orchestrator.bus.recent(Math.max(1, Math.min(200, Math.trunc(limit) || 20)));
    }

    /** 1 when the task is next in its agent's queue (or running). */
    protected queuePosition(core: WorkspaceCore, taskId: number): number {
        const task = core.orchestrator.getTask(taskId);
        if (!task) {
            return 1;
        }
        const ahead = core.orchestrator.listTasks(task.agentId, 0).filter(t => t.id !== taskId && (t.status === 'running' ||
            (t.status === 'queued' && (t.priority > task.priority || (t.priority === task.priority && t.id < task.id)))));
        return ahead.length + 1;
    }
}
