import { firstLine } from '../common/first-line';
import { maskSecrets } from '../policy/secrets';
import { workspaceSecretValues } from '../providers/provider-secrets';
import type { Emitter } from '../common/emitter';
import type { LockManager } from '../locks/lock-manager';
import type { ToolCall } from '../providers/model-provider';
import { AgentProcess } from './agent-process-handle';
import type { FromAgent, TaskOutcome } from './agent-process/protocol';
import type { AgentCollaboration } from './agent-collaboration';
import type { AgentRepository } from './agent-repository';
import type { AgentRuntime, RunningTask } from './agent-runtime';
import type { AgentRuntimes } from './agent-runtimes';
import type { WaitingOn } from './agent-state';
import type { GuardedFileWriter } from './guarded-file-writer';
import type { OrchestratorOptions } from './orchestrator-options';
import type { OrchestratorEvent, ProviderCall } from './orchestrator-types';
import type { TaskTraces } from './task-traces';
import type { ProviderFactory } from './provider-factory';
import type { TaskLedger } from './task-ledger';
import { releaseTaskLocks } from './task-locks';
import type { TaskQueue } from './task-queue';
import type { TaskInfo } from './task-repository';
import type { TokenUsageTracker } from './token-usage-tracker';
import type { HookRunner } from './hook-runner';
import type { ToolContext, ToolExecutor, ToolOutcome } from './tool-executor';
import { workspaceContext } from './workspace-context';

/** The parts a task's run works with; the orchestrator builds each and owns its lifetime. */
export interface TaskRunParts {
    readonly runtimes: AgentRuntimes;
    readonly ledger: TaskLedger;
    /** Where a run's agent goes back for its next task, once the run ends. */
    readonly queue: TaskQueue;
    readonly collaboration: AgentCollaboration;
    readonly tokens: TokenUsageTracker;
    /** Restarts are recorded in agents.db. */
    readonly agentsRepo: AgentRepository;
    readonly events: Pick<Emitter<OrchestratorEvent>, 'fire'>;
    /** Every model request of a task, for telemetry only (not the UI's stream). */
    readonly providerCalls: Pick<Emitter<ProviderCall>, 'fire'>;
    /** Runs each tool call inside its trace span. */
    readonly traces: Pick<TaskTraces, 'inTool'>;
    readonly locks: LockManager;
    readonly writer: GuardedFileWriter;
    readonly tools: ToolExecutor;
    /** The workspace's hooks around tool calls and at a finish (`.coditect/settings.json`). */
    readonly hooks: HookRunner;
    readonly providers: ProviderFactory;
    readonly timing: Pick<OrchestratorOptions, 'heartbeatTimeoutMs' | 'cancelGraceMs' | 'restartBackoff' | 'onDemandIdleMs'>;
    /** Aborted once the orchestrator stops: a dying process is then not restarted, and a step's acknowledgement is no longer waited for. */
    readonly shutdown: AbortSignal;
}

/**
 * One task's run on its agent, from the hand-over to its agent's process until it leaves
 * `running`: what the process reports (turns, usage, rate limits, tool calls, the result), the
 * tool calls run here, stops (cancel, checkpoint, time limit, shutdown), and the task's end,
 * by its result or by the death of the process (which is then restarted with backoff).
 *
 * Invariant: what arrives for a run that is no longer `runtime.running` (it ended, or its process
 * was replaced) is dropped, so a late message or tool result never touches the agent's next task.
 */
export class TaskRunCycle {
    constructor(protected readonly parts: TaskRunParts) { }

