import { Migration } from '../migrations';

/** `metrics.db`: token usage, cost ledger, budgets, latency samples. Money is in pico-dollars (integers) from version 3 on. */
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
}, {
    version: 3,
    description: 'cost ledger in pico-dollars with daily, hourly and per-task rollups; budgets per workspace and agent; infrastructure uptime',
    up: `
        -- Version 1's cost_ledger and budgets were placeholders no release wrote to.
        DROP TABLE cost_ledger;
        DROP TABLE budgets;
        -- One entry per token_usage row (usage_id is its id), priced at the row's time. Money is
        -- INTEGER pico-dollars (10^-12 USD); cost_pico NULL means no price was known: uncosted.
        CREATE TABLE cost_ledger (
            usage_id           INTEGER PRIMARY KEY,
            at                 INTEGER NOT NULL,
            day                INTEGER NOT NULL,
            agent_id           TEXT NOT NULL,
            task_id            INTEGER,
            provider           TEXT NOT NULL,
            model              TEXT NOT NULL,
            input_tokens       INTEGER NOT NULL,
            cache_read_tokens  INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL,
            output_tokens      INTEGER NOT NULL,
            reasoning_tokens   INTEGER NOT NULL,
            cost_pico          INTEGER,
            priced_as          TEXT,
            price_source       TEXT
        ) STRICT;
        CREATE INDEX cost_ledger_by_at ON cost_ledger(at);
        CREATE INDEX cost_ledger_by_model ON cost_ledger(model, at);
        CREATE INDEX cost_ledger_by_task ON cost_ledger(task_id) WHERE task_id IS NOT NULL;
        -- Rollups the dashboard and the budgets read, kept in the same transaction as the entries.
        -- day is yyyymmdd in the cost time zone (cost_state 'timezone'); hour is the UTC hour's epoch ms.
        CREATE TABLE cost_daily (
            day                INTEGER NOT NULL,
            agent_id           TEXT NOT NULL,
            model              TEXT NOT NULL,
            entries            INTEGER NOT NULL,
            input_tokens       INTEGER NOT NULL,
            cache_read_tokens  INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL,
            output_tokens      INTEGER NOT NULL,
            reasoning_tokens   INTEGER NOT NULL,
            cost_pico          INTEGER NOT NULL,
            uncosted_entries   INTEGER NOT NULL,
            uncosted_tokens    INTEGER NOT NULL,
            PRIMARY KEY (day, agent_id, model)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE cost_hourly (
            hour               INTEGER NOT NULL,
            agent_id           TEXT NOT NULL,
            model              TEXT NOT NULL,
            entries            INTEGER NOT NULL,
            tokens             INTEGER NOT NULL,
            cost_pico          INTEGER NOT NULL,
            uncosted_tokens    INTEGER NOT NULL,
            PRIMARY KEY (hour, agent_id, model)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE cost_tasks (
            task_id            INTEGER PRIMARY KEY,
            agent_id           TEXT NOT NULL,
            entries            INTEGER NOT NULL,
            tokens             INTEGER NOT NULL,
            cost_pico          INTEGER NOT NULL,
            uncosted_tokens    INTEGER NOT NULL,
            first_at           INTEGER NOT NULL,
            last_at            INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX cost_tasks_by_cost ON cost_tasks(cost_pico DESC, last_at);
        -- Small facts about the ledger: the time zone of its day keys, each model's price fingerprint, the preference's price overrides.
        CREATE TABLE cost_state (
            key                TEXT PRIMARY KEY,
            value              TEXT NOT NULL,
            updated_at         INTEGER NOT NULL
        ) STRICT;
        -- scope is 'workspace' or 'agent:<id>'.
        CREATE TABLE budgets (
            scope              TEXT NOT NULL,
            period             TEXT NOT NULL CHECK (period IN ('day', 'month')),
            limit_pico         INTEGER NOT NULL CHECK (limit_pico > 0),
            updated_at         INTEGER NOT NULL,
            updated_by         TEXT NOT NULL,
            PRIMARY KEY (scope, period)
        ) STRICT;
        -- Thresholds already announced, per budget period and limit: a restart does not repeat them, a raised limit re-arms them.
        CREATE TABLE budget_alerts (
            scope              TEXT NOT NULL,
            period             TEXT NOT NULL,
            period_start       INTEGER NOT NULL,
            limit_pico         INTEGER NOT NULL,
            threshold          INTEGER NOT NULL,
            spent_pico         INTEGER NOT NULL,
            at                 INTEGER NOT NULL,
            PRIMARY KEY (scope, period, period_start, limit_pico, threshold)
        ) STRICT, WITHOUT ROWID;
        -- Agents the budgets paused, so they are resumed (and only they) when no budget holds them any more.
        CREATE TABLE budget_pauses (
            agent_id           TEXT PRIMARY KEY,
            scope              TEXT NOT NULL,
            period             TEXT NOT NULL,
            reason             TEXT NOT NULL,
            at                 INTEGER NOT NULL
        ) STRICT;
        -- When the studio ran, for infrastructure cost: one row per run, last_seen_at advanced every minute.
        CREATE TABLE infra_uptime (
            id                 INTEGER PRIMARY KEY,
            started_at         INTEGER NOT NULL,
            last_seen_at       INTEGER NOT NULL,
            vcpus              REAL NOT NULL
        ) STRICT;
    `,
}, {
    version: 4,
    description: 'token_usage rows imported from elsewhere (a v1 migration) carry the key of their source record',
    // A row with an import_key was copied, not recorded live: the key makes a repeated import
    // insert nothing (INSERT OR IGNORE), so an import cut off part way is simply run again.
    up: `
        ALTER TABLE token_usage ADD COLUMN import_key TEXT;
        CREATE UNIQUE INDEX token_usage_by_import_key ON token_usage(import_key) WHERE import_key IS NOT NULL;
    `,
}];
