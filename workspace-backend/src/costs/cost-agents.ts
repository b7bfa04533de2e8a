import type { Event } from '../common/emitter';

/** An agent as the costs see it. */
export interface CostAgentInfo {
    readonly id: string;
    readonly name: string;
    /** The orchestrator's state: idle, loading, executing, waiting, error, paused, stopped. */
    readonly state: string;
}

/**
 * What the costs need from the agents, as a port: the orchestrator sits above the costs in the
 * layers, so the composition root adapts it (core/cost-agents-adapter.ts) and tests can script it.
 */
export interface CostAgents {
    list(): readonly CostAgentInfo[];
    /** Pauses the agent once its current step is over (at once when it is not running a task). Idempotent. */
    pauseAfterStep(agentId: string, reason: string): void;
    /** Resumes an agent the budgets paused (or cancels a pause still waiting for its step). */
    resume(agentId: string, reason: string): void;
    /** What people call the task (its title), when it is known. */
    taskTitle(taskId: number): string | undefined;
    /** Fires after token usage was recorded in `token_usage` (the ledger then catches up). */
    readonly onUsageRecorded: Event<void>;
    /** The delegation tree a task is in (its root and the root's budget; every task under it when asked); undefined for an unknown task. */
    taskTree(taskId: number): CostTaskTree | undefined;
    /** Cancels every unfinished task of the tree under `rootId`, saying why. */
    cancelTaskTree(rootId: number, reason: string): void;
}

/** A task and the tasks it delegated, as the costs see them. */
export interface CostTaskTree {
    readonly rootId: number;
    /** Whether the root is still queued or running: only then can the tree spend more. */
    readonly open: boolean;
    readonly budgetPico?: bigint;
    /** The root and every task under it: read only when asked (a tree without a budget never is). */
    taskIds(): readonly number[];
}
