import * as path from 'node:path';
import { Emitter, Event } from '../common/emitter';
import type { SqliteDatabase } from '../database/sqlite-database';
import type { ComponentHealth } from '../health/workspace-health';
import type { LockManager } from '../locks/lock-manager';
import type { LockOwner } from '../locks/lock-types';
import type { ToolCall } from '../providers/model-provider';
import { totalTokens } from '../providers/token-usage';
import type { AgentDefinition } from './agent-definition';
import { AgentProcess } from './agent-process-handle';
import type { FromAgent, TaskOutcome } from './agent-process/protocol';
import { AgentRepository, TokenUsageRepository } from './agent-repository';
import { AgentStateMachine, AgentTransition, WaitingOn } from './agent-state';
import { DefinitionStore } from './definition-store';
import { GuardedFileWriter } from './guarded-file-writer';
import { MessageBus } from './message-bus';
import type { AgentMetrics, AgentSnapshot, FileEditEvent, OrchestratorEvent, SubmitTaskOptions, TaskChange } from './orchestrator-types';
import { ProviderFactory, realProviderFactory } from './provider-factory';
import { TaskInfo, TaskRepository } from './task-repository';
import { ToolExecutor, ToolOutcome } from './tool-executor';
import { workspaceContext } from './workspace-context';

export interface OrchestratorOptions {
    readonly workspaceDir: string;
    readonly locks: LockManager;
    readonly databases: { readonly agents: SqliteDatabase; readonly tasks: SqliteDatabase; readonly metrics: SqliteDatabase };
    /** Default: the vendors' real providers, keys from the environment or STUDIO_SECRETS_FILE. */
    readonly providerFactory?: ProviderFactory;
    /** Restart delay after a crash or hang: doubles per consecutive failure, from `initialMs` up to `maxMs`. */
    readonly restartBackoff?: { readonly initialMs: number; readonly maxMs: number };
    /** Silence after which an agent process counts as hung and is killed. Default 30 s. */
    readonly heartbeatTimeoutMs?: number;
    /** After a cancel, how long the agent process gets to stop on its own before it is killed. Default 2 s. */
    readonly cancelGraceMs?: number;
    /** Fork every agent's process at start (so a first task starts at once). Default true. */
    readonly prefork?: boolean;
    /**
     * A hold another part keeps on an agent across restarts (a used-up budget): the agent comes up
     * paused with this reason, before it could take a task, rather than running a step first.
     */
    readonly heldAtStart?: (agentId: string) => string | undefined;
}

class UnknownAgentError extends Error {
    constructor(agentId: string, known: readonly string[]) {
        super(`There is no agent "${agentId}"; known agents: ${known.join(', ') || 'none'}. Add .coditect/agents/${agentId}.json to create it.`);
        this.name = 'UnknownAgentError';
    }
}

interface RunningTask {
    task: TaskInfo;
    controller: AbortController;
    step: number;
    timer: NodeJS.Timeout;
    /** Why we stop it: a cancel ends it `cancelled`, a checkpoint (pause, backend stop) re-queues it without spending the attempt. */
    stopping?: { kind: 'cancel' | 'checkpoint'; reason: string; killTimer?: NodeJS.Timeout };
}

interface AgentRuntime {
    definition: AgentDefinition;
    readonly machine: AgentStateMachine;
    readonly owner: LockOwner;
    process?: AgentProcess;
    running?: RunningTask;
    restartTimer?: NodeJS.Timeout;
    consecutiveFailures: number;
    lastError?: string;
    /** Set when the provider check failed (no key): cleared when it passes. */
    configError?: string;
    /** The vendor refused the key mid-task: no more tasks until the definition changes or the user resumes the agent. */
    authFailed?: boolean;
    /** A pause asked for "after the current step" (a budget's): its reason, until the step ends or the agent is resumed. */
    pauseAfterStep?: string;
}

const ownerOf = (definition: AgentDefinition): LockOwner => ({ id: `agent:${definition.id}`, kind: 'agent', displayName: definition.name });

