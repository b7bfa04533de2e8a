/**
 * The costs as other layers and the UI see them: plain data that crosses Theia RPC as JSON.
 * Money is a decimal string of pico-dollars (`PicoString`, 10^-12 USD), exact; `null` where
 * nothing could be priced. Token counts follow the normalised convention (token-usage.ts).
 */
import type { BudgetPeriod } from './cost-calendar';
import type { PicoString } from './money';
import type { PriceSource, TokenCounts } from './price-types';

export type { BudgetPeriod } from './cost-calendar';
export type { PicoString } from './money';
export type { PriceSource, TokenCounts } from './price-types';

/** One priced model request, as recorded live (`WorkspaceCosts.onCostRecorded`). */
export interface CostRecord {
    /** token_usage.id, which is also the ledger entry's id. */
    readonly usageId: number;
    readonly at: number;
    readonly agentId: string;
    readonly taskId?: number;
    readonly provider: string;
    readonly model: string;
    readonly tokens: TokenCounts;
    /** Exact cost; null when the model had no price at `at` (uncosted). */
    readonly costPico: PicoString | null;
}

export type BudgetScope = { readonly scope: 'workspace' } | { readonly scope: 'agent'; readonly agentId: string };
export type BudgetKey = BudgetScope & { readonly period: BudgetPeriod };

export type BudgetThreshold = 50 | 75 | 90 | 100;
export const BudgetThresholds: readonly BudgetThreshold[] = [50, 75, 90, 100];

/**
 * What the budgets announce (`WorkspaceCosts.onBudgetEvent`): to the IDE as a notification and
 * to the session timeline.
 *
 * - `warning`: spend crossed 50, 75 or 90% of a budget (the highest newly crossed, once per
 *   period and limit).
 * - `exceeded`: spend reached 100%; `agentIds` are paused after their current step (the
 *   agent's own budget: that agent; the workspace's: every agent).
 * - `resumed`: agents the budgets had paused run again (`reason`: the budget was raised or
 *   removed, the period rolled over, prices changed).
 * - `changed` / `removed`: an admin set or removed a budget (`by`).
 */
export interface BudgetEvent {
    readonly kind: 'warning' | 'exceeded' | 'resumed' | 'changed' | 'removed';
    readonly at: number;
    readonly budget: BudgetKey;
    /** The percentage crossed, for `warning` and `exceeded`. */
    readonly threshold?: BudgetThreshold;
    /** Spend in the budget's current period, and its limit (null once removed). */
    readonly spentPico: PicoString;
    readonly limitPico: PicoString | null;
    readonly periodStart: number;
    readonly periodEnd: number;
    /** Agents paused (`exceeded`) or resumed (`resumed`). */
    readonly agentIds: readonly string[];
    /** The task whose spend crossed the threshold, when one did. */
    readonly taskId?: number;
    /** Who changed the budget (`changed`, `removed`). */
    readonly by?: string;
    /** One sentence for people: "Claude's daily budget: 75% used ($7.50 of $10.00)". */
    readonly message: string;
}

/** A budget with its spend in the current period. */
export interface BudgetStatus {
    readonly budget: BudgetKey;
    /** "Workspace, monthly", "Claude, daily". */
    readonly label: string;
    readonly limitPico: PicoString;
    readonly spentPico: PicoString;
    /** spent / limit x 100, rounded down to hundredths (for bars; the money is exact). */
    readonly percent: number;
    readonly level: 'ok' | 'warning' | 'exceeded';
    readonly periodStart: number;
    readonly periodEnd: number;
    /** Tokens in the period that could not be priced, so do not count against the budget. */
    readonly uncostedTokens: number;
    /** Agents this budget holds paused now. */
    readonly pausedAgents: readonly string[];
    readonly updatedAt: number;
    readonly updatedBy: string;
}

/** Spend of one slice (a period, an agent, a model). */
export interface SpendSummary {
    readonly costPico: PicoString;
    /** Every token once (input + cache read + cache write + output), and by kind. */
    readonly tokens: number;
    readonly byKind: TokenCounts;
    readonly entries: number;
    /** Tokens of requests no price covered (shown as "uncosted", never as $0). */
    readonly uncostedTokens: number;
}

