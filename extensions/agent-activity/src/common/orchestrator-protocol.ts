import { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type { AgentSnapshot, OrchestratorEvent, SubmitTaskOptions } from '@coditect/workspace-backend/types';
import type { TaskInfo, WorkflowCatalog, WorkflowRunInfo } from '@coditect/workspace-backend/types';

export type { AgentSnapshot, OrchestratorEvent, SubmitTaskOptions } from '@coditect/workspace-backend/types';
export type { TaskInfo, TaskStatus } from '@coditect/workspace-backend/types';
export type { AgentState, WaitingOn } from '@coditect/workspace-backend/types';
export type { WorkflowCatalog, WorkflowDefinition, WorkflowRunInfo, WorkflowRunStep, WorkflowRunStatus } from '@coditect/workspace-backend/types';
export { stepsRunTogether, workflowStepsLine } from '@coditect/workspace-backend/types';

export const ORCHESTRATOR_PATH = '/services/coditect/orchestrator';

export interface OrchestratorClient {
    /** Every change in the orchestrator, in order: agent states, tasks, tool calls, usage, messages. */
    onOrchestratorEvent(event: OrchestratorEvent): void;
}

/** The orchestrator as the browser sees it: read its state, submit and steer tasks. */
export const OrchestratorService = Symbol('OrchestratorService');
export interface OrchestratorService extends RpcServer<OrchestratorClient> {
    agents(): Promise<AgentSnapshot[]>;
    /** Queued and running tasks, and the most recent finished ones (newest first), of every agent. */
    tasks(): Promise<TaskInfo[]>;
    submitTask(agentId: string, options: SubmitTaskOptions): Promise<TaskInfo>;
    cancelTask(taskId: number): Promise<void>;
    reprioritise(taskId: number, priority: number): Promise<void>;
    /** The workspace's workflows that can run (`.coditect/workflows/*.md`), and what is wrong with the files that cannot. */
    workflows(): Promise<WorkflowCatalog>;
    /** Running workflow runs, then the latest ended ones. */
    workflowRuns(): Promise<WorkflowRunInfo[]>;
    /** Starts a run in the caller's name: its steps become the caller's tasks. */
    startWorkflow(name: string, input: string): Promise<WorkflowRunInfo>;
    /** Cancels a run's unfinished steps (its starter, or an admin). */
    cancelWorkflow(runId: number): Promise<WorkflowRunInfo>;
}
