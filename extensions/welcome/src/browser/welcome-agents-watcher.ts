import { Emitter, Event } from '@theia/core/lib/common/event';
import { RpcProxy } from '@theia/core/lib/common/messaging/proxy-factory';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { OrchestratorEvent } from '@coditect/agent-activity/common';
import { StudioViewModelSource } from '@coditect/studio-platform/browser';
import { AgentSnapshot, WelcomeAgentsService } from '../common/welcome-agents-protocol';
import { WelcomeAgentsClient } from './welcome-agents-client';

/** The events that change what the welcome page shows of an agent: its state (and why), its definition, a restart. */
const AgentEvents: ReadonlySet<OrchestratorEvent['type']> = new Set(['agent-state', 'definition', 'restart']);

/**
 * The agents as the welcome page shows them: read once, then again after each pushed change of
 * an agent (a burst coalesced into one read) and after a reconnect. Tool calls, turns and usage
 * change nothing the page shows, so they cause no read.
 */
@injectable()
export class WelcomeAgentsWatcher implements StudioViewModelSource {

    @inject(WelcomeAgentsService) protected readonly service: RpcProxy<WelcomeAgentsService>;
    @inject(WelcomeAgentsClient) protected readonly client: WelcomeAgentsClient;

    protected readonly changed = new Emitter<void>();
    readonly onDidChange: Event<void> = this.changed.event;

    protected agentList: readonly AgentSnapshot[] = [];
    protected loadError: string | undefined;
    protected started: Promise<void> | undefined;
    protected pending: ReturnType<typeof setTimeout> | undefined;

    get agents(): readonly AgentSnapshot[] {
        return this.agentList;
    }

    /** Why the agents could not be read, if they could not. */
    get error(): string | undefined {
        return this.loadError;
    }

    start(): Promise<void> {
        if (!this.started) {
            this.client.onEvent(event => AgentEvents.has(event.type) && this.scheduleRefresh());
            this.service.onDidOpenConnection(() => this.scheduleRefresh());
            this.started = this.refresh();
        }
        return this.started;
    }

    protected scheduleRefresh(): void {
        if (this.pending === undefined) {
            this.pending = setTimeout(() => {
                this.pending = undefined;
                void this.refresh();
            }, 50);
        }
    }

    async refresh(): Promise<void> {
        try {
            this.agentList = await this.service.agents();
            this.loadError = undefined;
        } catch (error) {
            this.loadError = error instanceof Error ? error.message : String(error);
        }
        this.changed.fire();
    }
}
