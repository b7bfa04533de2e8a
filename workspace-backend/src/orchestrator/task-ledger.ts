import type { Emitter } from '../common/emitter';
import type { Acknowledge } from './orchestrator-options';
import type { OrchestratorEvent, TaskChange } from './orchestrator-types';
import type { TaskInfo, TaskRepository, TaskResult, TaskStatus, TaskTree, TaskTreeRoot } from './task-repository';
import { TaskWaiters } from './task-waiters';

/** What `TaskRepository.insert` takes: a task as submitted, its defaults resolved. */
export type NewTask = Parameters<TaskRepository['insert']>[0];

/**
 * The tasks' record: their rows in tasks.db, the `task` events that announce each change, and
 * who waits for a task to end. Every change of a task's status goes through here.
 *
 * Invariants: a change is committed before it is announced (so a listener that reads the task
 * back sees it), and a task's end is announced before its waiters are settled; a waiter is
 * answered only once that end may be acknowledged (`acknowledge` on tasks and metrics).
 */
export class TaskLedger {
    protected readonly waiters = new TaskWaiters();

    constructor(
        protected readonly repository: TaskRepository,
        protected readonly events: Pick<Emitter<OrchestratorEvent>, 'fire'>,
        protected readonly acknowledge: Acknowledge,
    ) { }

    get(taskId: number): TaskInfo | undefined {
        return this.repository.get(taskId);
    }

    statusesBetween(from: number, to: number): Map<number, TaskStatus> {
        return this.repository.statusesBetween(from, to);
    }

    treeOf(taskId: number): TaskTree | undefined {
        return this.repository.treeOf(taskId);
    }

    rootOf(taskId: number): TaskTreeRoot | undefined {
        return this.repository.rootOf(taskId);
    }

    openCounts(): Map<string, { running: number; queued: number }> {
        return this.repository.openCounts();
    }

    treesOf(taskIds: readonly number[]): TaskInfo[] {
        return this.repository.treesOf(taskIds);
    }

    require(taskId: number): TaskInfo {
        const task = this.repository.get(taskId);
        if (!task) {
            throw new Error(`There is no task ${taskId}.`);
        }
        return task;
    }

    announce(change: TaskChange, task: TaskInfo): void {
        this.events.fire({ type: 'task', change, task });
    }

    /** Records a submitted task (already running, attempt 1, with `startNow`) and announces it queued. */
    insert(task: NewTask, startNow: boolean): TaskInfo {
        const inserted = this.repository.insert(task, startNow);
        this.announce('queued', inserted);
        return inserted;
    }

    /** queued -> running, counting the attempt; its start is announced by whoever hands it to its agent. */
    start(taskId: number): TaskInfo {
        return this.repository.start(taskId);
    }

    /** running -> queued for another attempt (`refundAttempt` after a stop of ours: pause, checkpoint, shutdown). */
    requeue(taskId: number, reason: string, refundAttempt: boolean): TaskInfo {
        const requeued = this.repository.requeue(taskId, reason, refundAttempt);
        this.announce('retrying', requeued);
        return requeued;
    }

    end(task: TaskInfo, status: 'done' | 'failed' | 'cancelled', result: TaskResult): TaskInfo {
        const ended = this.repository.finish(task.id, status, result);
        this.announce(status, ended);
        this.waiters.settle(task.id, ended);
        return ended;
    }

    /** Changes a queued task's priority (it keeps its place among tasks of the new priority by arrival). */
    reprioritise(taskId: number, priority: number): TaskInfo {
        const task = this.require(taskId);
        if (task.status !== 'queued') {
            throw new Error(`Task ${taskId} is ${task.status}; only a queued task can be re-prioritised.`);
        }
        const updated = this.repository.setPriority(taskId, Math.trunc(priority));
        this.announce('reprioritised', updated);
        return updated;
    }

    /** Resolves when the task is done, failed or cancelled, and its end (with its costs) may be acknowledged. */
    async waitFor(taskId: number, signal?: AbortSignal): Promise<TaskInfo> {
        const task = this.require(taskId);
        const ended = task.status === 'done' || task.status === 'failed' || task.status === 'cancelled' ? task : await this.waiters.wait(taskId, signal);
        await this.acknowledge(`the end of task #${taskId}`, 'tasks', 'metrics');
        return ended;
    }

    /**
     * Resolves once what a task's step committed (its cost entries, the tasks it delegated) may be
     * acknowledged. While the replica cannot take it (ack mode, store down), this keeps asking every
     * `retryMs`, so the agent waits rather than runs ahead of what would survive a lost disk; any of
     * `stops` aborting ends the wait.
     */
    async acknowledgeStep(what: string, stops: readonly AbortSignal[], retryMs = 2000): Promise<void> {
        while (!stops.some(stop => stop.aborted)) {
            try {
                await this.acknowledge(what, 'tasks', 'metrics');
                return;
            } catch {
                await new Promise(resolve => setTimeout(resolve, retryMs).unref());
            }
        }
    }

    /** Tasks a dead backend left `running`: that attempt is spent; retried while attempts remain, else failed. Before anything listens, so unannounced. */
    recoverInterrupted(): void {
        for (const task of this.repository.running()) {
            const reason = 'the backend stopped unexpectedly while the task ran';
            if (task.attempts < task.maxAttempts) {
                this.repository.requeue(task.id, reason, false);
            } else {
                this.repository.finish(task.id, 'failed', { error: `${reason} (attempt ${task.attempts} of ${task.maxAttempts})` });
            }
        }
    }

    /** The agents of the task and of every task above it that delegated it, the task's own agent first. */
    delegationChain(task: TaskInfo): string[] {
        const chain = new Set<string>([task.agentId]);
        for (let t: TaskInfo | undefined = task; t?.parentTaskId !== undefined;) {
            t = this.repository.get(t.parentTaskId);
            if (t) {
                chain.add(t.agentId);
            }
        }
        return [...chain];
    }

    nextQueued(agentId: string): TaskInfo | undefined {
        return this.repository.nextQueued(agentId);
    }

    queuedCount(agentId: string): number {
        return this.repository.queuedCount(agentId);
    }

    /** The agent's tasks: queued in run order, the running one, then up to `finishedLimit` finished ones, newest first. */
    listForAgent(agentId: string, finishedLimit: number): TaskInfo[] {
        return this.repository.listForAgent(agentId, finishedLimit);
    }

    /** The tasks a workflow run made for its steps, oldest first. */
    listForWorkflowRun(runId: number): TaskInfo[] {
        return this.repository.listForWorkflowRun(runId);
    }

    stats(agentId: string): ReturnType<TaskRepository['stats']> {
        return this.repository.stats(agentId);
    }
}
