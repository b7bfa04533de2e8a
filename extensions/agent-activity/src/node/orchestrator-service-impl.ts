import { authorizeOnTask, authorizeOnWorkflowRun, personPrincipal, type Disposable, type RpcPolicy, type WorkspaceCore } from '@coditect/workspace-backend';
import { CoreConnectionService } from '@coditect/studio-platform/node';
import { TaskSubmissionLimiter } from '@coditect/studio-platform/node';
import { StudioUserProvider } from '@coditect/studio-platform/node';
import { inject, injectable } from '@theia/core/shared/inversify';
import { startWorkflowFor, submitTaskFor } from '@coditect/studio-platform/node';
import { tasksOfEveryAgent } from './orchestrator-actions';
import { AgentSnapshot, OrchestratorClient, OrchestratorService, SubmitTaskOptions, TaskInfo, WorkflowCatalog, WorkflowRunInfo } from '../common/orchestrator-protocol';

/** How many finished tasks of each agent the queue viewer shows. */
const FINISHED_TASKS_SHOWN = 100;

/** The action of each method (policy/entry-policy.ts); cancel and reorder are decided per task inside. */
export const OrchestratorServicePolicy: RpcPolicy<OrchestratorService> = {
    agents: 'workspace.read', tasks: 'workspace.read', submitTask: 'task.submit', cancelTask: 'task.cancel', reprioritise: 'task.reprioritise',
    // A run gives its steps to the agents as the caller's tasks: starting one is submitting tasks.
    workflows: 'workspace.read', workflowRuns: 'workspace.read', startWorkflow: 'task.submit', cancelWorkflow: 'task.cancel',
    setClient: 'connection', getClient: 'connection', dispose: 'connection',
};

/** One per browser connection: forwards the orchestrator's events to its client. */
@injectable()
export class OrchestratorServiceImpl extends CoreConnectionService<OrchestratorClient> implements OrchestratorService {

    @inject(StudioUserProvider) protected readonly users: StudioUserProvider;
    @inject(TaskSubmissionLimiter) protected readonly taskLimiter: TaskSubmissionLimiter;

    protected subscribe(core: WorkspaceCore): Disposable[] {
        return [core.orchestrator.onEvent(event => this.client?.onOrchestratorEvent(event))];
    }

    async agents(): Promise<AgentSnapshot[]> {
        return (await this.core()).orchestrator.listAgents();
    }

    async tasks(): Promise<TaskInfo[]> {
        return tasksOfEveryAgent((await this.core()).orchestrator, FINISHED_TASKS_SHOWN);
    }

    async submitTask(agentId: string, options: SubmitTaskOptions): Promise<TaskInfo> {
        return submitTaskFor(await this.core(), this.taskLimiter, personPrincipal(this.users.currentUser()), agentId, options);
    }

    async workflows(): Promise<WorkflowCatalog> {
        return (await this.core()).orchestrator.workflows.catalog();
    }

    async workflowRuns(): Promise<WorkflowRunInfo[]> {
        return (await this.core()).orchestrator.workflows.list();
    }

    async startWorkflow(name: string, input: string): Promise<WorkflowRunInfo> {
        return startWorkflowFor(await this.core(), this.taskLimiter, personPrincipal(this.users.currentUser()), name, input);
    }

    async cancelWorkflow(runId: number): Promise<WorkflowRunInfo> {
        const core = await this.core();
        authorizeOnWorkflowRun(core, personPrincipal(this.users.currentUser()), runId);
        return core.orchestrator.workflows.cancel(runId, `cancelled by ${this.users.currentUser().displayName}`);
    }

    async cancelTask(taskId: number): Promise<void> {
        const core = await this.core();
        authorizeOnTask(core, personPrincipal(this.users.currentUser()), 'task.cancel', taskId);
        core.orchestrator.cancelTask(taskId);
    }

    async reprioritise(taskId: number, priority: number): Promise<void> {
        const core = await this.core();
        authorizeOnTask(core, personPrincipal(this.users.currentUser()), 'task.reprioritise', taskId);
        core.orchestrator.reprioritise(taskId, priority);
    }
}
