import type { LockOwner } from '../locks/lock-types';
import type { AgentDefinition } from './agent-definition';
import type { AgentProcess } from './agent-process-handle';
import type { AgentStateMachine } from './agent-state';
import type { TaskInfo } from './task-repository';

/** The task an agent is working on, while its row is `running`. */
export interface RunningTask {
    task: TaskInfo;
    controller: AbortController;
    step: number;
    timer: NodeJS.Timeout;
    /** Why we stop it: a cancel ends it `cancelled`, a checkpoint (pause, backend stop) re-queues it without spending the attempt. */
    stopping?: { kind: 'cancel' | 'checkpoint'; reason: string; killTimer?: NodeJS.Timeout };
}

/** What the orchestrator keeps of one agent while the backend runs (its durable record is in agents.db). */
export interface AgentRuntime {
    definition: AgentDefinition;
    readonly machine: AgentStateMachine;
    readonly owner: LockOwner;
    process?: AgentProcess;
    running?: RunningTask;
    restartTimer?: NodeJS.Timeout;
    /** An `on-demand` agent's process, idle since its last task, is stopped when this fires. */
    idleTimer?: NodeJS.Timeout;
    consecutiveFailures: number;
    lastError?: string;
    /** Set when the provider check failed (no key, in `needs-key`; anything else, in `error`): cleared when it passes. */
    configError?: string;
    /** The vendor refused the key mid-task (`needs-key`): no more tasks until its key or definition changes, or the user resumes the agent. */
    authFailed?: boolean;
    /** A pause asked for "after the current step" (a budget's): its reason, until the step ends or the agent is resumed. */
    pauseAfterStep?: string;
}

export const ownerOf = (definition: AgentDefinition): LockOwner => ({ id: `agent:${definition.id}`, kind: 'agent', displayName: definition.name });

export class UnknownAgentError extends Error {
    constructor(agentId: string, known: readonly string[]) {
        super(`There is no agent "${agentId}"; known agents: ${known.join(', ') || 'none'}. Add .coditect/agents/${agentId}.json to create it.`);
        this.name = 'UnknownAgentError';
    }
}
