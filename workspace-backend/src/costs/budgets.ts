import { Emitter, Event } from '../common/emitter';
import type { SqliteDatabase } from '../database/sqlite-database';
import type { BudgetPeriod, CostCalendar } from './cost-calendar';
import type { CostAgents } from './cost-agents';
import { BudgetEvent, BudgetKey, BudgetStatus, BudgetThreshold, BudgetThresholds } from './cost-types';
import { BudgetRepository, BudgetRow, scopeText } from './budget-repository';
import type { LedgerRepository } from './ledger-repository';
import { formatUsd, Picodollars, PicoPerUsd } from './money';

/** Above this a limit no longer fits SQLite's 64-bit integers with room for sums. */
export const MaxBudgetPico = 1_000_000n * PicoPerUsd;

const periodWord: Record<BudgetPeriod, string> = { day: 'daily', month: 'monthly' };

/** Why budgets are evaluated: the trigger decides what a resume says. */
export type BudgetTrigger =
    | { readonly kind: 'usage'; readonly taskByAgent: ReadonlyMap<string, number | undefined> }
    | { readonly kind: 'start' }
    | { readonly kind: 'rollover' }
    | { readonly kind: 'repriced' }
    | { readonly kind: 'changed'; readonly key: BudgetKey; readonly removed: boolean };

interface Evaluated {
    readonly row: BudgetRow;
    readonly spent: Picodollars;
    readonly uncostedTokens: number;
    readonly periodStart: number;
    readonly periodEnd: number;
}

/**
 * Budgets per workspace and per agent, daily and monthly, over the cost ledger's spend.
 *
 * Invariants:
 * - A threshold (50, 75, 90, 100%) is announced once per budget, period and limit: recorded in
 *   budget_alerts before the event fires, so a restart never repeats it and a raised limit re-arms it.
 * - An agent is held paused exactly while some budget covering it (its own, the workspace's)
 *   is used up; the budgets pause it after its current step and resume it (only the agents they
 *   paused, recorded in budget_pauses) when none holds it any more: raised, removed, or rolled over.
 * - Uncosted usage cannot be priced, so it never counts against a budget; it is reported beside it.
 */
export class BudgetManager {
    protected readonly events = new Emitter<BudgetEvent>();
    readonly onBudgetEvent: Event<BudgetEvent> = this.events.event;
    protected readonly repository: BudgetRepository;
    protected rolloverTimer: NodeJS.Timeout | undefined;
    protected disposed = false;

    constructor(
        db: SqliteDatabase,
        protected readonly ledger: LedgerRepository,
        protected readonly calendar: CostCalendar,
        protected readonly agents: CostAgents,
        protected readonly now: () => number = Date.now,
    ) {
        this.repository = new BudgetRepository(db);
    }

    /** Evaluates every budget (pausing or resuming what changed while the studio was down) and arms the rollover timer. */
    start(): void {
        this.evaluate({ kind: 'start' });
        this.armRollover();
    }

    dispose(): void {
        this.disposed = true;
        clearTimeout(this.rolloverTimer);
        this.events.dispose();
    }

    statuses(): BudgetStatus[] {
        const paused = this.repository.pausedAgents();
        return this.repository.list().map(row => this.toStatus(this.measure(row, this.now()), paused));
    }

    /** Sets a budget (an admin's action; the caller checks the role). Raising a used-up budget resumes what it paused. */
    set(key: BudgetKey, limitPico: Picodollars, by: string): BudgetStatus {
        this.validate(key);
        if (limitPico <= 0n) {
            throw new Error('A budget must be more than $0; to lift a budget, remove it.');
        }
        if (limitPico > MaxBudgetPico) {
            throw new Error(`A budget may be at most ${formatUsd(MaxBudgetPico)}; that one was ${formatUsd(limitPico)}.`);
        }
        const at = this.now();
        this.repository.set(key, limitPico, at, by);
        const evaluated = this.measure(this.repository.get(key)!, at);
        this.fire({
            kind: 'changed', at, budget: key, spentPico: evaluated.spent.toString(), limitPico: limitPico.toString(), by,
            periodStart: evaluated.periodStart, periodEnd: evaluated.periodEnd, agentIds: [],
            message: `${by} set ${this.possessive(key)} ${periodWord[key.period]} budget to ${formatUsd(limitPico)} (${formatUsd(evaluated.spent)} spent so far).`,
        });
        this.evaluate({ kind: 'changed', key, removed: false });
        return this.statuses().find(s => sameKey(s.budget, key))!;
    }

