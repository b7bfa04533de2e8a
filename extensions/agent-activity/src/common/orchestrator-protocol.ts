import { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type { AgentSnapshot, OrchestratorEvent, SubmitTaskOptions } from '@coditect/workspace-backend/types';
import type { TaskInfo } from '@coditect/workspace-backend/types';

export type { AgentSnapshot, OrchestratorEvent, SubmitTaskOptions } from '@coditect/workspace-backend/types';
export type { TaskInfo, TaskStatus } from '@coditect/workspace-backend/types';
export type { AgentState, WaitingOn } from '@coditect/workspace-backend/types';

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
}
