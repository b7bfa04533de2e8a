import type { SqliteDatabase } from '../database/sqlite-database';
import type { SqlConnection } from '../database/sql-connection';
import { picoFromSql, Picodollars } from './money';
import type { PriceInterval, PriceSource } from './price-types';

/** A row of `token_usage` (written by the orchestrator), the ledger's source. */
export interface UsageRow {
    readonly id: number;
    readonly at: number;
    readonly agentId: string;
    readonly taskId: number | null;
    readonly provider: string;
    readonly model: string;
    readonly input: number;
    readonly output: number;
    readonly cacheRead: number;
    readonly cacheWrite: number;
    readonly reasoning: number;
}

/** One ledger entry as written: the usage row, its day key, and its exact cost (undefined: uncosted). */
export interface LedgerEntryRow extends UsageRow {
    readonly day: number;
    readonly costPico?: Picodollars;
    readonly pricedAs?: string;
    readonly priceSource?: PriceSource;
}

/** Sums over ledger entries: exact money, token counts by kind. */
export interface SpendSums {
    readonly costPico: Picodollars;
    readonly entries: number;
    readonly input: number;
    readonly cacheRead: number;
    readonly cacheWrite: number;
    readonly output: number;
    readonly reasoning: number;
    readonly uncostedEntries: number;
    readonly uncostedTokens: number;
}

interface SumRow {
    cost: string | null;
    entries: number | null;
    input: number | null;
    cache_read: number | null;
    cache_write: number | null;
    output: number | null;
    reasoning: number | null;
    uncosted_entries: number | null;
    uncosted_tokens: number | null;
}

const Tokens = 'input_tokens + cache_read_tokens + cache_write_tokens + output_tokens';
const SumColumns = `CAST(sum(cost_pico) AS TEXT) AS cost, sum(entries) AS entries, sum(input_tokens) AS input, sum(cache_read_tokens) AS cache_read,
    sum(cache_write_tokens) AS cache_write, sum(output_tokens) AS output, sum(reasoning_tokens) AS reasoning,
    sum(uncosted_entries) AS uncosted_entries, sum(uncosted_tokens) AS uncosted_tokens`;

function sums(row: SumRow | undefined): SpendSums {
    return {
        costPico: picoFromSql(row?.cost), entries: row?.entries ?? 0, input: row?.input ?? 0, cacheRead: row?.cache_read ?? 0,
        cacheWrite: row?.cache_write ?? 0, output: row?.output ?? 0, reasoning: row?.reasoning ?? 0,
        uncostedEntries: row?.uncosted_entries ?? 0, uncostedTokens: row?.uncosted_tokens ?? 0,
    };
}

/** Rollup upserts over the ledger entries a WHERE clause selects (`usage_id BETWEEN ? AND ?`, `model = ?`). */
function rollupDaily(where: string): string {
    return `INSERT INTO cost_daily (day, agent_id, model, entries, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_pico, uncosted_entries, uncosted_tokens)
        SELECT day, agent_id, model, count(*), sum(input_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
               coalesce(sum(cost_pico), 0), sum(cost_pico IS NULL), sum(CASE WHEN cost_pico IS NULL THEN ${Tokens} ELSE 0 END)
          FROM cost_ledger WHERE ${where} GROUP BY day, agent_id, model
        ON CONFLICT (day, agent_id, model) DO UPDATE SET entries = entries + excluded.entries, input_tokens = input_tokens + excluded.input_tokens,
            cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
            output_tokens = output_tokens + excluded.output_tokens, reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
            cost_pico = cost_pico + excluded.cost_pico, uncosted_entries = uncosted_entries + excluded.uncosted_entries,
            uncosted_tokens = uncosted_tokens + excluded.uncosted_tokens`;
}

function rollupHourly(where: string): string {
    return `INSERT INTO cost_hourly (hour, agent_id, model, entries, tokens, cost_pico, uncosted_tokens)
        SELECT (at / 3600000) * 3600000 AS h, agent_id, model, count(*), sum(${Tokens}), coalesce(sum(cost_pico), 0), sum(CASE WHEN cost_pico IS NULL THEN ${Tokens} ELSE 0 END)
          FROM cost_ledger WHERE ${where} GROUP BY h, agent_id, model
        ON CONFLICT (hour, agent_id, model) DO UPDATE SET entries = entries + excluded.entries, tokens = tokens + excluded.tokens,
            cost_pico = cost_pico + excluded.cost_pico, uncosted_tokens = uncosted_tokens + excluded.uncosted_tokens`;
}

