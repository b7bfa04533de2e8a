import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';
import { AgentChatClient, BusMessage, ChatTaskUpdate } from '../common/agent-chat-protocol';

@injectable()
export class AgentChatClientImpl implements AgentChatClient {
    protected readonly updates = new Emitter<ChatTaskUpdate>();
    readonly onUpdate: Event<ChatTaskUpdate> = this.updates.event;

    protected readonly busMessages = new Emitter<BusMessage>();
    readonly onBusMessageSent: Event<BusMessage> = this.busMessages.event;

    onTaskUpdate(update: ChatTaskUpdate): void {
        this.updates.fire(update);
    }

    onBusMessage(message: BusMessage): void {
        this.busMessages.fire(message);
    }
}
