import type { SubmitTaskOptions } from './orchestrator-types';
import type { TaskInfo, TaskWorkflowStep } from './task-repository';

/** A task as submitted to an agent's queue: by a person, or by another agent's `delegate`. */
export interface QueuedTaskOptions extends SubmitTaskOptions {
    /** The delegating task, for a sub-task. */
    readonly parentTaskId?: number;
    /** The agent that delegated it. */
    readonly fromAgentId?: string;
    /** The workflow run and step it is. */
    readonly workflow?: TaskWorkflowStep;
}

/**
 * The agents' task queues as a running task sees them: it delegates into them, cancels what it
 * delegated, and frees its agent for the next task. TaskDispatcher implements it; TaskRunCycle
 * takes it, which is what lets the two be built one after the other.
 */
export interface TaskQueue {
    /** Queues a task on the agent (starting it at once when the agent is free). */
    enqueue(agentId: string, options: QueuedTaskOptions): TaskInfo;
    /** A queued task is cancelled at once; a running one is asked to stop. */
    cancel(taskId: number, reason?: string): TaskInfo;
    /** Starts the agent's next task when it is free. */
    pump(agentId: string): void;
}
