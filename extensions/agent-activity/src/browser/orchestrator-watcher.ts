import { RpcProxy } from '@theia/core/lib/common/messaging/proxy-factory';
import { inject, injectable } from '@theia/core/shared/inversify';
import { RefreshingWatcher } from '@coditect/studio-platform/browser';
import { AgentSnapshot, OrchestratorService, TaskInfo, WorkflowRunInfo } from '../common/orchestrator-protocol';
import { OrchestratorClientImpl } from './orchestrator-client-impl';

/**
 * The frontend's view of the agents and their tasks. The backend pushes every change; a burst of
 * events (a tool call per step, usage per turn) becomes one re-read of the snapshot, so the views
 * show the orchestrator's own state rather than a second reconstruction of it. After a reload or
 * reconnect it reads again, which is how both views restore their state.
 */
@injectable()
export class OrchestratorWatcher extends RefreshingWatcher {

    @inject(OrchestratorService)
    protected readonly service: RpcProxy<OrchestratorService>;

    @inject(OrchestratorClientImpl)
    protected readonly client: OrchestratorClientImpl;

    protected agentList: AgentSnapshot[] = [];
    protected taskList: TaskInfo[] = [];
    protected runList: WorkflowRunInfo[] = [];

    get agents(): readonly AgentSnapshot[] {
        return this.agentList;
    }

    get tasks(): readonly TaskInfo[] {
        return this.taskList;
    }

    /** Running workflow runs, then the latest ended ones. */
    get workflowRuns(): readonly WorkflowRunInfo[] {
        return this.runList;
    }

    tasksOf(agentId: string): TaskInfo[] {
        return this.taskList.filter(t => t.agentId === agentId);
    }

    protected follow(refresh: () => void): void {
        this.client.onEvent(refresh);
        this.service.onDidOpenConnection(refresh);
    }

    protected async read(): Promise<void> {
        [this.agentList, this.taskList, this.runList] = await Promise.all([this.service.agents(), this.service.tasks(), this.service.workflowRuns()]);
    }
}