    /** Hands a task (already `running` in tasks.db) to the agent's process. */
    dispatch(runtime: AgentRuntime, started: TaskInfo): void {
        const agentId = runtime.definition.id;
        const definition = runtime.definition;
        const controller = new AbortController();
        clearTimeout(runtime.idleTimer);
        const timer = setTimeout(() => this.onTimeLimit(runtime, started.id), definition.limits.taskTimeoutMs);
        runtime.running = { task: started, controller, step: 0, timer };
        runtime.machine.transition('loading', `task ${started.id} (attempt ${started.attempts} of ${started.maxAttempts})`, { taskId: started.id });
        this.parts.ledger.announce('started', started);
        const process = this.ensureProcess(runtime);
        process.send({
            type: 'run',
            task: { id: started.id, prompt: started.prompt, attempt: started.attempts },
            definition,
            context: workspaceContext({
                agent: definition, locks: this.parts.locks, writer: this.parts.writer, paths: this.parts.locks.paths, others: this.parts.runtimes.peersOf(agentId), prompt: started.prompt,
            }),
            inbox: this.parts.collaboration.takeInbox(agentId, started.id),
            provider: this.parts.providers.spec(definition, started),
        });
    }

    ensureProcess(runtime: AgentRuntime): AgentProcess {
        if (!runtime.process?.alive) {
            const agentId = runtime.definition.id;
            const process = new AgentProcess(agentId, message => this.onAgentMessage(runtime, process, message),
                reason => this.onAgentExit(runtime, process, reason), this.parts.timing.heartbeatTimeoutMs ?? 30_000);
            runtime.process = process;
        }
        return runtime.process;
    }

    protected onAgentMessage(runtime: AgentRuntime, process: AgentProcess, message: FromAgent): void {
        if (runtime.process !== process) {
            return;
        }
        const running = runtime.running;
        if (message.type === 'ready' || message.type === 'heartbeat') {
            return;
        }
        if (!running || running.task.id !== message.taskId) {
            return;
        }
        const agentId = runtime.definition.id;
        switch (message.type) {
            case 'started':
                runtime.machine.tryTransition('executing', `task ${message.taskId} started`, { taskId: message.taskId });
                break;
            case 'turn':
                running.step = message.step;
                this.parts.events.fire({ type: 'model-turn', agentId, taskId: message.taskId, step: message.step, text: message.text });
                break;
            case 'provider-call':
                this.parts.providerCalls.fire({
                    agentId, vendor: runtime.definition.vendor, taskId: message.taskId, model: message.model,
                    startedAt: message.startedAt, durationMs: message.durationMs, ...(message.error ? { error: message.error } : {}),
                });
                break;
            case 'usage': {
                const tokensUsed = this.parts.tokens.record({ agentId, taskId: message.taskId, provider: runtime.definition.vendor, model: message.model, usage: message.usage });
                this.parts.events.fire({ type: 'usage', agentId, taskId: message.taskId, model: message.model, usage: message.usage, tokensUsed });
                break;
            }
            case 'rate-limited':
                if (runtime.machine.state === 'executing') {
                    runtime.machine.transition('waiting', message.message, { taskId: message.taskId, waitingOn: { kind: 'rate-limit', until: message.until, message: message.message } });
                }
                break;
            case 'resumed':
                if (runtime.machine.state === 'waiting') {
                    runtime.machine.transition('executing', 'the rate limit wait is over', { taskId: message.taskId });
                }
                break;
            case 'tool':
                // The model went on past the turn that read the task's messages: they are acknowledged.
                this.parts.collaboration.acknowledge(agentId, message.taskId);
                running.step = message.step;
                void this.runTool(runtime, running, message.step, message.requestId, message.call, message.lastOfStep ?? false);
                break;
            case 'result':
                this.onResult(runtime, running, message);
                break;
        }
    }

