import { Emitter, Event } from '@theia/core/lib/common/event';
import { RpcProxy } from '@theia/core/lib/common/messaging/proxy-factory';
import { inject, injectable } from '@theia/core/shared/inversify';
import { AgentSnapshot, OrchestratorService, TaskInfo } from '../common/orchestrator-protocol';
import { OrchestratorClientImpl } from './orchestrator-client-impl';

/**
 * The frontend's view of the agents and their tasks. The backend pushes every change; a burst of
 * events (a tool call per step, usage per turn) is coalesced into one re-read of the snapshot, so
 * the views show the orchestrator's own state rather than a second reconstruction of it. After a
 * reload or reconnect it reads again, which is how both views restore their state.
 */
@injectable()
export class OrchestratorWatcher {

    @inject(OrchestratorService)
    protected readonly service: RpcProxy<OrchestratorService>;

    @inject(OrchestratorClientImpl)
    protected readonly client: OrchestratorClientImpl;

    protected readonly changed = new Emitter<void>();
    readonly onDidChange: Event<void> = this.changed.event;

    protected agentList: AgentSnapshot[] = [];
    protected taskList: TaskInfo[] = [];
    protected loadError: string | undefined;
    protected started: Promise<void> | undefined;
    protected pending: ReturnType<typeof setTimeout> | undefined;

    get agents(): readonly AgentSnapshot[] {
        return this.agentList;
    }

    get tasks(): readonly TaskInfo[] {
        return this.taskList;
    }

    get error(): string | undefined {
        return this.loadError;
    }

    start(): Promise<void> {
        if (!this.started) {
            this.client.onEvent(() => this.scheduleRefresh());
            this.service.onDidOpenConnection(() => this.scheduleRefresh());
            this.started = this.refresh();
        }
        return this.started;
    }

    protected scheduleRefresh(): void {
        if (this.pending === undefined) {
            this.pending = setTimeout(() => {
                this.pending = undefined;
                this.refresh();
            }, 50);
        }
    }

    async refresh(): Promise<void> {
        try {
            [this.agentList, this.taskList] = await Promise.all([this.service.agents(), this.service.tasks()]);
            this.loadError = undefined;
        } catch (error) {
            this.loadError = error instanceof Error ? error.message : String(error);
        }
        this.changed.fire();
    }

    tasksOf(agentId: string): TaskInfo[] {
        return this.taskList.filter(t => t.agentId === agentId);
    }
}
