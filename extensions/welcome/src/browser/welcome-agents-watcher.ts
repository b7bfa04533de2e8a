import { RpcProxy } from '@theia/core/lib/common/messaging/proxy-factory';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { OrchestratorEvent } from '@coditect/agent-activity/common';
import { RefreshingWatcher } from '@coditect/studio-platform/browser';
import { AgentSnapshot, WelcomeAgentsService } from '../common/welcome-agents-protocol';
import { WelcomeAgentsClient } from './welcome-agents-client';

/** The events that change what the welcome page shows of an agent: its state (and why), its definition, a restart. */
const AgentEvents: ReadonlySet<OrchestratorEvent['type']> = new Set(['agent-state', 'definition', 'restart']);

/**
 * The agents as the welcome page shows them, read again after each pushed change of an agent and
 * after a reconnect. Tool calls, turns and usage change nothing the page shows, so they cause no read.
 */
@injectable()
export class WelcomeAgentsWatcher extends RefreshingWatcher {

    @inject(WelcomeAgentsService) protected readonly service: RpcProxy<WelcomeAgentsService>;
    @inject(WelcomeAgentsClient) protected readonly client: WelcomeAgentsClient;

    protected agentList: readonly AgentSnapshot[] = [];

    get agents(): readonly AgentSnapshot[] {
        return this.agentList;
    }

    protected follow(refresh: () => void): void {
        this.client.onEvent(event => AgentEvents.has(event.type) && refresh());
        this.service.onDidOpenConnection(refresh);
    }

    protected async read(): Promise<void> {
        this.agentList = await this.service.agents();
    }
}
