import { maskSecrets } from '../policy/secrets';
import { workspaceSecretValues } from '../providers/provider-secrets';
import type { Emitter } from '../common/emitter';
import type { DatabaseName } from '../database/database-names';
import type { ToolCall } from '../providers/model-provider';
import { totalTokens } from '../providers/token-usage';
import { AgentProcess } from './agent-process-handle';
import type { FromAgent, TaskOutcome } from './agent-process/protocol';
import type { AgentRepository, TokenUsageRepository } from './agent-repository';
import type { AgentRuntime, RunningTask } from './agent-runtime';
import type { WaitingOn } from './agent-state';
import type { GuardedFileWriter } from './guarded-file-writer';
import type { MessageBus } from './message-bus';
import type { OrchestratorOptions } from './orchestrator-options';
import type { OrchestratorEvent, SubmitTaskOptions, TaskChange } from './orchestrator-types';
import type { ProviderFactory } from './provider-factory';
import type { TaskInfo, TaskRepository } from './task-repository';
import type { ToolExecutor, ToolOutcome } from './tool-executor';
import { workspaceContext } from './workspace-context';

/**
 * What a task's run needs of the orchestrator around it: the parts it shares (the orchestrator
 * owns them and their lifetime) and the orchestrator's own operations on queues and tasks.
 */
export interface TaskRunHost {
    readonly options: OrchestratorOptions;
    readonly runtimes: ReadonlyMap<string, AgentRuntime>;
    readonly events: Emitter<OrchestratorEvent>;
    readonly bus: MessageBus;
    readonly agentsRepo: AgentRepository;
    readonly tasksRepo: TaskRepository;
    readonly usageRepo: TokenUsageRepository;
    /** The agents' token totals so far, kept current as usage arrives (read through `tokensOf`). */
    readonly tokens: Map<string, number>;
    readonly writer: GuardedFileWriter;
    readonly tools: ToolExecutor;
    readonly providers: ProviderFactory;
    isStopping(): boolean;
    tokensOf(agentId: string): number;
    emitTask(change: TaskChange, task: TaskInfo): void;
    endTask(task: TaskInfo, status: 'done' | 'failed' | 'cancelled', result: { summary?: string; error?: string; steps?: number }): TaskInfo;
    enqueue(agentId: string, options: SubmitTaskOptions & { parentTaskId?: number; fromAgentId?: string }): TaskInfo;
    waitForTask(taskId: number, signal?: AbortSignal): Promise<TaskInfo>;
    cancelTask(taskId: number, reason?: string): TaskInfo;
    sendMessage(from: string, to: string, text: string): void;
    pump(agentId: string): void;
    acknowledge(what: string, ...databases: DatabaseName[]): Promise<void>;
}

/**
 * One task's run on its agent, from the hand-over to its agent's process until it leaves
 * `running`: what the process reports (turns, usage, rate limits, tool calls, the result), the
 * tool calls run here, delegation, stops (cancel, checkpoint, time limit), and the task's end,
 * by its result or by the death of the process (which is then restarted with backoff).
 *
 * Invariant: what arrives for a run that is no longer `runtime.running` (it ended, or its process
 * was replaced) is dropped, so a late message or tool result never touches the agent's next task.
 */
export class TaskRunCycle {
    constructor(protected readonly host: TaskRunHost) { }

    /** Hands a task (already `running` in tasks.db) to the agent's process. */
    dispatch(runtime: AgentRuntime, started: TaskInfo): void {
        const agentId = runtime.definition.id;
        const definition = runtime.definition;
        const controller = new AbortController();
        const timer = setTimeout(() => this.onTimeLimit(runtime, started.id), definition.limits.taskTimeoutMs);
        runtime.running = { task: started, controller, step: 0, timer };
        runtime.machine.transition('loading', `task ${started.id} (attempt ${started.attempts} of ${started.maxAttempts})`, { taskId: started.id });
        this.host.emitTask('started', started);
        const process = this.ensureProcess(runtime);
        process.send({
            type: 'run',
            task: { id: started.id, prompt: started.prompt, attempt: started.attempts },
            definition,
            context: workspaceContext({ agent: definition, locks: this.host.options.locks, writer: this.host.writer, paths: this.host.options.locks.paths, others: this.listOthers(agentId) }),
            inbox: this.host.bus.drainInbox(agentId).map(m => `from ${m.from}: ${m.text}`),
            provider: this.host.providers.spec(definition, started),
        });
    }

    ensureProcess(runtime: AgentRuntime): AgentProcess {
        if (!runtime.process?.alive) {
            const agentId = runtime.definition.id;
            const process = new AgentProcess(agentId, message => this.onAgentMessage(runtime, process, message),
                reason => this.onAgentExit(runtime, process, reason), this.host.options.heartbeatTimeoutMs ?? 30_000);
            runtime.process = process;
        }
        return runtime.process;
    }