    remove(key: BudgetKey, by: string): void {
        this.validate(key, false);
        if (!this.repository.remove(key)) {
            throw new Error(`${this.label(key)} has no budget to remove.`);
        }
        const at = this.now();
        const { start, end } = this.calendar.period(key.period, at);
        this.fire({
            kind: 'removed', at, budget: key, spentPico: '0', limitPico: null, by, periodStart: start, periodEnd: end, agentIds: [],
            message: `${by} removed ${this.possessive(key)} ${periodWord[key.period]} budget.`,
        });
        this.evaluate({ kind: 'changed', key, removed: true });
    }

    /** Announces thresholds newly crossed and pauses or resumes agents to match; runs after every ledger change. */
    evaluate(trigger: BudgetTrigger): void {
        if (this.disposed) {
            return;
        }
        const at = this.now();
        const measured = this.repository.list().map(row => this.measure(row, at));
        // Announced after the pauses and resumes they cause, so a raised limit reads "resumed", then "50% used".
        const announcements: Omit<BudgetEvent, 'agentIds'>[] = [];
        for (const m of measured) {
            const crossed = BudgetThresholds.filter(t => m.spent * 100n >= m.row.limitPico * BigInt(t));
            if (!crossed.length) {
                continue;
            }
            const announced = this.repository.announced(m.row.key, m.periodStart, m.row.limitPico);
            const fresh = crossed.filter(t => !announced.has(t));
            if (!fresh.length) {
                continue;
            }
            this.repository.recordAlerts(m.row.key, m.periodStart, m.row.limitPico, fresh, m.spent, at);
            const threshold = fresh[fresh.length - 1] as BudgetThreshold;
            const key = m.row.key;
            const base = {
                at, budget: key, threshold, spentPico: m.spent.toString(), limitPico: m.row.limitPico.toString(),
                periodStart: m.periodStart, periodEnd: m.periodEnd, taskId: trigger.kind === 'usage' ? this.taskOf(key, trigger.taskByAgent) : undefined,
            };
            announcements.push(threshold === 100
                ? { ...base, kind: 'exceeded', message: `${this.exceededSentence(m)}: ${key.scope === 'workspace' ? 'every agent pauses' : `${this.agentName(key.agentId)} pauses`} after its current step.` }
                : { ...base, kind: 'warning', message: `${this.capitalised(this.possessive(key))} ${periodWord[key.period]} budget: ${threshold}% used (${formatUsd(m.spent)} of ${formatUsd(m.row.limitPico)}).` });
        }
        this.reconcilePauses(measured, trigger);
        for (const event of announcements) {
            const agentIds = event.kind !== 'exceeded' ? [] : event.budget.scope === 'workspace' ? this.agents.list().map(a => a.id) : [event.budget.agentId];
            this.fire({ ...event, agentIds });
        }
    }

    protected reconcilePauses(measured: readonly Evaluated[], trigger: BudgetTrigger): void {
        const at = this.now();
        const paused = this.repository.pausedAgents();
        const exceeded = measured.filter(m => m.spent >= m.row.limitPico);
        const resumed = new Map<string, { key: BudgetKey; agentIds: string[] }>();
        const known = new Set<string>();
        for (const agent of this.agents.list()) {
            known.add(agent.id);
            const holding = exceeded.find(m => m.row.key.scope === 'agent' && m.row.key.agentId === agent.id) ?? exceeded.find(m => m.row.key.scope === 'workspace');
            const record = paused.get(agent.id);
            if (holding) {
                if (agent.state !== 'paused' || !record) {
                    const reason = `paused (budget): ${this.exceededSentence(holding)}`;
                    this.agents.pauseAfterStep(agent.id, reason);
                    if (!record || scopeText(record.key) !== scopeText(holding.row.key) || record.key.period !== holding.row.key.period) {
                        this.repository.recordPause(agent.id, holding.row.key, reason, at);
                    }
                }
            } else if (record) {
                this.repository.clearPause(agent.id);
                if (agent.state === 'paused' || agent.state === 'loading' || agent.state === 'executing' || agent.state === 'waiting') {
                    this.agents.resume(agent.id, `resumed (budget): ${this.resumeWhy(record.key, trigger)}`);
                }
                const group = resumed.get(scopeText(record.key) + record.key.period) ?? { key: record.key, agentIds: [] };
                group.agentIds.push(agent.id);
                resumed.set(scopeText(record.key) + record.key.period, group);
            }
        }
        for (const agentId of paused.keys()) {
            if (!known.has(agentId)) {
                // Its definition was removed: nothing to resume.
                this.repository.clearPause(agentId);
            }
        }
        for (const { key, agentIds } of resumed.values()) {
            const row = measured.find(m => sameKey(m.row.key, key));
            const { start, end } = this.calendar.period(key.period, at);
            const names = agentIds.map(id => this.agentName(id)).join(', ');
            this.fire({
                kind: 'resumed', at, budget: key, spentPico: (row?.spent ?? 0n).toString(), limitPico: row ? row.row.limitPico.toString() : null,
                periodStart: row?.periodStart ?? start, periodEnd: row?.periodEnd ?? end, agentIds,
                message: `${names} ${agentIds.length === 1 ? 'resumes' : 'resume'}: ${this.resumeWhy(key, trigger)}.`,
            });
        }
    }

