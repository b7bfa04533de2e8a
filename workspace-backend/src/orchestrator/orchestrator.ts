import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { countLines } from '../changes/change-hunks';
import { Disposable, Emitter, Event } from '../common/emitter';
import type { ComponentHealth } from '../health/workspace-health';
import type { Principal } from '../policy/principal';
import type { AgentDefinition } from './agent-definition';
import { AgentCollaboration } from './agent-collaboration';
import { AgentRepository, TokenUsageRepository } from './agent-repository';
import { AgentRuntime, ownerOf } from './agent-runtime';
import { AgentRuntimes } from './agent-runtimes';
import { AgentStateMachine, AgentTransition } from './agent-state';
import { CommandRunner } from './command-runner';
import { DefinitionStore } from './definition-store';
import { GuardedFileWriter } from './guarded-file-writer';
import { HookRunner } from './hook-runner';
import { BusStore } from './bus-store';
import { BusMessage, BusMessageError, MessageBus } from './message-bus';
import type { OrchestratorOptions } from './orchestrator-options';
import type { AgentMetrics, AgentSnapshot, FileEditEvent, FileReadEvent, OrchestratorEvent, ProviderCall, SubmitTaskOptions } from './orchestrator-types';
import { ProviderFactory, realProviderFactory } from './provider-factory';
import { TaskDispatcher } from './task-dispatcher';
import { TaskLedger } from './task-ledger';
import { TaskInfo, TaskRepository, TaskStatus, TaskTree, TaskTreeRoot } from './task-repository';
import { TaskTraces } from './task-traces';
import { TaskRunCycle } from './task-run-cycle';
import { TokenUsageTracker } from './token-usage-tracker';
import { ToolExecutor } from './tool-executor';
import { WorkspaceHooks } from './workspace-hooks';
import { WorkflowRunner } from './workflow-runner';
import { WorkflowRunRepository } from './workflow-run-repository';
import type { WorkflowRunInfo } from './workflow-types';
import { agentIdOf } from '../policy/principal';

export type { OrchestratorOptions } from './orchestrator-options';