    protected async runTool(runtime: AgentRuntime, running: RunningTask, step: number, requestId: number, call: ToolCall, lastOfStep: boolean): Promise<void> {
        const agentId = runtime.definition.id;
        const taskId = running.task.id;
        if (call.name === 'finish' && !this.parts.hooks.applies('Stop')) {
            // Nothing to check: the agent finishes (and reads no more messages in this task).
            runtime.process?.send({ type: 'tool-result', requestId, content: 'Finished.', isError: false, inbox: [] });
            return;
        }
        this.parts.events.fire({ type: 'tool-call', agentId, taskId, step, phase: 'started', call });
        const t = Date.now();
        const setWaiting = (waitingOn: WaitingOn | undefined): void => this.setWaiting(runtime, running, waitingOn);
        const outcome = await this.parts.traces.inTool(taskId, call, () => this.withHooks(runtime, running, call, {
            agent: runtime.definition, owner: runtime.owner, taskId, signal: running.controller.signal,
            setWaiting,
            ...this.parts.collaboration.toolsFor(runtime, running, setWaiting),
        }), result => result.isError ? firstLine(result.content, 200) : undefined);
        const durationMs = Date.now() - t;
        // Masked before anything sees it: a command's output (`cat` of a keys file, `env`) never reaches the model, the timeline or the UI with a key in it.
        const content = maskSecrets(outcome.content, workspaceSecretValues());
        this.parts.events.fire({ type: 'tool-call', agentId, taskId, step, phase: 'finished', call, result: { content: content.slice(0, 2000), isError: outcome.isError ?? false }, durationMs });
        if (runtime.running === running && !running.controller.signal.aborted && lastOfStep && runtime.pauseAfterStep !== undefined) {
            // The step is over: checkpoint here, before the next model call spends anything.
            const reason = runtime.pauseAfterStep;
            runtime.pauseAfterStep = undefined;
            this.interrupt(runtime, 'checkpoint', reason);
            return;
        }
        // The agent gets its tool results only once what its step committed (cost entries, delegated tasks) may be acknowledged.
        await this.parts.ledger.acknowledgeStep(`step ${step} of task #${taskId}`, [running.controller.signal, this.parts.shutdown]);
        if (runtime.running === running && !running.controller.signal.aborted) {
            // An accepted finish ends the task: the messages it has not read stay for the agent's next task.
            const finishing = call.name === 'finish' && !outcome.isError;
            runtime.process?.send({ type: 'tool-result', requestId, content, isError: outcome.isError ?? false, inbox: finishing ? [] : this.parts.collaboration.takeInbox(agentId, taskId) });
        }
    }

    /**
     * A tool call between the workspace's PreToolUse and PostToolUse hooks (a refusing PreToolUse hook
     * replaces the call with its report; PostToolUse reports follow the result), and a finish
     * checked by its Stop hooks (a failing one refuses the finish, so the agent goes on).
     */
    protected async withHooks(runtime: AgentRuntime, running: RunningTask, call: ToolCall, context: ToolContext): Promise<ToolOutcome> {
        const hookContext = { agent: runtime.definition, owner: runtime.owner, taskId: running.task.id, signal: running.controller.signal, toolName: call.name, toolInput: call.arguments };
        if (call.name === 'finish') {
            const stop = await this.parts.hooks.run('Stop', hookContext);
            return stop?.blocked
                ? { content: `${stop.report}\nThe task is not finished: fix what the hook reports, then call finish again.`, isError: true }
                : { content: stop ? `Finished.\n\n${stop.report}` : 'Finished.' };
        }
        const pre = await this.parts.hooks.run('PreToolUse', hookContext);
        if (pre?.blocked) {
            return { content: pre.report, isError: true };
        }
        const outcome = await this.parts.tools.execute(call, context);
        const post = await this.parts.hooks.run('PostToolUse', hookContext);
        return post ? { ...outcome, content: `${outcome.content}\n\n${post.report}` } : outcome;
    }

    protected setWaiting(runtime: AgentRuntime, running: RunningTask, waitingOn: WaitingOn | undefined): void {
        if (runtime.running !== running) {
            return;
        }
        if (waitingOn && runtime.machine.state === 'executing') {
            runtime.machine.transition('waiting', waitingOn.message, { taskId: running.task.id, waitingOn });
        } else if (!waitingOn && runtime.machine.state === 'waiting') {
            runtime.machine.transition('executing', 'done waiting', { taskId: running.task.id });
        }
    }