/**
 * Runs the workspace's agents: one supervised child process each, a persisted priority queue
 * each, the lock-guarded tools, the message bus, and one event stream for the UI.
 *
 * Invariants:
 * - An agent runs one task at a time; a task row is `running` exactly while its agent works on
 *   it (a backend that dies leaves `running` rows, which the next start retries or fails).
 * - Every state change goes through the agent's AgentStateMachine (validated, logged to agents.db)
 *   and is announced as an `agent-state` event after it is recorded.
 * - Tool calls execute here, in the backend, so the lock manager stays the single authority;
 *   the agent process only thinks (model calls) and asks.
 * - A crashed or hung agent process is killed and restarted with exponential backoff; the task
 *   it ran is retried while it has attempts left, else failed with the reason. Other agents
 *   are not affected.
 */
export class Orchestrator {
    protected readonly events = new Emitter<OrchestratorEvent>();
    readonly onEvent: Event<OrchestratorEvent> = this.events.event;
    protected readonly fileEdits = new Emitter<FileEditEvent>();
    /** Every agent write of a workspace file, with the contents before and after it. */
    readonly onFileEdit: Event<FileEditEvent> = this.fileEdits.event;

    readonly bus = new MessageBus();
    readonly definitions: DefinitionStore;
    protected readonly agentsRepo: AgentRepository;
    protected readonly tasksRepo: TaskRepository;
    protected readonly usageRepo: TokenUsageRepository;
    protected readonly writer: GuardedFileWriter;
    protected readonly tools: ToolExecutor;
    protected readonly providers: ProviderFactory;
    protected readonly runtimes = new Map<string, AgentRuntime>();
    protected readonly taskWaiters = new Map<number, ((task: TaskInfo) => void)[]>();
    protected readonly tokens = new Map<string, number>();
    protected stopping = false;
    protected started = false;

    constructor(protected readonly options: OrchestratorOptions) {
        this.definitions = new DefinitionStore(options.workspaceDir);
        this.agentsRepo = new AgentRepository(options.databases.agents);
        this.tasksRepo = new TaskRepository(options.databases.tasks);
        this.usageRepo = new TokenUsageRepository(options.databases.metrics);
        this.writer = new GuardedFileWriter(options.locks, 50, write => this.fileEdits.fire({
            agentId: write.owner.id.replace(/^agent:/, ''), taskId: write.taskId, path: write.path, before: write.before, after: write.after, by: write.owner.displayName, at: Date.now(),
        }));
        this.tools = new ToolExecutor(options.locks.paths, this.writer);
        this.providers = options.providerFactory ?? realProviderFactory();
        this.bus.subscribe('*', message => this.events.fire({ type: 'message', message }));
    }

    /** Loads the definitions, recovers tasks a dead backend left running, and starts the queues. */
    start(): void {
        if (this.started) {
            return;
        }
        this.started = true;
        this.recoverTasks();
        this.definitions.onChange(change => {
            this.events.fire({ type: 'definition', change });
            if (change.kind !== 'invalid') {
                this.applyDefinition(change.definition);
            }
        });
        this.definitions.start();
        for (const definition of this.definitions.list()) {
            this.applyDefinition(definition);
        }
    }

    /** Checkpoints running tasks (re-queued, the attempt not spent), stops every agent process and records every agent as stopped. */
    async stop(): Promise<void> {
        if (this.stopping) {
            return;
        }
        this.stopping = true;
        this.definitions.dispose();
        const stops: Promise<void>[] = [];
        for (const runtime of this.runtimes.values()) {
            clearTimeout(runtime.restartTimer);
            const running = runtime.running;
            if (running) {
                clearTimeout(running.timer);
                clearTimeout(running.stopping?.killTimer);
                running.controller.abort(new Error('the backend is stopping'));
                runtime.running = undefined;
                this.emitTask('retrying', this.tasksRepo.requeue(running.task.id, 'the backend stopped while it ran; it will run again', true));
            }
            runtime.machine.tryTransition('stopped', 'the backend is stopping');
            if (running) {
                this.releaseTaskLocks(runtime, running.task.id);
            }
            if (runtime.process) {
                stops.push(runtime.process.stop());
                runtime.process = undefined;
            }
        }
        await Promise.all(stops);
        this.events.dispose();
        this.fileEdits.dispose();
        this.bus.dispose();
    }

