import { nls } from '@theia/core/lib/common/nls';
import { ErrorChatResponseContentImpl, MarkdownChatResponseContentImpl, MutableChatRequestModel } from '@theia/ai-chat/lib/common/chat-model';
import { RelayChatAgent } from './relay-chat-agent';
import { AgentChatService, BusMessage, ChatableAgent } from '../common/agent-chat-protocol';
import { parseBusRequest } from './bus-request';
import { messageText } from './workspace-agent-chat-agent';

export const BusChatAgentId = 'coditect-bus';

/** How many of the latest messages `@Bus` shows. */
const ShownMessages = 20;

/**
 * The workspace's message bus in Theia's chat, as `@Bus`: a person sends a message to one agent
 * (`@Bus gemini: …`) or on a topic (`@Bus topic reviews: …`), as an agent's send_message would,
 * and reads the latest messages between the agents (`@Bus`). The message is sent in the person's
 * name (the backend decides it from the connection).
 */
export class BusChatAgent extends RelayChatAgent {
    readonly id = BusChatAgentId;
    readonly name = 'Bus';
    readonly description = nls.localize('coditect/agent-chat/bus-description',
        'The workspace\'s message bus: "gemini: …" sends to one agent, "topic reviews: …" to a topic\'s subscribers; nothing shows the latest messages.');
    readonly iconClass = 'codicon codicon-broadcast';

    constructor(protected readonly service: AgentChatService, protected readonly agents: () => readonly ChatableAgent[]) {
        super();
    }

    async invoke(request: MutableChatRequestModel): Promise<void> {
        const response = request.response;
        const add = (markdown: string) => response.response.addContent(new MarkdownChatResponseContentImpl(markdown));
        try {
            const asked = parseBusRequest(messageText(request.request.text), this.agents());
            if (asked.kind === 'send') {
                const sent = await this.service.sendBusMessage({ to: asked.to, topic: asked.topic }, asked.text);
                add(this.sentLine(sent));
            } else if (asked.kind === 'help') {
                add(nls.localize('coditect/agent-chat/bus-help', 'Write `@Bus <agent>: <message>` for one agent ({0}), `@Bus topic <topic>: <message>` for the agents that subscribe '
                    + 'to a topic, or `@Bus` alone for the latest messages.', this.agents().map(a => a.id).join(', ')));
            }
            const latest = await this.service.busMessages(ShownMessages);
            add(latest.length === 0
                ? `\n\n_${nls.localize('coditect/agent-chat/bus-empty', 'No message on the bus yet.')}_`
                : `\n\n**${nls.localize('coditect/agent-chat/bus-latest', 'Latest messages')}**\n\n${latest.map(m => this.messageLine(m)).join('\n')}`);
        } catch (error) {
            response.response.addContent(new ErrorChatResponseContentImpl(error instanceof Error ? error : new Error(String(error))));
        }
        response.complete();
    }

    protected sentLine(message: BusMessage): string {
        const names = message.recipients.map(id => this.agents().find(a => a.id === id)?.name ?? id);
        if (message.to !== undefined) {
            return nls.localize('coditect/agent-chat/bus-sent', 'Sent to {0}: it reads it on its next turn.', names[0] ?? message.to);
        }
        return names.length > 0
            ? nls.localize('coditect/agent-chat/bus-published', 'Published on `{0}` to {1}.', message.topic, names.join(', '))
            : nls.localize('coditect/agent-chat/bus-published-none', 'Published on `{0}`; no agent subscribes to it yet.', message.topic);
    }

    protected messageLine(message: BusMessage): string {
        const time = new Date(message.at).toLocaleTimeString();
        const where = message.to !== undefined ? `→ ${message.to}` : `on \`${message.topic}\``;
        return `- ${time} **${message.from}** ${where}: ${message.text.replace(/\s+/g, ' ').slice(0, 300)}`;
    }
}
