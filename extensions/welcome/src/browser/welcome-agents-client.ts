import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';
import type { OrchestratorEvent } from '@coditect/agent-activity/common';
import { OrchestratorClient } from '../common/welcome-agents-protocol';

/** Receives the orchestrator's events the backend pushes to the welcome page's connection. */
@injectable()
export class WelcomeAgentsClient implements OrchestratorClient {
    protected readonly received = new Emitter<OrchestratorEvent>();
    readonly onEvent: Event<OrchestratorEvent> = this.received.event;

    onOrchestratorEvent(event: OrchestratorEvent): void {
        this.received.fire(event);
    }
}
