import { picoToUsdString } from '../costs/money';
import type { SqliteDatabase } from '../database/sqlite-database';

export type TaskStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface TaskResult {
    /** `finish`'s summary, for a done task. */
    readonly summary?: string;
    /** Why it failed or was cancelled. */
    readonly error?: string;
    readonly steps?: number;
}

export interface TaskInfo {
    readonly id: number;
    readonly agentId: string;
    readonly prompt: string;
    /** What people see of the task; the prompt unless the submitter gave a title. */
    readonly title: string;
    /** Higher runs first; FIFO within a priority. */
    readonly priority: number;
    readonly status: TaskStatus;
    /** Attempts started so far (a retry after a crash is attempt 2). */
    readonly attempts: number;
    readonly maxAttempts: number;
    /** The delegating task, when another agent handed this one over. */
    readonly parentTaskId?: number;
    /** The agent that submitted it through `delegate`, if any. */
    readonly fromAgentId?: string;
    /** Who gave it, as a principal id (`user:ada`, `agent:claude`); absent for tasks the studio queued itself or from before it was recorded. */
    readonly submittedBy?: string;
    readonly enqueuedAt: number;
    readonly startedAt?: number;
    readonly finishedAt?: number;
    /** The reason of the last failed attempt (kept when the task is retried). */
    readonly lastError?: string;
    readonly result?: TaskResult;
    /** The workflow run and step this task is, when a workflow made it. */
    readonly workflow?: TaskWorkflowStep;
    /** What this task and every task it delegates (down the tree) may spend together, in USD ("2.50"); only a tree's root has one. */
    readonly budgetUsd?: string;
}

/** The root of a delegation tree: the task nobody delegated, whose budget is the tree's. */
export interface TaskTreeRoot {
    readonly rootId: number;
    readonly rootStatus: TaskStatus;
    /** The root's budget, in picodollars, when it has one. */
    readonly budgetPico?: bigint;
}

/** A task and every task delegated from it, down the tree (delegation's `parentTaskId`). */
export interface TaskTree extends TaskTreeRoot {
    /** The root and all its descendants. */
    readonly taskIds: readonly number[];
}

export interface TaskWorkflowStep {
    readonly runId: number;
    readonly name: string;
    readonly step: string;
}

interface TaskRow {
    id: number; agent_id: string; priority: number; status: TaskStatus; payload_json: string; enqueued_at: number;
    started_at: number | null; finished_at: number | null; attempts: number; max_attempts: number; parent_task_id: number | null;
    last_error: string | null; result_json: string | null;
}

const select = `SELECT t.*, r.result_json FROM tasks t LEFT JOIN task_results r ON r.task_id = t.id`;

function toTask(row: TaskRow): TaskInfo {
    const payload = JSON.parse(row.payload_json) as TaskPayload;
    return {
        id: row.id, agentId: row.agent_id, prompt: payload.prompt, title: payload.title ?? payload.prompt, priority: row.priority, status: row.status,
        attempts: row.attempts, maxAttempts: row.max_attempts, parentTaskId: row.parent_task_id ?? undefined, fromAgentId: payload.fromAgentId,
        submittedBy: payload.submittedBy ?? (payload.fromAgentId ? `agent:${payload.fromAgentId}` : undefined),
        enqueuedAt: row.enqueued_at, startedAt: row.started_at ?? undefined, finishedAt: row.finished_at ?? undefined,
        lastError: row.last_error ?? undefined, result: row.result_json ? JSON.parse(row.result_json) as TaskResult : undefined,
        ...(payload.workflow ? { workflow: payload.workflow } : {}),
        ...(payload.budgetPico !== undefined ? { budgetUsd: picoToUsdString(BigInt(payload.budgetPico)) } : {}),
    };
}

/** What a task row keeps in `payload_json`. */
interface TaskPayload {
    prompt: string; title?: string; fromAgentId?: string; submittedBy?: string; workflow?: TaskWorkflowStep;
    /** Picodollars as decimal text (JSON has no bigint). */
    budgetPico?: string;
}

/**
 * Per-agent priority queues in `tasks.db`. Invariant: a task's row is its truth; every status
 * change commits (with its result, when it ends) before the orchestrator announces it, so a
 * restart finds exactly what listeners were told.
 */
export class TaskRepository {
    constructor(protected readonly db: SqliteDatabase, protected readonly now: () => number = Date.now) {
        if (db.name !== 'tasks') {
            throw new Error(`TaskRepository needs the tasks database, not the ${db.label}`);
        }
    }

