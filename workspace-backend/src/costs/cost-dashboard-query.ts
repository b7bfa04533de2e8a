import type { CostCalendar } from './cost-calendar';
import type { CostAgentInfo } from './cost-agents';
import { BudgetStatus, CostDashboard, CostRange, CostRangeLabels, CostSeriesPoint, InfraCostSummary, SpendSummary } from './cost-types';
import type { InfraCostMeter } from './infra-costs';
import type { LedgerRepository, SpendSums } from './ledger-repository';
import type { PriceTable } from './price-table';

export const TopTasksShown = 10;

export interface DashboardSources {
    readonly ledger: LedgerRepository;
    readonly calendar: CostCalendar;
    readonly infra: InfraCostMeter;
    readonly prices: PriceTable;
    readonly agents: readonly CostAgentInfo[];
    readonly budgets: readonly BudgetStatus[];
    readonly taskTitle: (taskId: number) => string | undefined;
    readonly notices: readonly string[];
    readonly now: number;
}

/** The days of a range: [first day start, end), and day keys [fromKey, toKey]. */
export function rangeBounds(calendar: CostCalendar, range: CostRange, now: number): { from: number; to: number; fromKey: number; toKey: number } {
    const to = calendar.nextDayStart(now);
    const toKey = calendar.dayKey(now);
    if (range === 'month') {
        return { from: calendar.monthStart(now), to, fromKey: calendar.monthKeys(now).first, toKey };
    }
    const days = range === 'today' ? 1 : range === '7d' ? 7 : 30;
    let from = calendar.dayStart(now);
    for (let i = 1; i < days; i++) {
        from = calendar.dayStart(from - 1);
    }
    return { from, to, fromKey: calendar.dayKey(from), toKey };
}

function summary(s: SpendSums): SpendSummary {
    return {
        costPico: s.costPico.toString(), tokens: s.input + s.cacheRead + s.cacheWrite + s.output,
        byKind: { input: s.input, output: s.output, cacheRead: s.cacheRead, cacheWrite: s.cacheWrite, reasoning: s.reasoning },
        entries: s.entries, uncostedTokens: s.uncostedTokens,
    };
}

function infraSummary(infra: InfraCostMeter, from: number, to: number): InfraCostSummary {
    return { configured: infra.configured, costPico: infra.costOf(from, to).toString(), detail: infra.detail() };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The dashboard's whole answer from the rollups (cost_daily, cost_hourly, cost_tasks), never
 * from the ledger's entries, so it stays fast at millions of entries (bench: `costs`).
 */
export function buildDashboard(src: DashboardSources, range: CostRange): CostDashboard {
    const { ledger, calendar, infra, now } = src;
    const bounds = rangeBounds(calendar, range, now);
    const todayKey = calendar.dayKey(now);
    const month = calendar.monthKeys(now);
    const dayStart = calendar.dayStart(now);
    const monthStart = calendar.monthStart(now);
    const names = new Map(src.agents.map(a => [a.id, a.name]));
    const nameOf = (id: string) => names.get(id) ?? id;
    const pausedForBudget = new Set(src.budgets.flatMap(b => b.pausedAgents));

    const byAgentRows = new Map(ledger.spendByAgent(bounds.fromKey, bounds.toKey).map(r => [r.agentId, r]));
    const agentIds = [...new Set([...src.agents.map(a => a.id), ...byAgentRows.keys()])];
    const empty: SpendSums = { costPico: 0n, entries: 0, input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0, uncostedEntries: 0, uncostedTokens: 0 };
    const byAgent = agentIds.map(id => ({
        ...summary(byAgentRows.get(id) ?? empty), agentId: id, agentName: nameOf(id),
        state: src.agents.find(a => a.id === id)?.state, pausedForBudget: pausedForBudget.has(id),
    })).sort((a, b) => compareCost(b.costPico, a.costPico) || b.tokens - a.tokens || a.agentName.localeCompare(b.agentName));

    const byModel = ledger.spendByModel(bounds.fromKey, bounds.toKey).map(r => {
        const price = src.prices.priceAt(r.model, now);
        return { ...summary(r), model: r.model, priced: r.uncostedEntries === 0 && price !== undefined, pricedAs: price?.pricedAs, priceSource: price?.source };
    }).sort((a, b) => compareCost(b.costPico, a.costPico) || b.tokens - a.tokens);

    const seriesAgents = byAgent.filter(a => a.entries > 0).map(a => ({ id: a.agentId, name: a.agentName }));
    const points: CostSeriesPoint[] = [];
    if (range === 'today') {
        // UTC hours (the hourly rollup's buckets) that overlap the day; in a zone whose offset is not whole hours they are labelled 05:30, 06:30...
        const first = Math.floor(bounds.from / 3_600_000) * 3_600_000;
        const rows = ledger.hourlyByAgent(first, bounds.to);
        for (let start = first; start < bounds.to; start += 3_600_000) {
            const w = calendar.wallClock(start);
            points.push(point(start, `${pad(w.hour)}:${pad(w.minute)}`, rows.filter(r => r.hour === start), infra.costOf(start, start + 3_600_000)));
        }
    } else {
        const rows = ledger.dailyByAgent(bounds.fromKey, bounds.toKey);
        for (let start = bounds.from; start < bounds.to; start = calendar.nextDayStart(start)) {
            const key = calendar.dayKey(start);
            const label = `${Math.floor(key / 10_000)}-${pad(Math.floor(key / 100) % 100)}-${pad(key % 100)}`;
            points.push(point(start, label, rows.filter(r => r.day === key), infra.costOf(start, calendar.nextDayStart(start))));
        }
    }

    const topTasks = ledger.topTasks(bounds.from, TopTasksShown).map(t => ({
        taskId: t.taskId, agentId: t.agentId, agentName: nameOf(t.agentId), title: src.taskTitle(t.taskId),
        costPico: t.costPico.toString(), tokens: t.tokens, uncostedTokens: t.uncostedTokens, steps: t.entries, lastAt: t.lastAt,
    }));

    return {
        generatedAt: now,
        timeZone: calendar.timeZone,
        range: { key: range, label: CostRangeLabels[range], from: bounds.from, to: bounds.to },
        today: { ...summary(ledger.spend(todayKey, todayKey)), infra: infraSummary(infra, dayStart, now) },
        monthToDate: { ...summary(ledger.spend(month.first, todayKey)), infra: infraSummary(infra, monthStart, now) },
        total: { ...summary(ledger.spend(bounds.fromKey, bounds.toKey)), infra: infraSummary(infra, bounds.from, bounds.to) },
        byAgent, byModel,
        series: { bucket: range === 'today' ? 'hour' : 'day', agents: seriesAgents, points },
        topTasks,
        budgets: src.budgets,
        notices: src.notices,
    };
}

function point(start: number, label: string, rows: readonly { agentId: string; costPico: bigint; uncostedTokens: number }[], infraPico: bigint): CostSeriesPoint {
    const byAgent: Record<string, string> = {};
    let total = infraPico;
    let uncosted = 0;
    for (const r of rows) {
        byAgent[r.agentId] = (BigInt(byAgent[r.agentId] ?? '0') + r.costPico).toString();
        total += r.costPico;
        uncosted += r.uncostedTokens;
    }
    return { start, label, byAgent, infraPico: infraPico.toString(), totalPico: total.toString(), uncostedTokens: uncosted };
}

function compareCost(a: string, b: string): number {
    const d = BigInt(a) - BigInt(b);
    return d > 0n ? 1 : d < 0n ? -1 : 0;
}