    // ---- the API the UI layer uses ----

    listAgents(): AgentSnapshot[] {
        return [...this.runtimes.keys()].sort().map(id => this.getAgent(id)!);
    }

    getAgent(agentId: string): AgentSnapshot | undefined {
        const runtime = this.runtimes.get(agentId);
        if (!runtime) {
            return undefined;
        }
        const d = runtime.definition;
        const running = runtime.running;
        const invalid = this.definitions.invalid().find(i => i.agentId === agentId);
        return {
            id: d.id, name: d.name, vendor: d.vendor, model: d.model,
            state: runtime.machine.state, stateSince: runtime.machine.stateSince, waitingOn: runtime.machine.waitingOn,
            currentTask: running && { id: running.task.id, prompt: running.task.prompt, title: running.task.title, step: running.step, attempt: running.task.attempts, startedAt: running.task.startedAt ?? 0 },
            locksHeld: this.options.locks.list().filter(l => l.owner.id === runtime.owner.id),
            queued: this.tasksRepo.queuedCount(agentId),
            tokensUsed: this.tokensOf(agentId),
            lastError: runtime.configError ?? runtime.lastError,
            definitionError: invalid?.error,
            definitionFile: path.posix.join('.coditect/agents', `${agentId}.json`),
            pid: runtime.process?.pid,
            restarts: this.agentsRepo.restarts(agentId).count,
        };
    }

    /** The agent's tasks: queued in run order, the running one, then up to `finishedLimit` finished ones, newest first. */
    listTasks(agentId: string, finishedLimit = 50): TaskInfo[] {
        this.runtime(agentId);
        return this.tasksRepo.listForAgent(agentId, finishedLimit);
    }

    getTask(taskId: number): TaskInfo | undefined {
        return this.tasksRepo.get(taskId);
    }

    submitTask(agentId: string, options: SubmitTaskOptions): TaskInfo {
        return this.enqueue(agentId, options);
    }

    /** A queued task is cancelled at once; a running one is aborted (its agent loop and tool call get the signal) and killed if it does not stop within the grace. */
    cancelTask(taskId: number, reason = 'cancelled by the user'): TaskInfo {
        const task = this.requireTask(taskId);
        if (task.status === 'queued') {
            return this.endTask(task, 'cancelled', { error: reason });
        }
        if (task.status !== 'running') {
            return task;
        }
        const runtime = this.runtimes.get(task.agentId);
        if (runtime?.running?.task.id === taskId) {
            this.interrupt(runtime, 'cancel', reason);
        }
        return this.requireTask(taskId);
    }

    /** Changes a queued task's priority (it keeps its place among tasks of the new priority by arrival). */
    reprioritise(taskId: number, priority: number): TaskInfo {
        const task = this.requireTask(taskId);
        if (task.status !== 'queued') {
            throw new Error(`Task ${taskId} is ${task.status}; only a queued task can be re-prioritised.`);
        }
        const updated = this.tasksRepo.setPriority(taskId, Math.trunc(priority));
        this.emitTask('reprioritised', updated);
        return updated;
    }

    /**
     * Pauses an agent; a running task is checkpointed (re-queued, its attempt not spent). With
     * `afterStep` the running task first finishes the step under way (its model call answered and
     * that turn's tool calls done), so nothing already paid for is thrown away: a budget's pause.
     */
    pauseAgent(agentId: string, reason = 'paused by the user', options: { readonly afterStep?: boolean } = {}): void {
        const runtime = this.runtime(agentId);
        if (runtime.running && options.afterStep) {
            runtime.pauseAfterStep = reason;
            return;
        }
        if (runtime.running) {
            this.interrupt(runtime, 'checkpoint', reason);
            return;
        }
        runtime.machine.tryTransition('paused', reason);
    }