    /**
     * Queues a task; with `start`, it is inserted already running (attempt 1) in the same commit:
     * an idle agent's task then costs one durable write (tasks.db is synchronous=FULL) instead of two.
     */
    insert(task: {
        agentId: string; prompt: string; title?: string; priority: number; maxAttempts: number; parentTaskId?: number; fromAgentId?: string; submittedBy?: string;
        workflow?: TaskWorkflowStep; budgetPico?: bigint;
    }, start = false): TaskInfo {
        const now = this.now();
        const payload: TaskPayload = {
            prompt: task.prompt, title: task.title, fromAgentId: task.fromAgentId, submittedBy: task.submittedBy, workflow: task.workflow,
            budgetPico: task.budgetPico?.toString(),
        };
        const { lastInsertRowid } = this.db.run(
            'INSERT INTO tasks (agent_id, priority, status, payload_json, enqueued_at, max_attempts, parent_task_id, started_at, attempts, workflow_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            task.agentId, task.priority, start ? 'running' : 'queued', JSON.stringify(payload), now, task.maxAttempts,
            task.parentTaskId ?? null, start ? now : null, start ? 1 : 0, task.workflow?.runId ?? null);
        return this.get(Number(lastInsertRowid))!;
    }

    get(id: number): TaskInfo | undefined {
        const row = this.db.get<TaskRow>(`${select} WHERE t.id = ?`, id);
        return row && toTask(row);
    }

    /** The delegation tree `taskId` is in: its root (walking parents up) and everything under the root. */
    treeOf(taskId: number): TaskTree | undefined {
        const root = this.rootOf(taskId);
        if (!root) {
            return undefined;
        }
        const taskIds = this.db.all<{ id: number }>(`WITH RECURSIVE down(id) AS (
                SELECT ? UNION ALL SELECT t.id FROM tasks t JOIN down ON t.parent_task_id = down.id)
            SELECT id FROM down`, root.rootId).map(r => r.id);
        return { ...root, taskIds };
    }

    /** The root of the delegation tree `taskId` is in (walking parents up), without reading the tree under it. */
    rootOf(taskId: number): TaskTreeRoot | undefined {
        const root = this.db.get<{ id: number; status: TaskStatus; payload_json: string }>(`WITH RECURSIVE up(id, parent) AS (
                SELECT id, parent_task_id FROM tasks WHERE id = ?
                UNION ALL SELECT t.id, t.parent_task_id FROM tasks t JOIN up ON t.id = up.parent)
            SELECT id, status, payload_json FROM tasks WHERE id = (SELECT id FROM up WHERE parent IS NULL)`, taskId);
        if (!root) {
            return undefined;
        }
        const budget = (JSON.parse(root.payload_json) as TaskPayload).budgetPico;
        return { rootId: root.id, rootStatus: root.status, ...(budget !== undefined ? { budgetPico: BigInt(budget) } : {}) };
    }

    /**
     * Every task of the delegation trees `taskIds` are in: their roots (walking parents up) and
     * everything under them, in id order (a parent before what it delegated). One read.
     */
    treesOf(taskIds: readonly number[]): TaskInfo[] {
        if (taskIds.length === 0) {
            return [];
        }
        return this.db.all<TaskRow>(`WITH RECURSIVE
                up(id, parent) AS (
                    SELECT id, parent_task_id FROM tasks WHERE id IN (SELECT value FROM json_each(?))
                    UNION SELECT t.id, t.parent_task_id FROM tasks t JOIN up ON t.id = up.parent),
                down(id) AS (
                    SELECT id FROM up WHERE parent IS NULL
                    UNION SELECT t.id FROM tasks t JOIN down ON t.parent_task_id = down.id)
            ${select} WHERE t.id IN (SELECT id FROM down) ORDER BY t.id`, JSON.stringify(taskIds)).map(toTask);
    }

    /** The state of every task with an id from `from` to `to`, in one read (a page of change sets). */
    statusesBetween(from: number, to: number): Map<number, TaskStatus> {
        return new Map(this.db.all<{ id: number; status: TaskStatus }>('SELECT id, status FROM tasks WHERE id BETWEEN ? AND ?', from, to).map(r => [r.id, r.status]));
    }

    /** The agent's tasks: queued in run order, then running, then finished (newest first, up to `finishedLimit`). */
    listForAgent(agentId: string, finishedLimit = 50): TaskInfo[] {
        const open = this.db.all<TaskRow>(`${select} WHERE t.agent_id = ? AND t.status IN ('queued', 'running')
            ORDER BY t.status = 'running' DESC, t.priority DESC, t.id`, agentId);
        const finished = this.db.all<TaskRow>(`${select} WHERE t.agent_id = ? AND t.status IN ('done', 'failed', 'cancelled')
            ORDER BY t.finished_at DESC, t.id DESC LIMIT ?`, agentId, finishedLimit);
        return [...open, ...finished].map(toTask);
    }

