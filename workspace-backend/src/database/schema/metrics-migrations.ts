import { Migration } from '../migrations';

/** `metrics.db`: token usage, cost ledger, budgets, latency samples. Money is in micro-dollars (integers). */
export const metricsMigrations: readonly Migration[] = [{
    version: 1,
    description: 'token_usage, cost_ledger, budgets, latency_samples',
    up: `
        CREATE TABLE token_usage (
            id          INTEGER PRIMARY KEY,
            agent_id    TEXT NOT NULL,
            provider    TEXT NOT NULL,
            model       TEXT NOT NULL,
            input_tokens  INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            at          INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX token_usage_by_agent ON token_usage(agent_id, at);
        CREATE TABLE cost_ledger (
            id          INTEGER PRIMARY KEY,
            agent_id    TEXT NOT NULL,
            usage_id    INTEGER REFERENCES token_usage(id) ON DELETE SET NULL,
            amount_micro_usd INTEGER NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            at          INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX cost_ledger_by_agent ON cost_ledger(agent_id, at);
        CREATE TABLE budgets (
            scope       TEXT PRIMARY KEY,
            limit_micro_usd INTEGER NOT NULL CHECK (limit_micro_usd >= 0),
            period      TEXT NOT NULL CHECK (period IN ('day', 'week', 'month', 'total')),
            updated_at  INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE latency_samples (
            id          INTEGER PRIMARY KEY,
            operation   TEXT NOT NULL,
            millis      REAL NOT NULL,
            at          INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX latency_samples_by_operation ON latency_samples(operation, at);
    `,
}, {
    version: 2,
    description: 'token_usage per task, with cache and reasoning tokens',
    up: `
        ALTER TABLE token_usage ADD COLUMN task_id INTEGER;
        ALTER TABLE token_usage ADD COLUMN cache_read_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE token_usage ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE token_usage ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX token_usage_by_task ON token_usage(task_id) WHERE task_id IS NOT NULL;
    `,
}];
