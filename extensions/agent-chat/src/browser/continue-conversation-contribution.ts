import { nls } from '@theia/core/lib/common/nls';
import { ChatAgentLocation } from '@theia/ai-chat/lib/common/chat-agents';
import { ChatAgentService } from '@theia/ai-chat/lib/common/chat-agent-service';
import { MarkdownChatResponseContentImpl, MutableChatModel } from '@theia/ai-chat/lib/common/chat-model';
import { ChatService } from '@theia/ai-chat/lib/common/chat-service';
import { ParsedChatRequestTextPart } from '@theia/ai-chat/lib/common/parsed-chat-request';
import { ChatViewWidget } from '@theia/ai-chat-ui/lib/browser/chat-view-widget';
import { ApplicationShell, QuickInputService, QuickPickItem, WidgetManager } from '@theia/core/lib/browser';
import { Command, CommandContribution, CommandRegistry, MessageService } from '@theia/core/lib/common';
import { inject, injectable } from '@theia/core/shared/inversify';
import { studioCommand } from '@coditect/studio-platform/common';
import { AgentChatService, ChatMessage, ConversationSummary } from '../common/agent-chat-protocol';
import { ConversationLinks } from './conversation-links';
import { chatAgentIdOf } from './workspace-agent-chat-agent';

const ContinueConversationCommand: Command = studioCommand('agent-chat', 'continue-conversation', { id: 'coditect.chat.continueConversation', label: 'Continue Agent Conversation…' });

/**
 * Conversations live in the backend, so one started in another browser (or before a reload that
 * lost the chat session) can be picked up: the command lists every agent's conversations, opens
 * a chat session pinned to that agent, shows the conversation so far, and sends what is typed
 * next into the same conversation.
 */
@injectable()
export class ContinueConversationContribution implements CommandContribution {

    @inject(AgentChatService) protected readonly service: AgentChatService;
    @inject(ChatService) protected readonly chats: ChatService;
    @inject(ChatAgentService) protected readonly chatAgents: ChatAgentService;
    @inject(ConversationLinks) protected readonly links: ConversationLinks;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(WidgetManager) protected readonly widgets: WidgetManager;
    @inject(ApplicationShell) protected readonly shell: ApplicationShell;

    registerCommands(commands: CommandRegistry): void {
        commands.registerCommand(ContinueConversationCommand, { execute: () => this.pickAndContinue() });
    }

    protected async pickAndContinue(): Promise<void> {
        const conversations = await this.service.conversations();
        if (conversations.length === 0) {
            this.messages.info(nls.localize('coditect/agent-chat/no-conversations', 'No agent conversations yet: start one in the chat with @Claude, @Gemini, @Codex or @Kimi.'));
            return;
        }
        const picked = await this.quickInput.showQuickPick(conversations.map(c => this.itemOf(c)), { placeholder: nls.localize('coditect/agent-chat/pick-conversation', 'Pick a conversation to continue') });
        if (picked) {
            await this.continue(picked.conversation);
        }
    }

    async continue(summary: ConversationSummary): Promise<void> {
        const agent = this.chatAgents.getAgent(chatAgentIdOf(summary.agentId));
        if (!agent) {
            this.messages.error(nls.localize('coditect/agent-chat/agent-gone', 'The agent "{0}" of that conversation is not in this workspace any more.', summary.agentId));
            return;
        }
        const transcript = await this.service.transcript(summary.conversationId);
        const session = this.chats.createSession(ChatAgentLocation.Panel, { focus: true }, agent);
        session.title = `${agent.name}: ${summary.title}`;
        this.links.link(session.id, summary.conversationId);
        this.replay(session.model as MutableChatModel, agent.id, transcript);
        const view = await this.widgets.getOrCreateWidget(ChatViewWidget.ID);
        await this.shell.activateWidget(view.id);
    }

    /** Shows the conversation so far in the chat session: each person's message with the agent's answer to it. */
    protected replay(model: MutableChatModel, chatAgentId: string, transcript: readonly ChatMessage[]): void {
        let open: ReturnType<MutableChatModel['addRequest']> | undefined;
        const close = () => open?.response.complete();
        for (const message of transcript) {
            if (message.role === 'user') {
                close();
                const text = message.text;
                open = model.addRequest({
                    request: { text }, parts: [new ParsedChatRequestTextPart({ start: 0, endExclusive: text.length }, text)], toolRequests: new Map(), variables: [],
                }, chatAgentId);
            } else if (open) {
                const prefix = message.role === 'system' ? '_' : '';
                open.response.response.addContent(new MarkdownChatResponseContentImpl(`${prefix}${message.text}${prefix}\n\n`));
            }
        }
        close();
    }

    protected itemOf(conversation: ConversationSummary): QuickPickItem & { conversation: ConversationSummary } {
        const agent = this.chatAgents.getAgent(chatAgentIdOf(conversation.agentId));
        return {
            label: `$(hubot) ${agent?.name ?? conversation.agentId}: ${conversation.title}`,
            description: nls.localize('coditect/agent-chat/message-count', '{0} messages{1}', conversation.messageCount, conversation.pendingTaskId ? nls.localize('coditect/agent-chat/answering', ' · answering now') : ''),
            detail: nls.localize('coditect/agent-chat/last-message', 'Last {0}: {1}', new Date(conversation.lastMessage.createdAt).toLocaleString(), conversation.lastMessage.text.slice(0, 120)),
            conversation,
        };
    }
}