    /** Resumes a paused agent (cancelling a pause still waiting for its step to end), or lets an agent in error (a refused key, say) try its queue again. */
    resumeAgent(agentId: string, reason = 'resumed by the user'): void {
        const runtime = this.runtime(agentId);
        runtime.authFailed = false;
        runtime.pauseAfterStep = undefined;
        if (runtime.machine.state === 'paused' || (runtime.machine.state === 'error' && !runtime.restartTimer)) {
            runtime.machine.transition('idle', reason);
            this.pump(agentId);
        }
    }

    /** A direct message to an agent (from the user or another agent): read on its next turn. */
    sendMessage(from: string, to: string, text: string): void {
        this.runtime(to);
        this.bus.send(from, to, text);
    }

    /** Resolves when the task is done, failed or cancelled. */
    waitForTask(taskId: number, signal?: AbortSignal): Promise<TaskInfo> {
        const task = this.requireTask(taskId);
        if (task.status === 'done' || task.status === 'failed' || task.status === 'cancelled') {
            return Promise.resolve(task);
        }
        return new Promise((resolve, reject) => {
            const list = this.taskWaiters.get(taskId) ?? [];
            const waiter = (t: TaskInfo) => resolve(t);
            list.push(waiter);
            this.taskWaiters.set(taskId, list);
            signal?.addEventListener('abort', () => {
                this.taskWaiters.set(taskId, (this.taskWaiters.get(taskId) ?? []).filter(w => w !== waiter));
                reject(signal.reason);
            }, { once: true });
        });
    }

    transitions(agentId: string, limit = 100): AgentTransition[] {
        return this.agentsRepo.transitions(agentId, limit);
    }

    metrics(agentId: string): AgentMetrics {
        this.runtime(agentId);
        const stats = this.tasksRepo.stats(agentId);
        return {
            agentId, tasksDone: stats.done, tasksFailed: stats.failed, tasksCancelled: stats.cancelled, queued: stats.queued,
            avgQueueWaitMs: stats.avgQueueWaitMs, avgTaskLatencyMs: stats.avgLatencyMs,
            restarts: this.agentsRepo.restarts(agentId).count, errors: this.agentsRepo.errorCount(agentId), tokensUsed: this.tokensOf(agentId),
        };
    }

    health(): ComponentHealth {
        const agents = this.listAgents();
        const running = agents.filter(a => a.state === 'executing' || a.state === 'waiting' || a.state === 'loading').length;
        const errored = agents.filter(a => a.state === 'error');
        const unconfigured = [...this.runtimes.values()].filter(r => r.configError).map(r => r.definition.id);
        const invalid = this.definitions.invalid();
        const problems = [
            ...errored.map(a => `${a.name}: ${a.lastError ?? 'error'}`),
            ...invalid.map(i => `invalid definition ${i.error}`),
        ];
        // An agent without an API key is a setup step, not a fault: it is named in the detail but does not degrade the workspace.
        const faults = errored.length - unconfigured.length + invalid.length;
        return {
            id: 'orchestrator', label: 'Agents',
            status: faults > 0 ? 'degraded' : 'ok',
            detail: `${agents.length} agents, ${running} running, ${errored.length} in error, ${invalid.length} invalid definitions.${problems.length ? ` ${problems.join('; ')}` : ''}`,
            metrics: { agents: agents.length, running, errored: errored.length, unconfigured: unconfigured.length, invalidDefinitions: invalid.length },
        };
    }

    // ---- internals ----

    protected runtime(agentId: string): AgentRuntime {
        const runtime = this.runtimes.get(agentId);
        if (!runtime) {
            throw new UnknownAgentError(agentId, [...this.runtimes.keys()]);
        }
        return runtime;
    }

