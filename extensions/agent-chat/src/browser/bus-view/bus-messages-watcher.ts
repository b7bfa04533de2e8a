import { RpcProxy } from '@theia/core/lib/common/messaging/proxy-factory';
import { inject, injectable } from '@theia/core/shared/inversify';
import { RefreshingWatcher } from '@coditect/studio-platform/browser';
import { AgentChatService, BusMessage, ChatableAgent } from '../../common/agent-chat-protocol';
import { AgentChatClientImpl } from '../agent-chat-client-impl';

/** How many of the latest messages the view keeps. */
export const BusMessagesShown = 200;

/**
 * The bus as the browser follows it: the latest messages (re-read after each burst of pushed
 * messages and after a reconnect, so a message published while the connection was down appears
 * too) and the agents they name.
 */
@injectable()
export class BusMessagesWatcher extends RefreshingWatcher {

    @inject(AgentChatService) protected readonly service: RpcProxy<AgentChatService>;
    @inject(AgentChatClientImpl) protected readonly client: AgentChatClientImpl;

    protected messageList: BusMessage[] = [];
    protected agentList: ChatableAgent[] = [];

    /** Oldest first. */
    get messages(): readonly BusMessage[] {
        return this.messageList;
    }

    get agents(): readonly ChatableAgent[] {
        return this.agentList;
    }

    protected follow(refresh: () => void): void {
        this.client.onBusMessageSent(refresh);
        this.service.onDidOpenConnection(refresh);
    }

    protected async read(): Promise<void> {
        [this.messageList, this.agentList] = await Promise.all([this.service.busMessages(BusMessagesShown), this.service.agents()]);
    }
}
