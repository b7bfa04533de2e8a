import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';
import { AgentChatClient, ChatTaskUpdate } from '../common/agent-chat-protocol';

@injectable()
export class AgentChatClientImpl implements AgentChatClient {
    protected readonly updates = new Emitter<ChatTaskUpdate>();
    readonly onUpdate: Event<ChatTaskUpdate> = this.updates.event;

    onTaskUpdate(update: ChatTaskUpdate): void {
        this.updates.fire(update);
    }
}