    protected listOthers(agentId: string): { name: string; state: string; task?: string }[] {
        return [...this.host.runtimes.values()].filter(r => r.definition.id !== agentId).map(r => ({
            name: r.definition.name, state: r.machine.state, task: r.running?.task.prompt.slice(0, 80),
        }));
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
                this.host.events.fire({ type: 'model-turn', agentId, taskId: message.taskId, step: message.step, text: message.text });
                break;
            case 'usage': {
                this.host.usageRepo.record({ agentId, taskId: message.taskId, provider: runtime.definition.vendor, model: message.model, usage: message.usage });
                const tokensUsed = this.host.tokensOf(agentId) + totalTokens(message.usage);
                this.host.tokens.set(agentId, tokensUsed);
                this.host.events.fire({ type: 'usage', agentId, taskId: message.taskId, model: message.model, usage: message.usage, tokensUsed });
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
        this.host.events.fire({ type: 'tool-call', agentId, taskId, step, phase: 'started', call });
        const t = Date.now();
        const outcome = await this.host.tools.execute(call, {
            agent: runtime.definition, owner: runtime.owner, taskId, signal: running.controller.signal,
            setWaiting: waitingOn => this.setWaiting(runtime, running, waitingOn),
            sendMessage: (to, text) => {
                if (to.agentId) {
                    this.host.sendMessage(agentId, to.agentId, text);
                    return `Sent to ${to.agentId}.`;
                }
                if (to.topic) {
                    this.host.bus.publish(to.topic, agentId, text);
                    return `Published on ${to.topic}.`;
                }
                throw new Error('send_message needs "to" (an agent id) or "topic".');
            },
            delegate: (target, prompt, priority) => this.delegate(runtime, running, target, prompt, priority),
        });
        const durationMs = Date.now() - t;
        // Masked before anything sees it: a command's output (`cat` of a keys file, `env`) never reaches the model, the timeline or the UI with a key in it.
        const content = maskSecrets(outcome.content, workspaceSecretValues());
        this.host.events.fire({ type: 'tool-call', agentId, taskId, step, phase: 'finished', call, result: { content: content.slice(0, 2000), isError: outcome.isError ?? false }, durationMs });
        if (runtime.running === running && !running.controller.signal.aborted && lastOfStep && runtime.pauseAfterStep !== undefined) {
            // The step is over: checkpoint here, before the next model call spends anything.
            const reason = runtime.pauseAfterStep;
            runtime.pauseAfterStep = undefined;
            this.interrupt(runtime, 'checkpoint', reason);
            return;
        }
        await this.acknowledgeStep(running, `step ${step} of task #${taskId}`);
        if (runtime.running === running && !running.controller.signal.aborted) {
            runtime.process?.send({ type: 'tool-result', requestId, content, isError: outcome.isError ?? false, inbox: this.host.bus.drainInbox(agentId).map(m => `from ${m.from}: ${m.text}`) });
        }
    }

    /**
     * The agent gets its tool results only once what its step committed (cost entries, delegated
     * tasks) may be acknowledged. While the replica cannot take it (ack mode, store down), the
     * agent waits rather than runs ahead of what would survive a lost disk; a stop ends the wait.
     */
    protected async acknowledgeStep(running: RunningTask, what: string): Promise<void> {
        while (!running.controller.signal.aborted && !this.host.isStopping()) {
            try {
                await this.host.acknowledge(what, 'tasks', 'metrics');
                return;
            } catch {
                await new Promise(resolve => setTimeout(resolve, 2000).unref());
            }
        }
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

    /** `delegate`: a sub-task on another agent, awaited; refused when it would wait on itself (directly or through the chain). */
    protected async delegate(runtime: AgentRuntime, running: RunningTask, target: string, prompt: string, priority: number): Promise<ToolOutcome> {
        const self = runtime.definition.id;
        const other = this.host.runtimes.get(target);
        if (!other) {
            return { content: `There is no agent "${target}"; agents: ${[...this.host.runtimes.keys()].join(', ')}.`, isError: true };
        }
        const chain = new Set<string>([self]);
        for (let t: TaskInfo | undefined = running.task; t?.parentTaskId !== undefined;) {
            t = this.host.tasksRepo.get(t.parentTaskId);
            if (t) {
                chain.add(t.agentId);
            }
        }
        if (chain.has(target)) {
            return { content: `Delegating to ${other.definition.name} would make it wait for itself (delegation chain: ${[...chain].join(' -> ')}); do this part yourself.`, isError: true };
        }
        const sub = this.host.enqueue(target, { prompt, priority, parentTaskId: running.task.id, fromAgentId: self });
        this.setWaiting(runtime, running, { kind: 'reply', taskId: sub.id, agentId: target, message: `waiting for ${other.definition.name} to finish task ${sub.id}` });
        try {
            const done = await this.host.waitForTask(sub.id, running.controller.signal);
            return done.status === 'done'
                ? { content: `${other.definition.name} finished task ${sub.id}: ${done.result?.summary ?? ''}` }
                : { content: `${other.definition.name}'s task ${sub.id} ${done.status}: ${done.result?.error ?? done.lastError ?? ''}`, isError: true };
        } catch (error) {
            // The delegating task was cancelled or checkpointed: its sub-task is no longer wanted.
            const current = this.host.tasksRepo.get(sub.id);
            if (current && (current.status === 'queued' || current.status === 'running')) {
                this.host.cancelTask(sub.id, `the delegating task ${running.task.id} stopped`);
            }
            return { content: (error as Error).message, isError: true };
        } finally {
            this.setWaiting(runtime, running, undefined);
        }
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
        running.stopping.killTimer = setTimeout(() => runtime.process?.kill(`did not stop within ${this.host.options.cancelGraceMs ?? 2000} ms of "${reason}"`), this.host.options.cancelGraceMs ?? 2000);
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
            this.host.emitTask('retrying', this.host.tasksRepo.requeue(task.id, running.stopping.reason, true));
            runtime.machine.tryTransition('paused', running.stopping.reason);
            return;
        }
        if (running.stopping?.kind === 'cancel' || outcome.outcome === 'cancelled') {
            this.host.endTask(task, 'cancelled', { error: running.stopping?.reason ?? ('error' in outcome ? outcome.error : 'cancelled'), steps: outcome.steps });
            runtime.machine.transition('idle', `task ${task.id} cancelled`);
        } else if (outcome.outcome === 'done') {
            runtime.consecutiveFailures = 0;
            runtime.lastError = undefined;
            this.host.endTask(task, 'done', { summary: outcome.summary, steps: outcome.steps });
            runtime.machine.transition('idle', `task ${task.id} done`);
        } else {
            runtime.lastError = outcome.error;
            if (outcome.retryable && task.attempts < task.maxAttempts) {
                this.host.emitTask('retrying', this.host.tasksRepo.requeue(task.id, outcome.error, false));
            } else {
                this.host.endTask(task, 'failed', { error: outcome.error, steps: outcome.steps });
            }
            if (outcome.errorKind === 'auth') {
                runtime.authFailed = true;
                runtime.machine.transition('error', outcome.error, { taskId: task.id });
            } else {
                runtime.machine.transition('idle', `task ${task.id} failed: ${outcome.error}`);
            }
        }
        this.host.pump(runtime.definition.id);
    }

    protected clearRunning(runtime: AgentRuntime, running: RunningTask): void {
        clearTimeout(running.timer);
        clearTimeout(running.stopping?.killTimer);
        if (!running.controller.signal.aborted) {
            running.controller.abort(new Error('the task ended'));
        }
        runtime.running = undefined;
        this.releaseTaskLocks(runtime, running.task.id);
    }

    /**
     * Locks the agent took for a task (tagged with its id) end with it. Locks of the same owner
     * taken otherwise (through the locks API, by a human on the agent's behalf) are not touched.
     */
    releaseTaskLocks(runtime: AgentRuntime, taskId: number): void {
        for (const lock of this.host.options.locks.list()) {
            if (lock.owner.id === runtime.owner.id && lock.taskId === String(taskId)) {
                try {
                    this.host.options.locks.release(lock.id, runtime.owner);
                } catch {
                    // Revoked meanwhile.
                }
            }
        }
    }

    /** The process died (crash, SIGKILL, hang kill): retry or fail its task, restart it after a backoff. */
    protected onAgentExit(runtime: AgentRuntime, process: AgentProcess, reason: string): void {
        if (runtime.process !== process || this.host.isStopping()) {
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
                this.host.endTask(task, 'cancelled', { error: running.stopping.reason });
            } else if (running.stopping?.kind === 'checkpoint') {
                this.host.emitTask('retrying', this.host.tasksRepo.requeue(task.id, running.stopping.reason, true));
            } else if (task.attempts < task.maxAttempts) {
                this.host.emitTask('retrying', this.host.tasksRepo.requeue(task.id, reason, false));
            } else {
                this.host.endTask(task, 'failed', { error: `${reason} (attempt ${task.attempts} of ${task.maxAttempts})` });
            }
        }
        const backoff = this.host.options.restartBackoff ?? { initialMs: 500, maxMs: 30_000 };
        const delayMs = Math.min(backoff.maxMs, backoff.initialMs * 2 ** runtime.consecutiveFailures);
        runtime.consecutiveFailures++;
        runtime.lastError = reason;
        this.host.agentsRepo.recordRestart(runtime.definition.id, reason, taskId, delayMs);
        this.host.events.fire({ type: 'restart', agentId: runtime.definition.id, reason, delayMs, taskId });
        if (running?.stopping?.kind === 'checkpoint') {
            runtime.machine.tryTransition('paused', running.stopping.reason);
        } else {
            runtime.machine.tryTransition('error', reason, { taskId });
        }
        runtime.restartTimer = setTimeout(() => {
            runtime.restartTimer = undefined;
            if (this.host.isStopping()) {
                return;
            }
            this.ensureProcess(runtime);
            if (runtime.machine.state === 'error' && !runtime.configError) {
                runtime.machine.transition('idle', `restarted after ${delayMs} ms`);
            }
            this.host.pump(runtime.definition.id);
        }, delayMs);
    }
}
