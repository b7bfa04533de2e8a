import { Disposable, WorkspaceCore } from '@coditect/workspace-backend';
import { WorkspaceCoreHost } from '@coditect/studio-core/lib/node/workspace-core-host';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { AgentSnapshot, OrchestratorClient, OrchestratorService, SubmitTaskOptions, TaskInfo } from '../common/orchestrator-protocol';

/** How many finished tasks of each agent the queue viewer shows. */
const FINISHED_TASKS_SHOWN = 100;

/** One per browser connection: forwards the orchestrator's events to its client. */
@injectable()
export class OrchestratorServiceImpl implements OrchestratorService {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    protected client: OrchestratorClient | undefined;
    protected subscription: Disposable | undefined;
    protected disposed = false;

    @postConstruct()
    protected init(): void {
        this.coreHost.ready.then(core => {
            if (!this.disposed) {
                this.subscription = core.orchestrator.onEvent(event => this.client?.onOrchestratorEvent(event));
            }
        });
    }

    setClient(client: OrchestratorClient | undefined): void {
        this.client = client;
    }

    dispose(): void {
        this.disposed = true;
        this.subscription?.dispose();
        this.client = undefined;
    }

    async agents(): Promise<AgentSnapshot[]> {
        return (await this.core()).orchestrator.listAgents();
    }

    async tasks(): Promise<TaskInfo[]> {
        const { orchestrator } = await this.core();
        return orchestrator.listAgents().flatMap(agent => orchestrator.listTasks(agent.id, FINISHED_TASKS_SHOWN));
    }

    async submitTask(agentId: string, options: SubmitTaskOptions): Promise<TaskInfo> {
        return (await this.core()).orchestrator.submitTask(agentId, options);
    }

    async cancelTask(taskId: number): Promise<void> {
        await (await this.core()).orchestrator.cancelTask(taskId);
    }

    async reprioritise(taskId: number, priority: number): Promise<void> {
        await (await this.core()).orchestrator.reprioritise(taskId, priority);
    }

    protected core(): Promise<WorkspaceCore> {
        return this.coreHost.ready;
    }
}