export interface InfraCostSummary {
    readonly configured: boolean;
    readonly costPico: PicoString;
    /** What it is made of, or what to set: "2 vCPU x 5.2 h at $0.0475; 20 GB at $0.17/GB-month". */
    readonly detail: string;
}

export type CostRange = 'today' | '7d' | 'month' | '30d';

export const CostRangeLabels: Readonly<Record<CostRange, string>> = {
    'today': 'Today',
    '7d': 'Last 7 days',
    'month': 'This month',
    '30d': 'Last 30 days',
};

export interface CostSeriesPoint {
    /** The bucket's first instant. */
    readonly start: number;
    /** "14:00" or "2026-11-21". */
    readonly label: string;
    /** Model spend per agent id in this bucket. */
    readonly byAgent: Readonly<Record<string, PicoString>>;
    readonly infraPico: PicoString;
    readonly totalPico: PicoString;
    readonly uncostedTokens: number;
}

export interface CostDashboard {
    readonly generatedAt: number;
    readonly timeZone: string;
    readonly range: { readonly key: CostRange; readonly label: string; readonly from: number; readonly to: number };
    /** Model spend and infrastructure, today and since the month began. */
    readonly today: SpendSummary & { readonly infra: InfraCostSummary };
    readonly monthToDate: SpendSummary & { readonly infra: InfraCostSummary };
    /** Over the range. */
    readonly total: SpendSummary & { readonly infra: InfraCostSummary };
    readonly byAgent: readonly (SpendSummary & { readonly agentId: string; readonly agentName: string; readonly state?: string; readonly pausedForBudget: boolean })[];
    readonly byModel: readonly (SpendSummary & { readonly model: string; readonly priced: boolean; readonly pricedAs?: string; readonly priceSource?: PriceSource })[];
    readonly series: { readonly bucket: 'hour' | 'day'; readonly agents: readonly { readonly id: string; readonly name: string }[]; readonly points: readonly CostSeriesPoint[] };
    readonly topTasks: readonly {
        readonly taskId: number; readonly agentId: string; readonly agentName: string; readonly title?: string;
        readonly costPico: PicoString; readonly tokens: number; readonly uncostedTokens: number; readonly steps: number; readonly lastAt: number;
    }[];
    readonly budgets: readonly BudgetStatus[];
    /** Problems worth a banner: an invalid prices file, a ledger still catching up. */
    readonly notices: readonly string[];
}

/** Today's and this month's spend at a glance (the status bar). */
export interface SpendAtAGlance {
    readonly todayPico: PicoString;
    readonly todayInfraPico: PicoString;
    readonly todayUncostedTokens: number;
    readonly monthPico: PicoString;
    readonly monthInfraPico: PicoString;
    readonly budgets: readonly Pick<BudgetStatus, 'label' | 'percent' | 'level' | 'spentPico' | 'limitPico'>[];
}

/** A model's price as the price list shows it: USD per million tokens, as decimal strings. */
export interface ModelPriceView {
    readonly model: string;
    readonly inUse: boolean;
    readonly current?: PriceEntryView;
    /** Every price the model has had, oldest first (including the current one). */
    readonly history: readonly PriceEntryView[];
}

export interface PriceEntryView {
    readonly from: number;
    readonly to?: number;
    /** Undefined: uncosted then. */
    readonly source?: PriceSource;
    readonly pricedAs?: string;
    readonly input?: string;
    readonly output?: string;
    readonly cacheRead?: string;
    readonly cacheWrite?: string;
    readonly longContext?: { readonly aboveTokens: number; readonly input: string; readonly output: string; readonly cacheRead: string; readonly cacheWrite: string };
    readonly note?: string;
}

export interface PriceListView {
    readonly models: readonly ModelPriceView[];
    /** The prices file's error (its last good content stays in use), if it has one. */
    readonly fileError?: string;
    readonly filePath: string;
    readonly overrides: { readonly models: number; readonly updatedBy?: string; readonly updatedAt?: number; readonly error?: string };
}