function rollupTasks(where: string): string {
    return `INSERT INTO cost_tasks (task_id, agent_id, entries, tokens, cost_pico, uncosted_tokens, first_at, last_at)
        SELECT task_id, max(agent_id), count(*), sum(${Tokens}), coalesce(sum(cost_pico), 0), sum(CASE WHEN cost_pico IS NULL THEN ${Tokens} ELSE 0 END), min(at), max(at)
          FROM cost_ledger WHERE task_id IS NOT NULL AND (${where}) GROUP BY task_id
        ON CONFLICT (task_id) DO UPDATE SET entries = entries + excluded.entries, tokens = tokens + excluded.tokens, cost_pico = cost_pico + excluded.cost_pico,
            uncosted_tokens = uncosted_tokens + excluded.uncosted_tokens, first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)`;
}

/**
 * The SQL of the cost ledger (`metrics.db`: cost_ledger, its rollups cost_daily, cost_hourly,
 * cost_tasks, and cost_state). It reads `token_usage`, which the orchestrator writes.
 *
 * Invariant: the rollups always equal aggregates of cost_ledger. Every write that changes
 * entries updates them in the same transaction (`insert`, `reprice`, `rebuildDays`).
 */
export class LedgerRepository {
    constructor(protected readonly db: SqliteDatabase) {
        if (db.name !== 'metrics') {
            throw new Error(`The cost ledger needs the metrics database, not the ${db.label}`);
        }
    }

    lastUsageId(): number {
        return this.db.get<{ id: number | null }>('SELECT max(usage_id) AS id FROM cost_ledger')!.id ?? 0;
    }

    lastTokenUsageId(): number {
        return this.db.get<{ id: number | null }>('SELECT max(id) AS id FROM token_usage')!.id ?? 0;
    }

    usageAfter(id: number, limit: number): UsageRow[] {
        return this.db.all<{ id: number; at: number; agent_id: string; task_id: number | null; provider: string; model: string; i: number; o: number; r: number; w: number; x: number }>(
            `SELECT id, at, agent_id, task_id, provider, model, input_tokens AS i, output_tokens AS o, cache_read_tokens AS r, cache_write_tokens AS w, reasoning_tokens AS x
               FROM token_usage WHERE id > ? ORDER BY id LIMIT ?`, id, limit,
        ).map(r => ({
            id: r.id, at: r.at, agentId: r.agent_id, taskId: r.task_id, provider: r.provider, model: r.model,
            input: r.i, output: r.o, cacheRead: r.r, cacheWrite: r.w, reasoning: r.x,
        }));
    }