    /** The tasks a workflow run made for its steps, oldest first. */
    listForWorkflowRun(runId: number): TaskInfo[] {
        return this.db.all<TaskRow>(`${select} WHERE t.workflow_run_id = ? ORDER BY t.id`, runId).map(toTask);
    }

    /** The next task to run: highest priority, then oldest. */
    nextQueued(agentId: string): TaskInfo | undefined {
        const row = this.db.get<TaskRow>(`${select} WHERE t.agent_id = ? AND t.status = 'queued' ORDER BY t.priority DESC, t.id LIMIT 1`, agentId);
        return row && toTask(row);
    }

    /** Each agent's running and queued tasks, for the agents that have any (one read). */
    openCounts(): Map<string, { running: number; queued: number }> {
        const counts = new Map<string, { running: number; queued: number }>();
        for (const row of this.db.all<{ agent_id: string; status: TaskStatus; n: number }>(
            'SELECT agent_id, status, count(*) AS n FROM tasks WHERE status IN (\'queued\', \'running\') GROUP BY agent_id, status')) {
            const count = counts.get(row.agent_id) ?? { running: 0, queued: 0 };
            counts.set(row.agent_id, row.status === 'running' ? { ...count, running: row.n } : { ...count, queued: row.n });
        }
        return counts;
    }

    queuedCount(agentId: string): number {
        return this.db.get<{ n: number }>('SELECT count(*) AS n FROM tasks WHERE agent_id = ? AND status = \'queued\'', agentId)!.n;
    }

    running(): TaskInfo[] {
        return this.db.all<TaskRow>(`${select} WHERE t.status = 'running' ORDER BY t.id`).map(toTask);
    }

    /** queued -> running, counting the attempt. */
    start(id: number): TaskInfo {
        const changed = this.db.run('UPDATE tasks SET status = \'running\', started_at = ?, attempts = attempts + 1 WHERE id = ? AND status = \'queued\'', this.now(), id).changes;
        if (changed === 0) {
            throw new Error(`task ${id} is not queued; it cannot start.`);
        }
        return this.get(id)!;
    }

    /** running -> queued for another attempt; `refundAttempt` when the attempt was interrupted by us (a clean stop, a pause), not lost. */
    requeue(id: number, reason: string, refundAttempt: boolean): TaskInfo {
        this.db.run(`UPDATE tasks SET status = 'queued', started_at = NULL, last_error = ?, attempts = attempts - ? WHERE id = ? AND status = 'running'`,
            reason, refundAttempt ? 1 : 0, id);
        return this.get(id)!;
    }

    /** Ends a task (done, failed or cancelled) with its result, in one commit. */
    finish(id: number, status: 'done' | 'failed' | 'cancelled', result: TaskResult): TaskInfo {
        const at = this.now();
        this.db.transaction(tx => {
            tx.run('UPDATE tasks SET status = ?, finished_at = ?, last_error = coalesce(?, last_error) WHERE id = ?', status, at, result.error ?? null, id);
            tx.run('INSERT INTO task_results (task_id, outcome, result_json, recorded_at) VALUES (?, ?, ?, ?) ON CONFLICT (task_id) DO UPDATE SET outcome = excluded.outcome, result_json = excluded.result_json, recorded_at = excluded.recorded_at',
                id, status, JSON.stringify(result), at);
        });
        return this.get(id)!;
    }

    setPriority(id: number, priority: number): TaskInfo {
        this.db.run('UPDATE tasks SET priority = ? WHERE id = ? AND status = \'queued\'', priority, id);
        return this.get(id)!;
    }

    /** Done/failed counts, average queue wait and latency of finished tasks, per agent. */
    stats(agentId: string): { done: number; failed: number; cancelled: number; queued: number; avgQueueWaitMs: number; avgLatencyMs: number } {
        const row = this.db.get<{ done: number; failed: number; cancelled: number; queued: number; wait: number | null; latency: number | null }>(`
            SELECT sum(status = 'done') AS done, sum(status = 'failed') AS failed, sum(status = 'cancelled') AS cancelled, sum(status = 'queued') AS queued,
                   avg(CASE WHEN started_at IS NOT NULL THEN started_at - enqueued_at END) AS wait,
                   avg(CASE WHEN status = 'done' AND started_at IS NOT NULL THEN finished_at - started_at END) AS latency
              FROM tasks WHERE agent_id = ?`, agentId)!;
        return { done: row.done ?? 0, failed: row.failed ?? 0, cancelled: row.cancelled ?? 0, queued: row.queued ?? 0, avgQueueWaitMs: Math.round(row.wait ?? 0), avgLatencyMs: Math.round(row.latency ?? 0) };
    }
}
