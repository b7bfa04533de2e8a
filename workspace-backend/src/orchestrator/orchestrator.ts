import * as path from 'node:path';
import { Emitter, Event } from '../common/emitter';
import type { ComponentHealth } from '../health/workspace-health';
import type { AgentDefinition } from './agent-definition';
import { AgentRepository, TokenUsageRepository } from './agent-repository';
import { AgentRuntime, ownerOf, UnknownAgentError } from './agent-runtime';
import { AgentStateMachine, AgentTransition } from './agent-state';
import { CommandRunner } from './command-runner';
import { DefinitionStore } from './definition-store';
import { GuardedFileWriter } from './guarded-file-writer';
import { MessageBus } from './message-bus';
import type { DatabaseName } from '../database/database-names';
import type { OrchestratorOptions } from './orchestrator-options';
import type { AgentMetrics, AgentSnapshot, FileEditEvent, OrchestratorEvent, SubmitTaskOptions, TaskChange } from './orchestrator-types';
import { ProviderFactory, realProviderFactory } from './provider-factory';
import { TaskInfo, TaskRepository } from './task-repository';
import { TaskRunCycle } from './task-run-cycle';
import { TaskWaiters } from './task-waiters';
import { ToolExecutor } from './tool-executor';

export type { OrchestratorOptions } from './orchestrator-options';

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
    /** Runs agents' commands in bubblewrap, or in the separate-uid fallback; probed once, here. */
    readonly commands: CommandRunner;
    protected readonly providers: ProviderFactory;
    protected readonly runCycle: TaskRunCycle;
    protected readonly runtimes = new Map<string, AgentRuntime>();
    protected readonly taskWaiters = new TaskWaiters();
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
        }), (relative, owner, taskId) => options.changeAttribution?.claim(relative, {
            kind: 'agent-tool', agentId: owner.id.replace(/^agent:/, ''), taskId, by: owner.displayName,
        }, true));
        this.commands = new CommandRunner(options.locks, options.commandSandbox, options.changeAttribution);
        this.tools = new ToolExecutor(options.locks.paths, this.writer, this.commands);
        this.providers = options.providerFactory ?? realProviderFactory();
        this.runCycle = new TaskRunCycle({
            options, runtimes: this.runtimes, events: this.events, bus: this.bus,
            agentsRepo: this.agentsRepo, tasksRepo: this.tasksRepo, usageRepo: this.usageRepo, tokens: this.tokens,
            writer: this.writer, tools: this.tools, providers: this.providers,
            isStopping: () => this.stopping,
            tokensOf: agentId => this.tokensOf(agentId),
            emitTask: (change, task) => this.emitTask(change, task),
            endTask: (task, status, result) => this.endTask(task, status, result),
            enqueue: (agentId, task) => this.enqueue(agentId, task),
            waitForTask: (taskId, signal) => this.waitForTask(taskId, signal),
            cancelTask: (taskId, reason) => this.cancelTask(taskId, reason),
            sendMessage: (from, to, text) => this.sendMessage(from, to, text),
            pump: agentId => this.pump(agentId),
            acknowledge: (what, ...databases) => this.acknowledge(what, ...databases),
        });
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
                this.runCycle.releaseTaskLocks(runtime, running.task.id);
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
            this.runCycle.interrupt(runtime, 'cancel', reason);
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
            this.runCycle.interrupt(runtime, 'checkpoint', reason);
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

    /** Resolves when the task is done, failed or cancelled, and its end (with its costs) may be acknowledged. */
    async waitForTask(taskId: number, signal?: AbortSignal): Promise<TaskInfo> {
        const task = this.requireTask(taskId);
        const ended = task.status === 'done' || task.status === 'failed' || task.status === 'cancelled' ? task : await this.taskWaiters.wait(taskId, signal);
        await this.acknowledge(`the end of task #${taskId}`, 'tasks', 'metrics');
        return ended;
    }

    /** What the composition root says about durability (OrchestratorOptions.acknowledge); at once without it. */
    acknowledge(what: string, ...databases: DatabaseName[]): Promise<void> {
        return this.options.acknowledge?.(what, ...databases) ?? Promise.resolve();
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
            parentTaskId: options.parentTaskId, fromAgentId: options.fromAgentId, submittedBy: options.submittedBy,
        }, startNow);
        this.emitTask('queued', task);
        if (startNow) {
            this.runCycle.dispatch(runtime, task);
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
            this.runCycle.ensureProcess(runtime);
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
        this.runCycle.dispatch(runtime, this.tasksRepo.start(task.id));
    }

    /** Free for its next task: not running one, not restarting, not paused or stopped, not held after a refused key. */
    protected canDispatch(runtime: AgentRuntime): boolean {
        const state = runtime.machine.state;
        return !this.stopping && !runtime.running && !runtime.restartTimer && !runtime.authFailed && (state === 'idle' || state === 'error');
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

    protected endTask(task: TaskInfo, status: 'done' | 'failed' | 'cancelled', result: { summary?: string; error?: string; steps?: number }): TaskInfo {
        const ended = this.tasksRepo.finish(task.id, status, result);
        this.emitTask(status, ended);
        this.taskWaiters.settle(task.id, ended);
        return ended;
    }
}