    /** Writes entries (ascending usage ids) and folds them into the rollups, in one transaction. */
    insert(entries: readonly LedgerEntryRow[]): void {
        if (!entries.length) {
            return;
        }
        const lo = entries[0].id;
        const hi = entries[entries.length - 1].id;
        this.db.transaction(tx => {
            for (const e of entries) {
                tx.run(`INSERT INTO cost_ledger (usage_id, at, day, agent_id, task_id, provider, model, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_pico, priced_as, price_source)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
                e.id, e.at, e.day, e.agentId, e.taskId, e.provider, e.model, e.input, e.cacheRead, e.cacheWrite, e.output, e.reasoning,
                e.costPico ?? null, e.pricedAs ?? null, e.priceSource ?? null);
            }
            const where = 'usage_id BETWEEN ? AND ?';
            tx.run(rollupDaily(where), lo, hi);
            tx.run(rollupHourly(where), lo, hi);
            tx.run(rollupTasks(where), lo, hi);
        });
    }

    /** Distinct models in the ledger. */
    models(): string[] {
        return this.db.all<{ model: string }>('SELECT DISTINCT model FROM cost_ledger ORDER BY model').map(r => r.model);
    }

    /**
     * Prices every entry of `model` again by its schedule, and rebuilds the rollups it touches,
     * in one transaction. SQLite's integer arithmetic is exact (64-bit), like the live path's bigint.
     */
    reprice(model: string, schedule: readonly PriceInterval[]): number {
        return this.db.transaction(tx => {
            let changed = 0;
            for (const interval of schedule) {
                const to = interval.to ?? Number.MAX_SAFE_INTEGER;
                const p = interval.price;
                if (!p) {
                    changed += tx.run('UPDATE cost_ledger SET cost_pico = NULL, priced_as = NULL, price_source = NULL WHERE model = ? AND at >= ? AND at < ?', model, interval.from, to).changes;
                    continue;
                }
                const lc = p.longContext ?? { aboveTokens: Number.MAX_SAFE_INTEGER, input: p.input, output: p.output, cacheRead: p.cacheRead, cacheWrite: p.cacheWrite };
                changed += tx.run(`UPDATE cost_ledger SET price_source = ?, priced_as = ?, cost_pico = CASE
                        WHEN input_tokens + cache_read_tokens + cache_write_tokens > ?
                        THEN input_tokens * ? + output_tokens * ? + cache_read_tokens * ? + cache_write_tokens * ?
                        ELSE input_tokens * ? + output_tokens * ? + cache_read_tokens * ? + cache_write_tokens * ? END
                    WHERE model = ? AND at >= ? AND at < ?`,
                interval.source ?? null, interval.pricedAs ?? null, lc.aboveTokens, lc.input, lc.output, lc.cacheRead, lc.cacheWrite,
                p.input, p.output, p.cacheRead, p.cacheWrite, model, interval.from, to).changes;
            }
            this.rebuildRollupsOfModel(tx, model);
            return changed;
        });
    }

    protected rebuildRollupsOfModel(tx: SqlConnection, model: string): void {
        tx.run('DELETE FROM cost_daily WHERE model = ?', model);
        tx.run(rollupDaily('model = ?'), model);
        tx.run('DELETE FROM cost_hourly WHERE model = ?', model);
        tx.run(rollupHourly('model = ?'), model);
        const touched = 'task_id IN (SELECT DISTINCT task_id FROM cost_ledger WHERE model = ? AND task_id IS NOT NULL)';
        tx.run(`DELETE FROM cost_tasks WHERE ${touched}`, model);
        tx.run(rollupTasks(touched), model);
    }

    /** Recomputes every entry's day key (the cost time zone changed) and the daily rollup, a chunk of entries at a time. */
    rebuildDays(dayKey: (at: number) => number, chunk = 50_000): void {
        let after = 0;
        for (;;) {
            const rows = this.db.all<{ usage_id: number; at: number }>('SELECT usage_id, at FROM cost_ledger WHERE usage_id > ? ORDER BY usage_id LIMIT ?', after, chunk);
            if (!rows.length) {
                break;
            }
            this.db.transaction(tx => {
                for (const r of rows) {
                    tx.run('UPDATE cost_ledger SET day = ? WHERE usage_id = ?', dayKey(r.at), r.usage_id);
                }
            });
            after = rows[rows.length - 1].usage_id;
        }
        this.db.transaction(tx => {
            tx.run('DELETE FROM cost_daily');
            tx.run(rollupDaily('1'));
        });
    }

    state(key: string): string | undefined {
        return this.db.get<{ value: string }>('SELECT value FROM cost_state WHERE key = ?', key)?.value;
    }

    setState(key: string, value: string, at: number): void {
        this.db.run('INSERT INTO cost_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at', key, value, at);
    }

    // ---- reads for the dashboard and the budgets (rollups only) ----

    /** Sums over days [fromDay, toDay], of one agent or all. */
    spend(fromDay: number, toDay: number, agentId?: string): SpendSums {
        return agentId === undefined
            ? sums(this.db.get<SumRow>(`SELECT ${SumColumns} FROM cost_daily WHERE day BETWEEN ? AND ?`, fromDay, toDay))
            : sums(this.db.get<SumRow>(`SELECT ${SumColumns} FROM cost_daily WHERE day BETWEEN ? AND ? AND agent_id = ?`, fromDay, toDay, agentId));
    }

    spendByAgent(fromDay: number, toDay: number): (SpendSums & { agentId: string })[] {
        return this.db.all<SumRow & { agent_id: string }>(`SELECT agent_id, ${SumColumns} FROM cost_daily WHERE day BETWEEN ? AND ? GROUP BY agent_id`, fromDay, toDay)
            .map(r => ({ agentId: r.agent_id, ...sums(r) }));
    }

    spendByModel(fromDay: number, toDay: number): (SpendSums & { model: string })[] {
        return this.db.all<SumRow & { model: string }>(`SELECT model, ${SumColumns} FROM cost_daily WHERE day BETWEEN ? AND ? GROUP BY model`, fromDay, toDay)
            .map(r => ({ model: r.model, ...sums(r) }));
    }

    dailyByAgent(fromDay: number, toDay: number): { day: number; agentId: string; costPico: Picodollars; tokens: number; uncostedTokens: number }[] {
        return this.db.all<{ day: number; agent_id: string; cost: string | null; tokens: number; uncosted: number }>(
            `SELECT day, agent_id, CAST(sum(cost_pico) AS TEXT) AS cost, sum(${Tokens}) AS tokens, sum(uncosted_tokens) AS uncosted
               FROM cost_daily WHERE day BETWEEN ? AND ? GROUP BY day, agent_id ORDER BY day`, fromDay, toDay,
        ).map(r => ({ day: r.day, agentId: r.agent_id, costPico: picoFromSql(r.cost), tokens: r.tokens, uncostedTokens: r.uncosted }));
    }

    hourlyByAgent(fromAt: number, toAt: number): { hour: number; agentId: string; costPico: Picodollars; tokens: number; uncostedTokens: number }[] {
        return this.db.all<{ hour: number; agent_id: string; cost: string | null; tokens: number; uncosted: number }>(
            `SELECT hour, agent_id, CAST(sum(cost_pico) AS TEXT) AS cost, sum(tokens) AS tokens, sum(uncosted_tokens) AS uncosted
               FROM cost_hourly WHERE hour >= ? AND hour < ? GROUP BY hour, agent_id ORDER BY hour`, fromAt, toAt,
        ).map(r => ({ hour: r.hour, agentId: r.agent_id, costPico: picoFromSql(r.cost), tokens: r.tokens, uncostedTokens: r.uncosted }));
    }

    /** What the given tasks cost together (their rollups in cost_tasks); unpriced usage counts nothing. */
    spendOfTasks(taskIds: readonly number[]): Picodollars {
        let total = 0n;
        // SQLite binds at most 32766 parameters a statement; a tree is read in chunks well below.
        for (let i = 0; i < taskIds.length; i += 500) {
            const chunk = taskIds.slice(i, i + 500);
            total += picoFromSql(this.db.get<{ cost: string | null }>(
                `SELECT CAST(sum(cost_pico) AS TEXT) AS cost FROM cost_tasks WHERE task_id IN (${chunk.map(() => '?').join(', ')})`, ...chunk)?.cost);
        }
        return total;
    }

    /** The most expensive tasks active since `fromAt` (by their last entry). */
    topTasks(fromAt: number, limit: number): { taskId: number; agentId: string; costPico: Picodollars; tokens: number; uncostedTokens: number; entries: number; firstAt: number; lastAt: number }[] {
        return this.db.all<{ task_id: number; agent_id: string; cost: string; tokens: number; uncosted_tokens: number; entries: number; first_at: number; last_at: number }>(
            `SELECT task_id, agent_id, CAST(cost_pico AS TEXT) AS cost, tokens, uncosted_tokens, entries, first_at, last_at
               FROM cost_tasks INDEXED BY cost_tasks_by_cost WHERE last_at >= ? ORDER BY cost_pico DESC, task_id LIMIT ?`, fromAt, limit,
        ).map(r => ({
            taskId: r.task_id, agentId: r.agent_id, costPico: picoFromSql(r.cost), tokens: r.tokens, uncostedTokens: r.uncosted_tokens,
            entries: r.entries, firstAt: r.first_at, lastAt: r.last_at,
        }));
    }

    /**
     * Ledger entries with `at` in [fromAt, toAt) in time order, `limit` of them after the cursor
     * (the last entry of the previous page), for exports a page at a time; walks the `at` index.
     */
    entries(fromAt: number, toAt: number, after: { at: number; id: number } | undefined, limit: number): LedgerEntryRow[] {
        const cursor = after ?? { at: fromAt - 1, id: Number.MAX_SAFE_INTEGER };
        return this.db.all<EntrySqlRow>(`SELECT ${EntryColumns} FROM cost_ledger INDEXED BY cost_ledger_by_at
              WHERE at >= ? AND at < ? AND (at > ? OR (at = ? AND usage_id > ?)) ORDER BY at, usage_id LIMIT ?`,
        Math.max(fromAt, cursor.at), toAt, cursor.at, cursor.at, cursor.id, limit).map(entryFromSql);
    }

    /** One ledger entry by its usage id. */
    entry(usageId: number): LedgerEntryRow | undefined {
        const row = this.db.get<EntrySqlRow>(`SELECT ${EntryColumns} FROM cost_ledger WHERE usage_id = ?`, usageId);
        return row && entryFromSql(row);
    }
}

const EntryColumns = `usage_id, at, day, agent_id, task_id, provider, model, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
    CAST(cost_pico AS TEXT) AS cost, priced_as, price_source`;

interface EntrySqlRow {
    usage_id: number; at: number; day: number; agent_id: string; task_id: number | null; provider: string; model: string;
    input_tokens: number; cache_read_tokens: number; cache_write_tokens: number; output_tokens: number; reasoning_tokens: number;
    cost: string | null; priced_as: string | null; price_source: PriceSource | null;
}

function entryFromSql(r: EntrySqlRow): LedgerEntryRow {
    return {
        id: r.usage_id, at: r.at, day: r.day, agentId: r.agent_id, taskId: r.task_id, provider: r.provider, model: r.model,
        input: r.input_tokens, cacheRead: r.cache_read_tokens, cacheWrite: r.cache_write_tokens, output: r.output_tokens, reasoning: r.reasoning_tokens,
        costPico: r.cost === null ? undefined : BigInt(r.cost), pricedAs: r.priced_as ?? undefined, priceSource: r.price_source ?? undefined,
    };
}