    protected requireTask(taskId: number): TaskInfo {
        const task = this.tasksRepo.get(taskId);
        if (!task) {
            throw new Error(`There is no task ${taskId}.`);
        }
        return task;
    }

    protected tokensOf(agentId: string): number {
        let n = this.tokens.get(agentId);
        if (n === undefined) {
            n = this.usageRepo.totalForAgent(agentId);
            this.tokens.set(agentId, n);
        }
        return n;
    }

    protected enqueue(agentId: string, options: SubmitTaskOptions & { parentTaskId?: number; fromAgentId?: string }): TaskInfo {
        if (this.stopping) {
            throw new Error('The orchestrator is stopping; submit the task after the restart.');
        }
        const runtime = this.runtime(agentId);
        if (typeof options.prompt !== 'string' || options.prompt.trim() === '') {
            throw new Error('A task needs a prompt.');
        }
        this.definitions.refresh();
        // An idle agent with an empty queue takes the task at once: inserted running, one commit.
        const startNow = this.canDispatch(runtime) && this.tasksRepo.queuedCount(agentId) === 0 && this.checkProvider(runtime);
        const task = this.tasksRepo.insert({
            agentId, prompt: options.prompt, title: options.title?.trim() || undefined, priority: Math.trunc(options.priority ?? 0),
            maxAttempts: Math.max(1, Math.trunc(options.maxAttempts ?? runtime.definition.limits.maxAttempts)),
            parentTaskId: options.parentTaskId, fromAgentId: options.fromAgentId,
        }, startNow);
        this.emitTask('queued', task);
        if (startNow) {
            this.dispatch(runtime, task);
        } else {
            this.pump(agentId);
        }
        return task;
    }

    /** Tasks a dead backend left `running`: that attempt is spent; retried while attempts remain, else failed. */
    protected recoverTasks(): void {
        for (const task of this.tasksRepo.running()) {
            const reason = 'the backend stopped unexpectedly while the task ran';
            if (task.attempts < task.maxAttempts) {
                this.tasksRepo.requeue(task.id, reason, false);
            } else {
                this.tasksRepo.finish(task.id, 'failed', { error: `${reason} (attempt ${task.attempts} of ${task.maxAttempts})` });
            }
        }
    }

    protected applyDefinition(definition: AgentDefinition): void {
        if (this.stopping) {
            return;
        }
        let runtime = this.runtimes.get(definition.id);
        if (runtime) {
            // Takes effect from the next task: the running one keeps the definition it started with.
            runtime.definition = definition;
            runtime.authFailed = false;
            this.agentsRepo.upsert(definition, runtime.machine.state);
            this.pump(definition.id);
            return;
        }
        const last = this.agentsRepo.lastState(definition.id);
        this.agentsRepo.upsert(definition, last ?? 'stopped');
        const machine = new AgentStateMachine(definition.id, last ?? 'stopped', t => this.recordTransition(t));
        runtime = { definition, machine, owner: ownerOf(definition), consecutiveFailures: 0 };
        this.runtimes.set(definition.id, runtime);
        if (last !== undefined && last !== 'stopped') {
            machine.transition('stopped', `the backend was not stopped cleanly (the agent was ${last})`);
        }
        machine.transition('idle', 'the orchestrator started');
        const held = this.options.heldAtStart?.(definition.id);
        if (held) {
            machine.transition('paused', held);
        }
        if (this.checkProvider(runtime) && (this.options.prefork ?? true)) {
            this.ensureProcess(runtime);
        }
        this.pump(definition.id);
    }

    protected recordTransition(transition: AgentTransition): void {
        this.agentsRepo.recordTransition(transition);
        this.events.fire({ type: 'agent-state', ...transition });
    }

    protected emitTask(change: TaskChange, task: TaskInfo): void {
        this.events.fire({ type: 'task', change, task });
    }