    protected resumeWhy(key: BudgetKey, trigger: BudgetTrigger): string {
        const budget = `${this.possessive(key)} ${periodWord[key.period]} budget`;
        if (trigger.kind === 'changed' && sameKey(trigger.key, key)) {
            if (trigger.removed) {
                return `${budget} was removed`;
            }
            const row = this.repository.get(key);
            return `${budget} was raised to ${row ? formatUsd(row.limitPico) : 'more'}`;
        }
        if (trigger.kind === 'rollover' || trigger.kind === 'start') {
            return `${budget} has a new ${key.period === 'day' ? 'day' : 'month'}`;
        }
        if (trigger.kind === 'repriced') {
            return `${budget} is no longer used up at the changed prices`;
        }
        return `${budget} is no longer used up`;
    }

    protected measure(row: BudgetRow, at: number): Evaluated {
        const { start, end } = this.calendar.period(row.key.period, at);
        const today = this.calendar.dayKey(at);
        const first = row.key.period === 'day' ? today : this.calendar.monthKeys(at).first;
        const spend = this.ledger.spend(first, today, row.key.scope === 'agent' ? row.key.agentId : undefined);
        return { row, spent: spend.costPico, uncostedTokens: spend.uncostedTokens, periodStart: start, periodEnd: end };
    }

    protected toStatus(m: Evaluated, paused: ReadonlyMap<string, { key: BudgetKey }>): BudgetStatus {
        const limit = m.row.limitPico;
        return {
            budget: m.row.key, label: `${this.label(m.row.key)}, ${periodWord[m.row.key.period]}`,
            limitPico: limit.toString(), spentPico: m.spent.toString(),
            percent: Number((m.spent * 10_000n) / limit) / 100,
            level: m.spent >= limit ? 'exceeded' : m.spent * 2n >= limit ? 'warning' : 'ok',
            periodStart: m.periodStart, periodEnd: m.periodEnd, uncostedTokens: m.uncostedTokens,
            pausedAgents: [...paused].filter(([, p]) => sameKey(p.key, m.row.key)).map(([id]) => id),
            updatedAt: m.row.updatedAt, updatedBy: m.row.updatedBy,
        };
    }

    protected armRollover(): void {
        if (this.disposed) {
            return;
        }
        const at = this.now();
        // The next day start is never after the next month start.
        const delay = Math.max(1000, this.calendar.nextDayStart(at) - at + 1000);
        this.rolloverTimer = setTimeout(() => {
            this.evaluate({ kind: 'rollover' });
            this.armRollover();
        }, delay);
        this.rolloverTimer.unref();
    }

    protected validate(key: BudgetKey, mustExist = true): void {
        if (key.period !== 'day' && key.period !== 'month') {
            throw new Error(`A budget's period is "day" or "month", not "${String(key.period)}".`);
        }
        if (key.scope === 'agent') {
            const ids = this.agents.list().map(a => a.id);
            if (mustExist && !ids.includes(key.agentId)) {
                throw new Error(`There is no agent "${key.agentId}"; agents: ${ids.join(', ') || 'none'}.`);
            }
        } else if (key.scope !== 'workspace') {
            throw new Error(`A budget is for the workspace or for an agent, not for "${String((key as { scope: unknown }).scope)}".`);
        }
    }

    protected taskOf(key: BudgetKey, taskByAgent: ReadonlyMap<string, number | undefined>): number | undefined {
        return key.scope === 'agent' ? taskByAgent.get(key.agentId) : taskByAgent.size === 1 ? [...taskByAgent.values()][0] : undefined;
    }

    protected exceededSentence(m: Evaluated): string {
        return `${this.capitalised(this.possessive(m.row.key))} ${periodWord[m.row.key.period]} budget is used up (${formatUsd(m.spent)} of ${formatUsd(m.row.limitPico)})`;
    }

    protected agentName(agentId: string): string {
        return this.agents.list().find(a => a.id === agentId)?.name ?? agentId;
    }

    protected label(key: BudgetKey): string {
        return key.scope === 'workspace' ? 'Workspace' : this.agentName(key.agentId);
    }

    protected possessive(key: BudgetKey): string {
        return key.scope === 'workspace' ? 'the workspace\'s' : `${this.agentName(key.agentId)}'s`;
    }

    protected capitalised(text: string): string {
        return text.charAt(0).toUpperCase() + text.slice(1);
    }

    protected fire(event: BudgetEvent): void {
        this.events.fire(event);
    }
}

export function sameKey(a: BudgetKey, b: BudgetKey): boolean {
    return a.period === b.period && scopeText(a) === scopeText(b);
}
