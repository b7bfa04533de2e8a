import { Migration } from '../migrations';

/** `tasks.db`: per-agent priority queues and results. Agents live in agents.db: no cross-file foreign keys. */
export const tasksMigrations: readonly Migration[] = [{
    version: 1,
    description: 'tasks, task_results',
    up: `
        CREATE TABLE tasks (
            id          INTEGER PRIMARY KEY,
            agent_id    TEXT NOT NULL,
            priority    INTEGER NOT NULL DEFAULT 0,
            status      TEXT NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
            payload_json TEXT NOT NULL,
            enqueued_at INTEGER NOT NULL,
            started_at  INTEGER,
            finished_at INTEGER
        ) STRICT;
        -- the next task of an agent: highest priority first, then oldest
        CREATE INDEX tasks_queue ON tasks(agent_id, status, priority DESC, id);
        CREATE TABLE task_results (
            task_id     INTEGER PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
            outcome     TEXT NOT NULL,
            result_json TEXT NOT NULL,
            recorded_at INTEGER NOT NULL
        ) STRICT;
    `,
}, {
    version: 2,
    description: 'orchestrator: attempts and their limit, delegation parent, last error',
    up: `
        ALTER TABLE tasks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tasks ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 2;
        ALTER TABLE tasks ADD COLUMN parent_task_id INTEGER;
        ALTER TABLE tasks ADD COLUMN last_error TEXT;
        CREATE INDEX tasks_by_status ON tasks(status);
        CREATE INDEX tasks_by_parent ON tasks(parent_task_id) WHERE parent_task_id IS NOT NULL;
    `,
}, {
    version: 3,
    description: 'workflow runs; a task made for a workflow step names its run',
    up: `
        CREATE TABLE workflow_runs (
            id              INTEGER PRIMARY KEY,
            name            TEXT NOT NULL,
            input           TEXT NOT NULL,
            -- the workflow as the run started: editing its file later does not change a run under way
            definition_json TEXT NOT NULL,
            status          TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
            started_by      TEXT NOT NULL,
            started_at      INTEGER NOT NULL,
            finished_at     INTEGER,
            error           TEXT
        ) STRICT;
        CREATE INDEX workflow_runs_running ON workflow_runs(status) WHERE status = 'running';
        ALTER TABLE tasks ADD COLUMN workflow_run_id INTEGER;
        CREATE INDEX tasks_by_workflow_run ON tasks(workflow_run_id) WHERE workflow_run_id IS NOT NULL;
    `,
}];
