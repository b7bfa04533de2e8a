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
}];