    protected ensureProcess(runtime: AgentRuntime): AgentProcess {
        if (!runtime.process?.alive) {
            const agentId = runtime.definition.id;
            const process = new AgentProcess(agentId, message => this.onAgentMessage(runtime, process, message),
                reason => this.onAgentExit(runtime, process, reason), this.options.heartbeatTimeoutMs ?? 30_000);
            runtime.process = process;
        }
        return runtime.process;
    }

    /** Starts the agent's next task when it is free. Called on submit, at every task end, after restarts and definition reloads. */
    protected pump(agentId: string): void {
        const runtime = this.runtimes.get(agentId);
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
        this.definitions.refresh();
        if (!this.canDispatch(runtime)) {
            return;
        }
        const task = this.tasksRepo.nextQueued(agentId);
        if (!task || !this.checkProvider(runtime)) {
            return;
        }
        this.dispatch(runtime, this.tasksRepo.start(task.id));
    }

    /** Free for its next task: not running one, not restarting, not paused or stopped, not held after a refused key. */
    protected canDispatch(runtime: AgentRuntime): boolean {
        const state = runtime.machine.state;
        return !this.stopping && !runtime.running && !runtime.restartTimer && !runtime.authFailed && (state === 'idle' || state === 'error');
    }

    /** Hands a task (already `running` in tasks.db) to the agent's process. */
    protected dispatch(runtime: AgentRuntime, started: TaskInfo): void {
        const agentId = runtime.definition.id;
        const definition = runtime.definition;
        const controller = new AbortController();
        const timer = setTimeout(() => this.onTimeLimit(runtime, started.id), definition.limits.taskTimeoutMs);
        runtime.running = { task: started, controller, step: 0, timer };
        runtime.machine.transition('loading', `task ${started.id} (attempt ${started.attempts} of ${started.maxAttempts})`, { taskId: started.id });
        this.emitTask('started', started);
        const process = this.ensureProcess(runtime);
        process.send({
            type: 'run',
            task: { id: started.id, prompt: started.prompt, attempt: started.attempts },
            definition,
            context: workspaceContext({ agent: definition, locks: this.options.locks, writer: this.writer, paths: this.options.locks.paths, others: this.listOthers(agentId) }),
            inbox: this.bus.drainInbox(agentId).map(m => `from ${m.from}: ${m.text}`),
            provider: this.providers.spec(definition, started),
        });
    }

    /** False (and the agent in `error`, saying which key to set) when its provider cannot be had now. */
    protected checkProvider(runtime: AgentRuntime): boolean {
        try {
            this.providers.check(runtime.definition);
            runtime.configError = undefined;
            return true;
        } catch (error) {
            const message = (error as Error).message;
            if (runtime.configError !== message || runtime.machine.state !== 'error') {
                runtime.configError = message;
                runtime.machine.tryTransition('error', message);
            }
            return false;
        }
    }