    /**
     * The orchestrator stops: every running task is checkpointed (re-queued, its attempt not
     * spent), every agent recorded stopped, and every process stopped. Resolves once they are.
     */
    async stopAll(reason: string): Promise<void> {
        const stops: Promise<void>[] = [];
        for (const runtime of this.parts.runtimes.all()) {
            clearTimeout(runtime.restartTimer);
            clearTimeout(runtime.idleTimer);
            const running = runtime.running;
            if (running) {
                clearTimeout(running.timer);
                clearTimeout(running.stopping?.killTimer);
                running.controller.abort(new Error(reason));
                runtime.running = undefined;
                this.parts.ledger.requeue(running.task.id, 'the backend stopped while it ran; it will run again', true);
            }
            runtime.machine.tryTransition('stopped', reason);
            if (running) {
                releaseTaskLocks(this.parts.locks, runtime.owner, running.task.id);
            }
            if (runtime.process) {
                stops.push(runtime.process.stop());
                runtime.process = undefined;
            }
        }
        await Promise.all(stops);
    }

    /** Asks the agent loop to stop (the signal reaches the model call and the tool in flight), and kills the process if it does not within the grace. */
    interrupt(runtime: AgentRuntime, kind: 'cancel' | 'checkpoint', reason: string): void {
        const running = runtime.running!;
        if (running.stopping) {
            return;
        }
        running.stopping = { kind, reason };
        running.controller.abort(new Error(reason));
        runtime.process?.send({ type: 'cancel', taskId: running.task.id, reason });
        running.stopping.killTimer = setTimeout(() => runtime.process?.kill(`did not stop within ${this.parts.timing.cancelGraceMs ?? 2000} ms of "${reason}"`), this.parts.timing.cancelGraceMs ?? 2000);
    }

    protected onTimeLimit(runtime: AgentRuntime, taskId: number): void {
        if (runtime.running?.task.id === taskId) {
            runtime.process?.kill(`hung: task ${taskId} passed its time limit of ${runtime.definition.limits.taskTimeoutMs} ms`);
        }
    }

    protected onResult(runtime: AgentRuntime, running: RunningTask, outcome: TaskOutcome): void {
        this.clearRunning(runtime, running);
        const task = running.task;
        if (running.stopping?.kind === 'checkpoint') {
            this.parts.ledger.requeue(task.id, running.stopping.reason, true);
            runtime.machine.tryTransition('paused', running.stopping.reason);
        } else if (running.stopping?.kind === 'cancel' || outcome.outcome === 'cancelled') {
            this.parts.ledger.end(task, 'cancelled', { error: running.stopping?.reason ?? ('error' in outcome ? outcome.error : 'cancelled'), steps: outcome.steps });
            runtime.machine.transition('idle', `task ${task.id} cancelled`);
        } else if (outcome.outcome === 'done') {
            runtime.consecutiveFailures = 0;
            runtime.lastError = undefined;
            this.parts.ledger.end(task, 'done', { summary: outcome.summary, steps: outcome.steps });
            runtime.machine.transition('idle', `task ${task.id} done`);
        } else {
            runtime.lastError = outcome.error;
            if (outcome.retryable && task.attempts < task.maxAttempts) {
                this.parts.ledger.requeue(task.id, outcome.error, false);
            } else {
                this.parts.ledger.end(task, 'failed', { error: outcome.error, steps: outcome.steps });
            }
            if (outcome.errorKind === 'auth') {
                // A refused key is fixed the way a missing one is: an admin sets another.
                runtime.authFailed = true;
                runtime.machine.transition('needs-key', outcome.error, { taskId: task.id });
            } else {
                runtime.machine.transition('idle', `task ${task.id} failed: ${outcome.error}`);
            }
        }
        // After the ledger has the task's end or its requeue: a message waiting may start a task only when nothing is queued.
        this.parts.collaboration.taskEnded(runtime.definition.id, task.id, outcome.outcome === 'done' && running.stopping === undefined);
        if (running.stopping?.kind !== 'checkpoint') {
            this.parts.queue.pump(runtime.definition.id);
        }
        this.stopWhenIdle(runtime);
    }

