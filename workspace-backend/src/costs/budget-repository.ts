import type { SqliteDatabase } from '../database/sqlite-database';
import type { BudgetPeriod } from './cost-calendar';
import type { BudgetKey } from './cost-types';
import type { Picodollars } from './money';

export interface BudgetRow {
    readonly key: BudgetKey;
    readonly limitPico: Picodollars;
    readonly updatedAt: number;
    readonly updatedBy: string;
}

/** `workspace` or `agent:<id>`: the scope column. */
export function scopeText(key: BudgetKey): string {
    return key.scope === 'workspace' ? 'workspace' : `agent:${key.agentId}`;
}

function keyOf(scope: string, period: BudgetPeriod): BudgetKey {
    return scope.startsWith('agent:') ? { scope: 'agent', agentId: scope.slice('agent:'.length), period } : { scope: 'workspace', period };
}

/** The SQL of budgets (`metrics.db`: budgets, budget_alerts, budget_pauses). */
export class BudgetRepository {
    constructor(protected readonly db: SqliteDatabase) { }

    list(): BudgetRow[] {
        return this.db.all<{ scope: string; period: BudgetPeriod; limit_pico: string; updated_at: number; updated_by: string }>(
            'SELECT scope, period, CAST(limit_pico AS TEXT) AS limit_pico, updated_at, updated_by FROM budgets ORDER BY scope <> \'workspace\', scope, period',
        ).map(r => ({ key: keyOf(r.scope, r.period), limitPico: BigInt(r.limit_pico), updatedAt: r.updated_at, updatedBy: r.updated_by }));
    }

    get(key: BudgetKey): BudgetRow | undefined {
        return this.list().find(b => scopeText(b.key) === scopeText(key) && b.key.period === key.period);
    }

    set(key: BudgetKey, limitPico: Picodollars, at: number, by: string): void {
        this.db.run(`INSERT INTO budgets (scope, period, limit_pico, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT (scope, period) DO UPDATE SET limit_pico = excluded.limit_pico, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        scopeText(key), key.period, limitPico, at, by);
    }

    remove(key: BudgetKey): boolean {
        return this.db.run('DELETE FROM budgets WHERE scope = ? AND period = ?', scopeText(key), key.period).changes > 0;
    }

    /** The thresholds already announced for this budget's period at this limit. */
    announced(key: BudgetKey, periodStart: number, limitPico: Picodollars): Set<number> {
        return new Set(this.db.all<{ threshold: number }>(
            'SELECT threshold FROM budget_alerts WHERE scope = ? AND period = ? AND period_start = ? AND limit_pico = ?', scopeText(key), key.period, periodStart, limitPico,
        ).map(r => r.threshold));
    }

    recordAlerts(key: BudgetKey, periodStart: number, limitPico: Picodollars, thresholds: readonly number[], spentPico: Picodollars, at: number): void {
        this.db.transaction(tx => {
            for (const threshold of thresholds) {
                tx.run(`INSERT OR IGNORE INTO budget_alerts (scope, period, period_start, limit_pico, threshold, spent_pico, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
                    scopeText(key), key.period, periodStart, limitPico, threshold, spentPico, at);
            }
        });
    }

    /** Agents the budgets hold paused, with the budget that paused them. */
    pausedAgents(): Map<string, { key: BudgetKey; reason: string; at: number }> {
        return new Map(this.db.all<{ agent_id: string; scope: string; period: BudgetPeriod; reason: string; at: number }>('SELECT * FROM budget_pauses')
            .map(r => [r.agent_id, { key: keyOf(r.scope, r.period), reason: r.reason, at: r.at }]));
    }

    recordPause(agentId: string, key: BudgetKey, reason: string, at: number): void {
        this.db.run(`INSERT INTO budget_pauses (agent_id, scope, period, reason, at) VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT (agent_id) DO UPDATE SET scope = excluded.scope, period = excluded.period, reason = excluded.reason, at = excluded.at`,
        agentId, scopeText(key), key.period, reason, at);
    }

    clearPause(agentId: string): void {
        this.db.run('DELETE FROM budget_pauses WHERE agent_id = ?', agentId);
    }
}

/**
 * The budgets' pauses as they stood when the backend stopped, for the orchestrator to bring those
 * agents up paused. The budgets re-evaluate once the costs start and resume any whose budget no
 * longer holds them (a new day or month while the studio was down).
 */
export function budgetPausesAtStart(db: SqliteDatabase): (agentId: string) => string | undefined {
    const paused = new BudgetRepository(db).pausedAgents();
    return agentId => paused.get(agentId)?.reason;
}
