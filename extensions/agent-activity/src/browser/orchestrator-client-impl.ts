import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';
import { OrchestratorClient, OrchestratorEvent } from '../common/orchestrator-protocol';

@injectable()
export class OrchestratorClientImpl implements OrchestratorClient {
    protected readonly received = new Emitter<OrchestratorEvent>();
    readonly onEvent: Event<OrchestratorEvent> = this.received.event;

    onOrchestratorEvent(event: OrchestratorEvent): void {
        this.received.fire(event);
    }
}
