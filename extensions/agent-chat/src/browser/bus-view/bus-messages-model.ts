import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { StudioViewModel } from '@coditect/studio-platform/browser';
import { isTopicPattern, topicMatches } from '@coditect/workspace-backend/types';
import { AgentChatService, BusMessage } from '../../common/agent-chat-protocol';
import { parseBusRequest } from '../bus-request';
import { BusMessagesWatcher } from './bus-messages-watcher';

/**
 * What the Message Bus view shows and does: the bus's latest messages, live, narrowed by a topic
 * filter (a topic, `build/*` or `*`, or an agent's id for what it sent or received), and a line
 * that sends one, written as in the chat's `@Bus` (`gemini: text`, `topic reviews: text`).
 */
@injectable()
export class BusMessagesModel extends StudioViewModel {

    @inject(BusMessagesWatcher) protected readonly watcher: BusMessagesWatcher;
    @inject(AgentChatService) protected readonly service: AgentChatService;
    @inject(MessageService) protected readonly notices: MessageService;

    protected filterText = '';
    protected draftText = '';
    protected sending = false;

    @postConstruct()
    protected init(): void {
        void this.follow(this.watcher);
    }

    get error(): string | undefined {
        return this.watcher.error;
    }

    get filter(): string {
        return this.filterText;
    }

    set filter(text: string) {
        this.filterText = text;
        this.fire();
    }

    get draft(): string {
        return this.draftText;
    }

    set draft(text: string) {
        this.draftText = text;
        this.fire();
    }

    get busy(): boolean {
        return this.sending;
    }

    /** The messages the filter lets through, newest first. */
    get messages(): BusMessage[] {
        const filter = this.filterText.trim();
        const shown = filter === '' ? this.watcher.messages : this.watcher.messages.filter(m => matchesFilter(m, filter));
        return [...shown].reverse();
    }

    /** An agent's name for its id; a person's or the studio's id as it is. */
    nameOf(id: string): string {
        return this.watcher.agents.find(a => a.id === id)?.name ?? id;
    }

    async send(): Promise<void> {
        const request = parseBusRequest(this.draftText, this.watcher.agents);
        if (request.kind !== 'send') {
            this.notices.warn(nls.localize('coditect/agent-chat/bus-view-how',
                'Write "<agent>: <text>" to message one agent, or "topic <topic>: <text>" to publish on a topic. Agents: {0}.',
                this.watcher.agents.map(a => a.id).join(', ')));
            return;
        }
        this.sending = true;
        this.fire();
        try {
            await this.service.sendBusMessage({ to: request.to, topic: request.topic }, request.text);
            this.draftText = '';
        } catch (error) {
            this.notices.error(error instanceof Error ? error.message : String(error));
        } finally {
            this.sending = false;
            this.fire();
        }
    }
}

/** A topic pattern matches the topic; anything else names a party (sender, recipient or addressee). */
export function matchesFilter(message: BusMessage, filter: string): boolean {
    if (isTopicPattern(filter) && topicMatches(filter, message.topic)) {
        return true;
    }
    const party = filter.replace(/^@/, '').toLowerCase();
    return message.from.toLowerCase() === party || message.to === party || message.recipients.includes(party);
}
