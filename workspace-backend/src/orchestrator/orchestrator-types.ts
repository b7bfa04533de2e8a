import type { LockInfo } from '../locks/lock-types';
import type { ToolCall } from '../providers/model-provider';
import type { ProviderCallError } from './agent-process/protocol';
import type { TokenUsage } from '../providers/token-usage';
import type { Vendor } from '../providers/model-provider';
import type { AgentState, WaitingOn } from './agent-state';
import type { DefinitionChange } from './definition-store';
import type { BusMessage } from './message-bus';
import type { TaskInfo } from './task-repository';
import type { WorkflowRunInfo } from './workflow-types';

/** An agent as the panels show it, live. */
export interface AgentSnapshot {
    readonly id: string;
    readonly name: string;
    /** What the agent is for (its definition's `description`). */
    readonly description?: string;
    readonly vendor: Vendor;
    readonly model: string;
    /** `on-demand`: its process starts for a task and stops when idle (no `pid` between tasks). */
    readonly process: 'always' | 'on-demand';
    readonly state: AgentState;
    /** Epoch ms of the last transition. */
    readonly stateSince: number;
    /** Set while `state` is `waiting`: "waiting for lock on src/a.ts held by Gemini". */
    readonly waitingOn?: WaitingOn;
    readonly currentTask?: { readonly id: number; readonly prompt: string; readonly title: string; readonly step: number; readonly attempt: number; readonly startedAt: number };
    readonly locksHeld: readonly LockInfo[];
    readonly queued: number;
    /** Every token of the agent's requests so far (from metrics.db). */
    readonly tokensUsed: number;
    /** Why the agent is in `error` or `needs-key` (or the last error). */
    readonly lastError?: string;
    /** The variable its provider's key is read from (ANTHROPIC_API_KEY, ...): what "Set Provider Key…" sets for it. */
    readonly keyVariable: string;
    /** The definition file's error, when its last edit is invalid (the last good definition keeps running). */
    readonly definitionError?: string;
    readonly definitionFile: string;
    readonly pid?: number;
    readonly restarts: number;
}

export interface AgentMetrics {
    readonly agentId: string;
    readonly tasksDone: number;
    readonly tasksFailed: number;
    readonly tasksCancelled: number;
    readonly queued: number;
    readonly avgQueueWaitMs: number;
    readonly avgTaskLatencyMs: number;
    readonly restarts: number;
    readonly errors: number;
    readonly tokensUsed: number;
}

/** One model request of an agent's task, answered or not (`Orchestrator.onProviderCall`). */
export interface ProviderCall {
    readonly agentId: string;
    readonly vendor: Vendor;
    readonly taskId: number;
    readonly model: string;
    /** Epoch ms when it was sent, and how long until its last streamed byte (or its failure). */
    readonly startedAt: number;
    readonly durationMs: number;
    /** Why it got no answer: the vendor's error kind, `cancelled` or `internal`; absent when answered. */
    readonly error?: ProviderCallError;
}

export type TaskChange = 'queued' | 'started' | 'reprioritised' | 'retrying' | 'done' | 'failed' | 'cancelled';

/** The one event stream the UI subscribes to (`Orchestrator.onEvent`). */
export type OrchestratorEvent =
    | { readonly type: 'agent-state'; readonly agentId: string; readonly from: AgentState; readonly to: AgentState; readonly reason: string; readonly at: number; readonly taskId?: number; readonly waitingOn?: WaitingOn }
    | { readonly type: 'task'; readonly change: TaskChange; readonly task: TaskInfo }
    | {
        readonly type: 'tool-call'; readonly agentId: string; readonly taskId: number; readonly step: number; readonly phase: 'started' | 'finished';
        readonly call: ToolCall; readonly result?: { readonly content: string; readonly isError: boolean }; readonly durationMs?: number;
    }
    | { readonly type: 'model-turn'; readonly agentId: string; readonly taskId: number; readonly step: number; readonly text: string }
    | { readonly type: 'usage'; readonly agentId: string; readonly taskId: number; readonly model: string; readonly usage: TokenUsage; readonly tokensUsed: number }
    | { readonly type: 'message'; readonly message: BusMessage }
    | { readonly type: 'restart'; readonly agentId: string; readonly reason: string; readonly delayMs: number; readonly taskId?: number }
    | { readonly type: 'definition'; readonly change: DefinitionChange }
    /** A workflow run started, moved on (a step queued or ended) or ended. */
    | { readonly type: 'workflow'; readonly run: WorkflowRunInfo };

/**
 * An agent's write of a workspace file with both contents (`Orchestrator.onFileEdit`), for the
 * session timeline's diffs. Not on `onEvent`, which every browser receives: file contents do
 * not belong there.
 */
export interface FileEditEvent {
    readonly agentId: string;
    readonly taskId?: number;
    /** Workspace-relative. */
    readonly path: string;
    /** Undefined when the write created the file. */
    readonly before: string | undefined;
    /** Undefined when the write deleted the file. */
    readonly after: string | undefined;
    readonly by: string;
    readonly at: number;
    /**
     * The write went to the agent's overlay (its definition's `apply: "after-review"`), not to the
     * workspace: the change set records it, the timeline does not (the file did not change; the
     * reviewer's write records it when the set lands). `before` is then what the agent saw.
     */
    readonly overlay?: true;
}

/**
 * An agent's read of a workspace file with its tool (`Orchestrator.onFileRead`): which content it
 * saw (SHA-256 of the text it was given: a truncated read matches no state of the file) and how
 * many lines, so a person's later edit of those lines can be flagged on its change set.
 */
export interface FileReadEvent {
    readonly agentId: string;
    readonly taskId: number;
    /** Workspace-relative. */
    readonly path: string;
    readonly sha256: string;
    readonly lines: number;
    readonly at: number;
}

export interface SubmitTaskOptions {
    readonly prompt: string;
    /** What people see of the task (a chat message, say, where the prompt wraps it); default the prompt. */
    readonly title?: string;
    /** Higher runs first; default 0. */
    readonly priority?: number;
    /** Default: the agent's limits.maxAttempts. */
    readonly maxAttempts?: number;
    /** Who gave the task, as a principal id (`user:ada`, `agent:claude`): it may cancel it (policy `task.cancel`). */
    readonly submittedBy?: string;
    /**
     * What the task and every task it delegates may spend together, in USD (`2.5`, `"0.75"`): past it
     * the costs cancel the whole tree. Default: no limit beyond the agents' and workspace's budgets.
     */
    readonly budgetUsd?: number | string;
}
