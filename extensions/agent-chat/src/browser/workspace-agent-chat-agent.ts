import { nls } from '@theia/core/lib/common/nls';
import {
    ErrorChatResponseContentImpl, MarkdownChatResponseContentImpl, MutableChatRequestModel, ToolCallChatResponseContentImpl,
} from '@theia/ai-chat/lib/common/chat-model';
import { RelayChatAgent } from './relay-chat-agent';
import { AgentChatService, ChatableAgent, ChatTaskUpdate } from '../common/agent-chat-protocol';
import { AgentChatClientImpl } from './agent-chat-client-impl';
import type { TaskChangeSets } from './task-change-sets';

/** Chat agent ids are prefixed so they never collide with Theia's own agents (Coder, Universal, ...). */
export const chatAgentIdOf = (agentId: string) => `coditect-${agentId}`;

/** The text of a request without its leading `@Name`. */
export function messageText(text: string): string {
    return text.replace(/^\s*@[\w\-.]+\s*/, '').trim();
}

/**
 * A workspace agent in Theia's chat: `@Gemini do X` puts "do X" on Gemini's queue as a task, and
 * the chat shows what happens to it as it happens (queued, its model's words, tool calls, waits,
 * the result). The agent itself runs in the backend; this only relays.
 */
export class WorkspaceAgentChatAgent extends RelayChatAgent {
    readonly id: string;
    readonly name: string;
    readonly description: string;
    readonly iconClass = 'codicon codicon-hubot';

    constructor(
        protected readonly agent: ChatableAgent, protected readonly service: AgentChatService, protected readonly client: AgentChatClientImpl,
        protected readonly links?: { conversationOf(chatSessionId: string): string | undefined },
        protected readonly changeSets?: Pick<TaskChangeSets, 'attach'>,
    ) {
        super();
        this.id = chatAgentIdOf(agent.id);
        this.name = agent.name;
        this.description = (agent.description ? `${agent.description} ` : '') + nls.localize('coditect/agent-chat/agent-description',
            '{0}, the workspace\'s {1} agent ({2}). Your message becomes a task on its queue; it keeps working if you close the tab.', agent.name, agent.vendor, agent.model);
    }

    async invoke(request: MutableChatRequestModel): Promise<void> {
        const response = request.response;
        const text = messageText(request.request.text);
        let taskId: number | undefined;
        const early: ChatTaskUpdate[] = [];
        let settle: () => void = () => undefined;
        const finished = new Promise<void>(resolve => settle = resolve);
        const apply = (update: ChatTaskUpdate) => {
            if (this.render(request, update)) {
                subscription.dispose();
                settle();
            }
        };
        // Listen before sending: a fast task may end before `send` returns.
        const subscription = this.client.onUpdate(update => taskId === undefined ? early.push(update) : update.taskId === taskId && apply(update));
        try {
            taskId = (await this.service.send(this.agent.id, request.session.id, text, this.links?.conversationOf(request.session.id))).taskId;
        } catch (error) {
            subscription.dispose();
            response.response.addContent(new ErrorChatResponseContentImpl(error instanceof Error ? error : new Error(String(error))));
            response.complete();
            return;
        }
        response.cancellationToken.onCancellationRequested(() => taskId !== undefined && this.service.cancel(taskId));
        early.filter(u => u.taskId === taskId).forEach(apply);
        await finished;
    }

    /** Shows one update; true when the task has ended (then with its change set, if it changed files). */
    protected render(request: MutableChatRequestModel, update: ChatTaskUpdate): boolean {
        const ended = this.show(request, update);
        if (ended) {
            this.changeSets?.attach(request, update.taskId).catch(error => console.warn(`The change set of task #${update.taskId} could not be shown in the chat`, error));
        }
        return ended;
    }

    protected show(request: MutableChatRequestModel, update: ChatTaskUpdate): boolean {
        const response = request.response;
        const add = (markdown: string) => response.response.addContent(new MarkdownChatResponseContentImpl(markdown));
        switch (update.kind) {
            case 'queued':
                add(update.position > 1 ? `_Queued #${update.taskId} for ${this.name}: ${update.position - 1} ahead._\n\n` : `_Queued #${update.taskId} for ${this.name}._\n\n`);
                return false;
            case 'started':
                add(`_${this.name} started task #${update.taskId}._\n\n`);
                return false;
            case 'text':
                add(`${update.text}\n\n`);
                return false;
            case 'tool-call':
                response.response.addContent(new ToolCallChatResponseContentImpl(update.callId, update.name, update.arguments, update.finished, update.result));
                return false;
            case 'waiting':
                add(`_${update.message.charAt(0).toUpperCase()}${update.message.slice(1)}._\n\n`);
                return false;
            case 'done':
                add(`**${nls.localize('coditect/agent-chat/done', 'Done')}** ${nls.localize('coditect/agent-chat/done-task', '(task #{0}): {1}', update.taskId, update.summary)}`);
                response.complete();
                return true;
            case 'failed':
                response.response.addContent(new ErrorChatResponseContentImpl(new Error(nls.localize('coditect/agent-chat/task-failed', 'Task #{0} failed: {1}', update.taskId, update.error))));
                response.complete();
                return true;
            case 'cancelled':
                add(`_${nls.localize('coditect/agent-chat/task-cancelled', 'Task #{0} was cancelled: {1}.', update.taskId, update.reason)}_`);
                response.complete();
                return true;
        }
    }
}
