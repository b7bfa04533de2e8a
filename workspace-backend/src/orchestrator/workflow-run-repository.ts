import type { SqliteDatabase } from '../database/sqlite-database';
import type { WorkflowDefinition } from './workflow-definition';

export type WorkflowRunStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** A run as recorded: the workflow as it started, and how it ended. */
export interface WorkflowRunRecord {
    readonly id: number;
    readonly definition: WorkflowDefinition;
    readonly input: string;
    readonly status: WorkflowRunStatus;
    /** A principal id (`user:ada`): the steps' tasks are given in that name. */
    readonly startedBy: string;
    readonly startedAt: number;
    readonly finishedAt?: number;
    readonly error?: string;
}

interface RunRow {
    id: number; name: string; input: string; definition_json: string; status: WorkflowRunStatus;
    started_by: string; started_at: number; finished_at: number | null; error: string | null;
}

const toRecord = (row: RunRow): WorkflowRunRecord => ({
    id: row.id, definition: JSON.parse(row.definition_json) as WorkflowDefinition, input: row.input, status: row.status,
    startedBy: row.started_by, startedAt: row.started_at, finishedAt: row.finished_at ?? undefined, error: row.error ?? undefined,
});

/** Workflow runs in tasks.db, beside the tasks their steps became (tasks.workflow_run_id). */
export class WorkflowRunRepository {
    constructor(protected readonly db: SqliteDatabase, protected readonly now: () => number = Date.now) {
        if (db.name !== 'tasks') {
            throw new Error(`WorkflowRunRepository needs the tasks database, not the ${db.label}`);
        }
    }

    insert(definition: WorkflowDefinition, input: string, startedBy: string): WorkflowRunRecord {
        const { lastInsertRowid } = this.db.run(
            `INSERT INTO workflow_runs (name, input, definition_json, status, started_by, started_at) VALUES (?, ?, ?, 'running', ?, ?)`,
            definition.name, input, JSON.stringify(definition), startedBy, this.now());
        return this.get(Number(lastInsertRowid))!;
    }

    get(id: number): WorkflowRunRecord | undefined {
        const row = this.db.get<RunRow>('SELECT * FROM workflow_runs WHERE id = ?', id);
        return row && toRecord(row);
    }

    /** Running runs first, then the others newest first. */
    list(limit: number): WorkflowRunRecord[] {
        return this.db.all<RunRow>(`SELECT * FROM workflow_runs ORDER BY status = 'running' DESC, id DESC LIMIT ?`, limit).map(toRecord);
    }

    running(): WorkflowRunRecord[] {
        return this.db.all<RunRow>(`SELECT * FROM workflow_runs WHERE status = 'running' ORDER BY id`).map(toRecord);
    }

    /** running -> its end; a run already ended stays as it ended. */
    finish(id: number, status: Exclude<WorkflowRunStatus, 'running'>, error?: string): WorkflowRunRecord {
        this.db.run(`UPDATE workflow_runs SET status = ?, finished_at = ?, error = ? WHERE id = ? AND status = 'running'`, status, this.now(), error ?? null, id);
        return this.get(id)!;
    }
}
