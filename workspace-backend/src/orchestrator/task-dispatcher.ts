import { MissingApiKeyError } from '../providers/provider-config';
import type { AgentRuntime } from './agent-runtime';
import type { AgentRuntimes } from './agent-runtimes';
import type { DefinitionStore } from './definition-store';
import type { ProviderFactory } from './provider-factory';
import type { TaskLedger } from './task-ledger';
import type { QueuedTaskOptions, TaskQueue } from './task-queue';
import { MoneyFormatError, parseUsd } from '../costs/money';
import type { TaskInfo } from './task-repository';
import type { TaskRunCycle } from './task-run-cycle';

export interface TaskDispatcherParts {
    readonly runtimes: AgentRuntimes;
    readonly ledger: TaskLedger;
    readonly definitions: DefinitionStore;
    readonly providers: ProviderFactory;
    /** Aborted once the orchestrator stops: nothing is queued or started after. */
    readonly shutdown: AbortSignal;
}

/**
 * Each agent's queue and when its next task starts: a task is handed to its agent (TaskRunCycle)
 * only while the agent is free for it, and the queue is pumped at every point the agent may have
 * become free (a submit, a task's end, a restart, a resume, a definition reload).
 *
 * Invariant: an agent runs one task at a time; `canDispatch` is checked, with the definition
 * refreshed and the provider checked, right before every hand-over.
 */
export class TaskDispatcher implements TaskQueue {
    /** The runs of the tasks this dispatcher starts; built here, with this dispatcher as their queue. */
    readonly runs: TaskRunCycle;

    constructor(protected readonly parts: TaskDispatcherParts, createRuns: (queue: TaskQueue) => TaskRunCycle) {
        this.runs = createRuns(this);
    }

    enqueue(agentId: string, options: QueuedTaskOptions): TaskInfo {
        if (this.parts.shutdown.aborted) {
            throw new Error('The orchestrator is stopping; submit the task after the restart.');
        }
        const runtime = this.parts.runtimes.require(agentId);
        if (typeof options.prompt !== 'string' || options.prompt.trim() === '') {
            throw new Error('A task needs a prompt.');
        }
        // Checked before anything is written: a malformed budget refuses the task.
        const budgetPico = options.budgetUsd === undefined ? undefined : parseUsd(options.budgetUsd, 'budgetUsd');
        if (budgetPico !== undefined && (options.parentTaskId !== undefined || budgetPico === 0n)) {
            throw new MoneyFormatError(budgetPico === 0n
                ? 'budgetUsd must be more than 0: it is what the task and the tasks it delegates may spend.'
                : 'budgetUsd belongs to the task a person gives: a delegated task spends from its root\'s budget.');
        }
        this.parts.definitions.refresh();
        // An idle agent with an empty queue takes the task at once: inserted running, one commit.
        const startNow = this.canDispatch(runtime) && this.parts.ledger.queuedCount(agentId) === 0 && this.checkProvider(runtime);
        const task = this.parts.ledger.insert({
            agentId, prompt: options.prompt, title: options.title?.trim() || undefined, priority: Math.trunc(options.priority ?? 0),
            maxAttempts: Math.max(1, Math.trunc(options.maxAttempts ?? runtime.definition.limits.maxAttempts)),
            parentTaskId: options.parentTaskId, fromAgentId: options.fromAgentId, submittedBy: options.submittedBy, workflow: options.workflow, budgetPico,
        }, startNow);
        if (startNow) {
            this.runs.dispatch(runtime, task);
        } else {
            this.pump(agentId);
        }
        return task;
    }

    /** A queued task is cancelled at once; a running one is aborted (its agent loop and tool call get the signal) and killed if it does not stop within the grace. */
    cancel(taskId: number, reason = 'cancelled by the user'): TaskInfo {
        const task = this.parts.ledger.require(taskId);
        if (task.status === 'queued') {
            return this.parts.ledger.end(task, 'cancelled', { error: reason });
        }
        if (task.status !== 'running') {
            return task;
        }
        const runtime = this.parts.runtimes.get(task.agentId);
        if (runtime?.running?.task.id === taskId) {
            this.runs.interrupt(runtime, 'cancel', reason);
        }
        return this.parts.ledger.require(taskId);
    }

    /** Starts the agent's next task when it is free. Called on submit, at every task end, after restarts and definition reloads. */
    pump(agentId: string): void {
        const runtime = this.parts.runtimes.get(agentId);
        if (runtime?.pauseAfterStep !== undefined && !runtime.running && !runtime.restartTimer) {
            // The task ended within its step (finished, failed): the pause it waited for takes effect now.
            const reason = runtime.pauseAfterStep;
            runtime.pauseAfterStep = undefined;
            runtime.machine.tryTransition('paused', reason);
            return;
        }
        if (!runtime || !this.canDispatch(runtime)) {
            return;
        }
        // Task boundary: pick up an edited definition even where fs.watch says nothing (a reload pumps again, hence the re-check).
        this.parts.definitions.refresh();
        if (!this.canDispatch(runtime)) {
            return;
        }
        const task = this.parts.ledger.nextQueued(agentId);
        if (!task || !this.checkProvider(runtime)) {
            return;
        }
        this.runs.dispatch(runtime, this.parts.ledger.start(task.id));
    }

    /**
     * Whether the agent's provider can be had now. When not, the agent shows why: `needs-key` when
     * no key is set anywhere (a setup step), `error` for anything else. When it can again, an agent
     * held only by that check is idle again, even with nothing queued.
     */
    checkProvider(runtime: AgentRuntime): boolean {
        try {
            this.parts.providers.check(runtime.definition);
        } catch (error) {
            const message = (error as Error).message;
            const state = error instanceof MissingApiKeyError ? 'needs-key' : 'error';
            if (runtime.configError !== message || runtime.machine.state !== state) {
                runtime.configError = message;
                runtime.machine.tryTransition(state, message);
            }
            return false;
        }
        const heldByCheck = runtime.configError !== undefined && runtime.machine.state === 'error';
        runtime.configError = undefined;
        if (heldByCheck || (runtime.machine.state === 'needs-key' && !runtime.authFailed)) {
            runtime.machine.transition('idle', `a key for ${runtime.definition.apiKeyVariable} is set`);
        }
        return true;
    }

    /**
     * A key the agent reads was set or removed: it forgets a refused key and, when free for a task,
     * checks its provider again (needs-key/error and back to idle). True when it may run now.
     */
    recheckProvider(runtime: AgentRuntime): boolean {
        if (!runtime.running) {
            runtime.authFailed = false;
        }
        return this.canDispatch(runtime) && this.checkProvider(runtime);
    }

    /** Free for its next task: not running one, not restarting, not paused or stopped, not held after a refused key. */
    protected canDispatch(runtime: AgentRuntime): boolean {
        const state = runtime.machine.state;
        return !this.parts.shutdown.aborted && !runtime.running && !runtime.restartTimer && !runtime.authFailed && (state === 'idle' || state === 'error' || state === 'needs-key');
    }
}