    /**
     * An `on-demand` agent that took no next task has its process stopped once it stays idle for
     * `onDemandIdleMs`; its next task forks a new one. A stop is a clean exit, not a crash: the
     * runtime lets go of the process first, so its exit is not counted as a restart.
     */
    protected stopWhenIdle(runtime: AgentRuntime): void {
        if (runtime.definition.process !== 'on-demand' || runtime.running) {
            return;
        }
        clearTimeout(runtime.idleTimer);
        runtime.idleTimer = setTimeout(() => {
            const process = runtime.process;
            if (!runtime.running && process && !this.parts.shutdown.aborted) {
                runtime.process = undefined;
                void process.stop();
            }
        }, this.parts.timing.onDemandIdleMs ?? 5 * 60_000);
        runtime.idleTimer.unref();
    }

    /** The run of a task is over: its timers, signal and locks go. */
    protected clearRunning(runtime: AgentRuntime, running: RunningTask): void {
        clearTimeout(running.timer);
        clearTimeout(running.stopping?.killTimer);
        if (!running.controller.signal.aborted) {
            running.controller.abort(new Error('the task ended'));
        }
        runtime.running = undefined;
        releaseTaskLocks(this.parts.locks, runtime.owner, running.task.id);
    }

    /** The process died (crash, SIGKILL, hang kill): retry or fail its task, restart it after a backoff. */
    protected onAgentExit(runtime: AgentRuntime, process: AgentProcess, reason: string): void {
        if (runtime.process !== process || this.parts.shutdown.aborted) {
            return;
        }
        runtime.process = undefined;
        const running = runtime.running;
        let taskId: number | undefined;
        if (running) {
            this.clearRunning(runtime, running);
            const task = running.task;
            taskId = task.id;
            if (running.stopping?.kind === 'cancel') {
                this.parts.ledger.end(task, 'cancelled', { error: running.stopping.reason });
            } else if (running.stopping?.kind === 'checkpoint') {
                this.parts.ledger.requeue(task.id, running.stopping.reason, true);
            } else if (task.attempts < task.maxAttempts) {
                this.parts.ledger.requeue(task.id, reason, false);
            } else {
                this.parts.ledger.end(task, 'failed', { error: `${reason} (attempt ${task.attempts} of ${task.maxAttempts})` });
            }
            this.parts.collaboration.taskEnded(runtime.definition.id, task.id, false);
        }
        const backoff = this.parts.timing.restartBackoff ?? { initialMs: 500, maxMs: 30_000 };
        const delayMs = Math.min(backoff.maxMs, backoff.initialMs * 2 ** runtime.consecutiveFailures);
        runtime.consecutiveFailures++;
        runtime.lastError = reason;
        this.parts.agentsRepo.recordRestart(runtime.definition.id, reason, taskId, delayMs);
        this.parts.events.fire({ type: 'restart', agentId: runtime.definition.id, reason, delayMs, taskId });
        if (running?.stopping?.kind === 'checkpoint') {
            runtime.machine.tryTransition('paused', running.stopping.reason);
        } else {
            runtime.machine.tryTransition('error', reason, { taskId });
        }
        runtime.restartTimer = setTimeout(() => {
            runtime.restartTimer = undefined;
            if (this.parts.shutdown.aborted) {
                return;
            }
            if (runtime.definition.process === 'always') {
                this.ensureProcess(runtime);
            }
            if (runtime.machine.state === 'error' && !runtime.configError) {
                runtime.machine.transition('idle', `restarted after ${delayMs} ms`);
            }
            this.parts.queue.pump(runtime.definition.id);
        }, delayMs);
    }
}