    protected listOthers(agentId: string): { name: string; state: string; task?: string }[] {
        return [...this.runtimes.values()].filter(r => r.definition.id !== agentId).map(r => ({
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
                this.events.fire({ type: 'model-turn', agentId, taskId: message.taskId, step: message.step, text: message.text });
                break;
            case 'usage': {
                this.usageRepo.record({ agentId, taskId: message.taskId, provider: runtime.definition.vendor, model: message.model, usage: message.usage });
                const tokensUsed = this.tokensOf(agentId) + totalTokens(message.usage);
                this.tokens.set(agentId, tokensUsed);
                this.events.fire({ type: 'usage', agentId, taskId: message.taskId, model: message.model, usage: message.usage, tokensUsed });
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
        this.events.fire({ type: 'tool-call', agentId, taskId, step, phase: 'started', call });
        const t = Date.now();
        const outcome = await this.tools.execute(call, {
            agent: runtime.definition, owner: runtime.owner, taskId, signal: running.controller.signal,
            setWaiting: waitingOn => this.setWaiting(runtime, running, waitingOn),
            sendMessage: (to, text) => {
                if (to.agentId) {
                    this.sendMessage(agentId, to.agentId, text);
                    return `Sent to ${to.agentId}.`;
                }
                if (to.topic) {
                    this.bus.publish(to.topic, agentId, text);
                    return `Published on ${to.topic}.`;
                }
                throw new Error('send_message needs "to" (an agent id) or "topic".');
            },
            delegate: (target, prompt, priority) => this.delegate(runtime, running, target, prompt, priority),
        });
        const durationMs = Date.now() - t;
        this.events.fire({ type: 'tool-call', agentId, taskId, step, phase: 'finished', call, result: { content: outcome.content.slice(0, 2000), isError: outcome.isError ?? false }, durationMs });
        if (runtime.running === running && !running.controller.signal.aborted && lastOfStep && runtime.pauseAfterStep !== undefined) {
            // The step is over: checkpoint here, before the next model call spends anything.
            const reason = runtime.pauseAfterStep;
            runtime.pauseAfterStep = undefined;
            this.interrupt(runtime, 'checkpoint', reason);
            return;
        }
        if (runtime.running === running && !running.controller.signal.aborted) {
            runtime.process?.send({ type: 'tool-result', requestId, content: outcome.content, isError: outcome.isError ?? false, inbox: this.bus.drainInbox(agentId).map(m => `from ${m.from}: ${m.text}`) });
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
        const other = this.runtimes.get(target);
        if (!other) {
            return { content: `There is no agent "${target}"; agents: ${[...this.runtimes.keys()].join(', ')}.`, isError: true };
        }
        const chain = new Set<string>([self]);
        for (let t: TaskInfo | undefined = running.task; t?.parentTaskId !== undefined;) {
            t = this.tasksRepo.get(t.parentTaskId);
            if (t) {
                chain.add(t.agentId);
            }
        }
        if (chain.has(target)) {
            return { content: `Delegating to ${other.definition.name} would make it wait for itself (delegation chain: ${[...chain].join(' -> ')}); do this part yourself.`, isError: true };
        }
        const sub = this.enqueue(target, { prompt, priority, parentTaskId: running.task.id, fromAgentId: self });
        this.setWaiting(runtime, running, { kind: 'reply', taskId: sub.id, agentId: target, message: `waiting for ${other.definition.name} to finish task ${sub.id}` });
        try {
            const done = await this.waitForTask(sub.id, running.controller.signal);
            return done.status === 'done'
                ? { content: `${other.definition.name} finished task ${sub.id}: ${done.result?.summary ?? ''}` }
                : { content: `${other.definition.name}'s task ${sub.id} ${done.status}: ${done.result?.error ?? done.lastError ?? ''}`, isError: true };
        } catch (error) {
            // The delegating task was cancelled or checkpointed: its sub-task is no longer wanted.
            const current = this.tasksRepo.get(sub.id);
            if (current && (current.status === 'queued' || current.status === 'running')) {
                this.cancelTask(sub.id, `the delegating task ${running.task.id} stopped`);
            }
            return { content: (error as Error).message, isError: true };
        } finally {
            this.setWaiting(runtime, running, undefined);
        }
    }

    /** Asks the agent loop to stop (the signal reaches the model call and the tool in flight), and kills the process if it does not within the grace. */
    protected interrupt(runtime: AgentRuntime, kind: 'cancel' | 'checkpoint', reason: string): void {
        const running = runtime.running!;
        if (running.stopping) {
            return;
        }
        running.stopping = { kind, reason };
        running.controller.abort(new Error(reason));
        runtime.process?.send({ type: 'cancel', taskId: running.task.id, reason });
        running.stopping.killTimer = setTimeout(() => runtime.process?.kill(`did not stop within ${this.options.cancelGraceMs ?? 2000} ms of "${reason}"`), this.options.cancelGraceMs ?? 2000);
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
            this.emitTask('retrying', this.tasksRepo.requeue(task.id, running.stopping.reason, true));
            runtime.machine.tryTransition('paused', running.stopping.reason);
            return;
        }
        if (running.stopping?.kind === 'cancel' || outcome.outcome === 'cancelled') {
            this.endTask(task, 'cancelled', { error: running.stopping?.reason ?? ('error' in outcome ? outcome.error : 'cancelled'), steps: outcome.steps });
            runtime.machine.transition('idle', `task ${task.id} cancelled`);
        } else if (outcome.outcome === 'done') {
            runtime.consecutiveFailures = 0;
            runtime.lastError = undefined;
            this.endTask(task, 'done', { summary: outcome.summary, steps: outcome.steps });
            runtime.machine.transition('idle', `task ${task.id} done`);
        } else {
            runtime.lastError = outcome.error;
            if (outcome.retryable && task.attempts < task.maxAttempts) {
                this.emitTask('retrying', this.tasksRepo.requeue(task.id, outcome.error, false));
            } else {
                this.endTask(task, 'failed', { error: outcome.error, steps: outcome.steps });
            }
            if (outcome.errorKind === 'auth') {
                runtime.authFailed = true;
                runtime.machine.transition('error', outcome.error, { taskId: task.id });
            } else {
                runtime.machine.transition('idle', `task ${task.id} failed: ${outcome.error}`);
            }
        }
        this.pump(runtime.definition.id);
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
    protected releaseTaskLocks(runtime: AgentRuntime, taskId: number): void {
        for (const lock of this.options.locks.list()) {
            if (lock.owner.id === runtime.owner.id && lock.taskId === String(taskId)) {
                try {
                    this.options.locks.release(lock.id, runtime.owner);
                } catch {
                    // Revoked meanwhile.
                }
            }
        }
    }

    protected endTask(task: TaskInfo, status: 'done' | 'failed' | 'cancelled', result: { summary?: string; error?: string; steps?: number }): TaskInfo {
        const ended = this.tasksRepo.finish(task.id, status, result);
        this.emitTask(status, ended);
        const waiters = this.taskWaiters.get(task.id) ?? [];
        this.taskWaiters.delete(task.id);
        waiters.forEach(w => w(ended));
        return ended;
    }

    /** The process died (crash, SIGKILL, hang kill): retry or fail its task, restart it after a backoff. */
    protected onAgentExit(runtime: AgentRuntime, process: AgentProcess, reason: string): void {
        if (runtime.process !== process || this.stopping) {
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
                this.endTask(task, 'cancelled', { error: running.stopping.reason });
            } else if (running.stopping?.kind === 'checkpoint') {
                this.emitTask('retrying', this.tasksRepo.requeue(task.id, running.stopping.reason, true));
            } else if (task.attempts < task.maxAttempts) {
                this.emitTask('retrying', this.tasksRepo.requeue(task.id, reason, false));
            } else {
                this.endTask(task, 'failed', { error: `${reason} (attempt ${task.attempts} of ${task.maxAttempts})` });
            }
        }
        const backoff = this.options.restartBackoff ?? { initialMs: 500, maxMs: 30_000 };
        const delayMs = Math.min(backoff.maxMs, backoff.initialMs * 2 ** runtime.consecutiveFailures);
        runtime.consecutiveFailures++;
        runtime.lastError = reason;
        this.agentsRepo.recordRestart(runtime.definition.id, reason, taskId, delayMs);
        this.events.fire({ type: 'restart', agentId: runtime.definition.id, reason, delayMs, taskId });
        if (running?.stopping?.kind === 'checkpoint') {
            runtime.machine.tryTransition('paused', running.stopping.reason);
        } else {
            runtime.machine.tryTransition('error', reason, { taskId });
        }
        runtime.restartTimer = setTimeout(() => {
            runtime.restartTimer = undefined;
            if (this.stopping) {
                return;
            }
            this.ensureProcess(runtime);
            if (runtime.machine.state === 'error' && !runtime.configError) {
                runtime.machine.transition('idle', `restarted after ${delayMs} ms`);
            }
            this.pump(runtime.definition.id);
        }, delayMs);
    }
}