/**
 * Runs the workspace's agents: one supervised child process each, a persisted priority queue
 * each, the lock-guarded tools, the message bus, and one event stream for the UI.
 *
 * This class assembles the parts and is their public face: AgentRuntimes (the agents), TaskLedger
 * (tasks.db and the task events), TaskDispatcher (the queues; it builds the TaskRunCycle, one
 * task's run), AgentCollaboration (messages and delegation), TokenUsageTracker (usage); it keeps
 * the definitions, agents.db and the agents' state transitions itself.
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
    protected readonly providerCalls = new Emitter<ProviderCall>();
    /** Every model request the agents make, timed, for telemetry; not on `onEvent` (browsers do not need it). */
    readonly onProviderCall: Event<ProviderCall> = this.providerCalls.event;
    protected readonly fileReads = new Emitter<FileReadEvent>();
    /** Every agent's read of a workspace file with its tool (the change sets flag a person's later edit of what it read). */
    readonly onFileRead: Event<FileReadEvent> = this.fileReads.event;

    readonly bus: MessageBus;
    readonly definitions: DefinitionStore;
    /** The workspace's workflows (`.coditect/workflows`) and their runs. */
    readonly workflows: WorkflowRunner;
    /** Runs agents' commands in bubblewrap, or in the separate-uid fallback; probed once, here. */
    readonly commands: CommandRunner;
    protected readonly agentsRepo: AgentRepository;
    protected readonly runtimes = new AgentRuntimes();
    protected readonly ledger: TaskLedger;
    protected readonly tokens: TokenUsageTracker;
    protected readonly dispatcher: TaskDispatcher;
    protected readonly runs: TaskRunCycle;
    /** Every task's trace span (telemetry/tracing.ts); spans go nowhere unless tracing is configured. */
    protected readonly traces: TaskTraces;
    protected readonly collaboration: AgentCollaboration;
    /** Aborted when `stop` begins: the parts stop queuing, starting and restarting. */
    protected readonly stopping = new AbortController();
    protected started = false;
    protected keyChanges: Disposable | undefined;

    /** Builds the parts: each receives the others it works with, none of them this orchestrator. */
    constructor(protected readonly options: OrchestratorOptions) {
        this.definitions = new DefinitionStore(options.workspaceDir);
        this.agentsRepo = new AgentRepository(options.databases.agents);
        // Topics reach the agents whose definitions subscribe to them (read when a message is published).
        this.bus = new MessageBus(new BusStore(options.databases.agents), topic => this.collaboration.subscribersOf(topic));
        this.ledger = new TaskLedger(new TaskRepository(options.databases.tasks), this.events, options.acknowledge ?? (() => Promise.resolve()));
        this.tokens = new TokenUsageTracker(new TokenUsageRepository(options.databases.metrics));
        this.traces = new TaskTraces(this.events.event, this.providerCalls.event);
        const writer = new GuardedFileWriter(options.locks, 50, write => this.fileEdits.fire({
            agentId: agentIdOf(write.owner.id), taskId: write.taskId, path: write.path, before: write.before, after: write.after, by: write.owner.displayName, at: Date.now(),
            ...(write.inTarget ? { overlay: true as const } : {}),
        }), (relative, owner, taskId) => options.changeAttribution?.claim(relative, {
            kind: 'agent-tool', agentId: agentIdOf(owner.id), taskId, by: owner.displayName,
        }, true));
        this.commands = new CommandRunner(options.locks, options.commandSandbox, options.changeAttribution, options.commandObserver);
        const tools = new ToolExecutor(options.locks.paths, writer, this.commands, {
            overlays: options.overlays, timeline: options.timeline,
            onRead: read => this.fileReads.fire({
                agentId: agentIdOf(read.owner.id), taskId: read.taskId, path: read.path,
                sha256: createHash('sha256').update(read.text, 'utf8').digest('hex'), lines: countLines(read.text), at: Date.now(),
            }),
        });
        const hooks = new HookRunner(new WorkspaceHooks(options.workspaceDir), this.commands, options.locks.paths.root);
        const providers: ProviderFactory = options.providerFactory ?? realProviderFactory(process.env, options.providerKeys?.file.file);
        const shutdown = this.stopping.signal;
        let collaboration!: AgentCollaboration;
        this.dispatcher = new TaskDispatcher({ runtimes: this.runtimes, ledger: this.ledger, definitions: this.definitions, providers, shutdown }, queue => {
            collaboration = new AgentCollaboration(this.runtimes, this.ledger, queue, this.bus);
            return new TaskRunCycle({
                runtimes: this.runtimes, ledger: this.ledger, queue, collaboration, tokens: this.tokens, agentsRepo: this.agentsRepo, events: this.events, providerCalls: this.providerCalls,
                traces: this.traces, locks: options.locks, writer, tools, hooks, providers, timing: options, shutdown,
            });
        });
        this.collaboration = collaboration;
        this.runs = this.dispatcher.runs;
        this.bus.subscribe('*', message => this.events.fire({ type: 'message', message }));
        this.workflows = new WorkflowRunner({
            workspaceDir: options.workspaceDir, runs: new WorkflowRunRepository(options.databases.tasks), queue: this.dispatcher,
            tasksOfRun: runId => this.ledger.listForWorkflowRun(runId), agentIds: () => this.runtimes.ids(), events: this.events, shutdown,
        });
        this.events.event(event => {
            if (event.type === 'task') {
                this.workflows.taskChanged(event.task);
            }
        });
    }

    /** Loads the definitions, recovers tasks a dead backend left running, and starts the queues. */
    start(): void {
        if (this.started) {
            return;
        }
        this.started = true;
        this.ledger.recoverInterrupted();
        this.bus.recoverInterrupted();
        this.definitions.onChange(change => {
            this.events.fire({ type: 'definition', change });
            if (change.kind !== 'invalid') {
                this.applyDefinition(change.definition);
            }
        });
        this.definitions.start();
        this.keyChanges = this.options.providerKeys?.onDidChange(change => this.providerKeyChanged(change.variable));
        for (const definition of this.definitions.list()) {
            this.applyDefinition(definition);
        }
        // Workflow runs move on from what their steps did before the restart.
        this.workflows.resume();
        // Messages that waited through a restart: an idle agent that starts tasks for its messages does so now.
        for (const runtime of this.runtimes.all()) {
            const waiting = this.bus.pending(runtime.definition.id);
            if (waiting.length > 0) {
                this.collaboration.startForMessages(runtime.definition.id, waiting[waiting.length - 1]);
            }
        }
    }

    /** Checkpoints running tasks (re-queued, the attempt not spent), stops every agent process and records every agent as stopped. */
    async stop(): Promise<void> {
        if (this.stopping.signal.aborted) {
            return;
        }
        this.stopping.abort();
        this.keyChanges?.dispose();
        this.definitions.dispose();
        await this.runs.stopAll('the backend is stopping');
        this.events.dispose();
        this.fileEdits.dispose();
        this.fileReads.dispose();
        this.traces.dispose();
        this.providerCalls.dispose();
        this.bus.dispose();
    }

    // ---- the API the UI layer uses ----

    listAgents(): AgentSnapshot[] {
        return this.runtimes.ids().sort().map(id => this.getAgent(id)!);
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
            id: d.id, name: d.name, description: d.description, vendor: d.vendor, model: d.model, process: d.process,
            state: runtime.machine.state, stateSince: runtime.machine.stateSince, waitingOn: runtime.machine.waitingOn,
            currentTask: running && { id: running.task.id, prompt: running.task.prompt, title: running.task.title, step: running.step, attempt: running.task.attempts, startedAt: running.task.startedAt ?? 0 },
            locksHeld: this.options.locks.list().filter(l => l.owner.id === runtime.owner.id),
            queued: this.ledger.queuedCount(agentId),
            tokensUsed: this.tokens.totalOf(agentId),
            lastError: runtime.configError ?? runtime.lastError,
            keyVariable: d.apiKeyVariable,
            definitionError: invalid?.error,
            definitionFile: path.posix.join('.coditect/agents', `${agentId}.json`),
            pid: runtime.process?.pid,
            restarts: this.agentsRepo.restarts(agentId).count,
        };
    }

    /** The agent's tasks: queued in run order, the running one, then up to `finishedLimit` finished ones, newest first. */
    listTasks(agentId: string, finishedLimit = 50): TaskInfo[] {
        this.runtimes.require(agentId);
        return this.ledger.listForAgent(agentId, finishedLimit);
    }

    getTask(taskId: number): TaskInfo | undefined {
        return this.ledger.get(taskId);
    }

    /** The state of every task with an id from `from` to `to` (the change sets' listing), in one read. */
    taskStatusesBetween(from: number, to: number): Map<number, TaskStatus> {
        return this.ledger.statusesBetween(from, to);
    }

    submitTask(agentId: string, options: SubmitTaskOptions): TaskInfo {
        return this.dispatcher.enqueue(agentId, options);
    }

    /** Each agent's running and queued tasks, for the agents that have any. */
    openTaskCounts(): Map<string, { running: number; queued: number }> {
        return this.ledger.openCounts();
    }

    /** Every task of the delegation trees the tasks are in, parents before what they delegated. */
    tasksOfTrees(taskIds: readonly number[]): TaskInfo[] {
        return this.ledger.treesOf(taskIds);
    }

    /** The root of the delegation tree the task is in, and its budget, without the tree under it (one short read). */
    taskTreeRoot(taskId: number): TaskTreeRoot | undefined {
        return this.ledger.rootOf(taskId);
    }

    /** The delegation tree the task is in: its root, the root's budget, every task under it. */
    taskTree(taskId: number): TaskTree | undefined {
        return this.ledger.treeOf(taskId);
    }

    /**
     * Cancels every unfinished task of the tree under `rootId`, the deepest first (a parent waiting
     * on a child would otherwise see it fail before it is told why), each with `reason`.
     */
    cancelTaskTree(rootId: number, reason: string): void {
        const tree = this.ledger.treeOf(rootId);
        for (const taskId of [...tree?.taskIds ?? []].reverse()) {
            const status = this.ledger.get(taskId)?.status;
            if (status === 'queued' || status === 'running') {
                this.dispatcher.cancel(taskId, reason);
            }
        }
    }

    /** A queued task is cancelled at once; a running one is aborted (its agent loop and tool call get the signal) and killed if it does not stop within the grace. */
    cancelTask(taskId: number, reason = 'cancelled by the user'): TaskInfo {
        return this.dispatcher.cancel(taskId, reason);
    }

    /** Changes a queued task's priority (it keeps its place among tasks of the new priority by arrival). */
    reprioritise(taskId: number, priority: number): TaskInfo {
        return this.ledger.reprioritise(taskId, priority);
    }

    /**
     * Pauses an agent; a running task is checkpointed (re-queued, its attempt not spent). With
     * `afterStep` the running task first finishes the step under way (its model call answered and
     * that turn's tool calls done), so nothing already paid for is thrown away: a budget's pause.
     */
    pauseAgent(agentId: string, reason = 'paused by the user', options: { readonly afterStep?: boolean } = {}): void {
        const runtime = this.runtimes.require(agentId);
        if (runtime.running && options.afterStep) {
            runtime.pauseAfterStep = reason;
            return;
        }
        if (runtime.running) {
            this.runs.interrupt(runtime, 'checkpoint', reason);
            return;
        }
        runtime.machine.tryTransition('paused', reason);
    }

    /** Resumes a paused agent (cancelling a pause still waiting for its step to end), or lets an agent in error (a refused key, say) try its queue again. */
    resumeAgent(agentId: string, reason = 'resumed by the user'): void {
        const runtime = this.runtimes.require(agentId);
        runtime.authFailed = false;
        runtime.pauseAfterStep = undefined;
        if (runtime.machine.state === 'paused' || ((runtime.machine.state === 'error' || runtime.machine.state === 'needs-key') && !runtime.restartTimer)) {
            runtime.machine.transition('idle', reason);
            this.dispatcher.pump(agentId);
        }
    }

    /** A direct message to an agent (from the user or another agent): read on its next turn. */
    /**
     * A message from `principal` (a person as `user:<name>`, an agent token as its agent id) to one
     * agent (`to`) or on a `topic`, as an agent's send_message would send it.
     */
    publishMessage(principal: Principal, target: { readonly to?: string; readonly topic?: string }, text: string): BusMessage {
        if ((target.to === undefined) === (target.topic === undefined)) {
            throw new BusMessageError('Send a message either "to" an agent (its id, such as "gemini") or on a "topic" (such as "reviews"), not both or neither.');
        }
        const from = principal.kind === 'agent' ? agentIdOf(principal.id) : principal.id;
        return target.to !== undefined ? this.collaboration.sendDirect(from, target.to, text) : this.bus.publish(target.topic!, from, text);
    }

    sendMessage(from: string, to: string, text: string): void {
        this.collaboration.sendDirect(from, to, text);
    }

    /** Starts a run of a workspace workflow in the principal's name (its steps are that person's tasks). */
    startWorkflow(principal: Principal, name: string, input: string): WorkflowRunInfo {
        return this.workflows.start(name, input, principal.id);
    }

    /** Resolves when the task is done, failed or cancelled, and its end (with its costs) may be acknowledged. */
    async waitForTask(taskId: number, signal?: AbortSignal): Promise<TaskInfo> {
        return this.ledger.waitFor(taskId, signal);
    }

    transitions(agentId: string, limit = 100): AgentTransition[] {
        return this.agentsRepo.transitions(agentId, limit);
    }

    metrics(agentId: string): AgentMetrics {
        this.runtimes.require(agentId);
        const stats = this.ledger.stats(agentId);
        return {
            agentId, tasksDone: stats.done, tasksFailed: stats.failed, tasksCancelled: stats.cancelled, queued: stats.queued,
            avgQueueWaitMs: stats.avgQueueWaitMs, avgTaskLatencyMs: stats.avgLatencyMs,
            restarts: this.agentsRepo.restarts(agentId).count, errors: this.agentsRepo.errorCount(agentId), tokensUsed: this.tokens.totalOf(agentId),
        };
    }

    health(): ComponentHealth {
        const agents = this.listAgents();
        const running = agents.filter(a => a.state === 'executing' || a.state === 'waiting' || a.state === 'loading').length;
        const errored = agents.filter(a => a.state === 'error');
        const needKey = agents.filter(a => a.state === 'needs-key');
        const unconfigured = this.runtimes.all().filter(r => r.configError && r.machine.state === 'error').map(r => r.definition.id);
        const invalid = this.definitions.invalid();
        const problems = [
            ...errored.map(a => `${a.name}: ${a.lastError ?? 'error'}`),
            ...needKey.map(a => `${a.name} needs a key (${a.keyVariable})`),
            ...invalid.map(i => `invalid definition ${i.error}`),
        ];
        // An agent without an API key, or held by its configuration, is a setup step, not a fault: it is named in the detail but does not degrade the workspace.
        const faults = errored.length - unconfigured.length + invalid.length;
        return {
            id: 'orchestrator', label: 'Agents',
            status: faults > 0 ? 'degraded' : 'ok',
            detail: `${agents.length} agents, ${running} running, ${needKey.length} need a key, ${errored.length} in error, ${invalid.length} invalid definitions.${problems.length ? ` ${problems.join('; ')}` : ''}`,
            metrics: { agents: agents.length, running, needKey: needKey.length, errored: errored.length, unconfigured: unconfigured.length, invalidDefinitions: invalid.length },
        };
    }

    /**
     * A key changed (set or removed in the studio): the agents that read `variable` forget a refused
     * key and check their provider again at once, so a key set a moment ago starts their queue
     * without a restart, and a removed one shows them as needing a key.
     */
    protected providerKeyChanged(variable: string): void {
        for (const runtime of this.runtimes.all()) {
            if (runtime.definition.apiKeyVariable !== variable) {
                continue;
            }
            if (this.dispatcher.recheckProvider(runtime)) {
                this.preforkIfAlways(runtime);
            }
            this.dispatcher.pump(runtime.definition.id);
        }
    }

    // ---- internals ----

    protected applyDefinition(definition: AgentDefinition): void {
        if (this.stopping.signal.aborted) {
            return;
        }
        let runtime = this.runtimes.get(definition.id);
        if (runtime) {
            // Takes effect from the next task: the running one keeps the definition it started with.
            runtime.definition = definition;
            runtime.authFailed = false;
            this.agentsRepo.upsert(definition, runtime.machine.state);
            this.dispatcher.pump(definition.id);
            return;
        }
        const last = this.agentsRepo.lastState(definition.id);
        this.agentsRepo.upsert(definition, last ?? 'stopped');
        const machine = new AgentStateMachine(definition.id, last ?? 'stopped', t => this.recordTransition(t));
        runtime = { definition, machine, owner: ownerOf(definition), consecutiveFailures: 0 };
        this.runtimes.add(runtime);
        if (last !== undefined && last !== 'stopped') {
            machine.transition('stopped', `the backend was not stopped cleanly (the agent was ${last})`);
        }
        machine.transition('idle', 'the orchestrator started');
        const held = this.options.heldAtStart?.(definition.id);
        if (held) {
            machine.transition('paused', held);
        }
        if (this.dispatcher.checkProvider(runtime)) {
            this.preforkIfAlways(runtime);
        }
        this.dispatcher.pump(definition.id);
    }

    /** An agent whose process runs `always` gets it now; an `on-demand` one gets it for its first task. */
    protected preforkIfAlways(runtime: AgentRuntime): void {
        if (runtime.definition.process === 'always' && (this.options.prefork ?? true)) {
            this.runs.ensureProcess(runtime);
        }
    }

    protected recordTransition(transition: AgentTransition): void {
        this.agentsRepo.recordTransition(transition);
        this.events.fire({ type: 'agent-state', ...transition });
    }
}
