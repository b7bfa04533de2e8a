import { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type {
    BudgetEvent, BudgetKey, BudgetStatus, CostDashboard, CostRange, PriceListView, SpendAtAGlance,
} from '@coditect/workspace-backend/types';
import type { CostsChange } from '@coditect/workspace-backend/types';
import type { StudioUser } from '@coditect/studio-platform/common';

export type {
    BudgetEvent, BudgetKey, BudgetPeriod, BudgetStatus, CostDashboard, CostRange, CostSeriesPoint, ModelPriceView, PicoString, PriceEntryView,
    PriceListView, PriceSource, SpendAtAGlance, SpendSummary,
} from '@coditect/workspace-backend/types';
export type { CostsChange } from '@coditect/workspace-backend/types';

export const COST_DASHBOARD_PATH = '/services/coditect/costs';
/** `GET <prefix>/<token>`: a prepared CSV export, once, within a minute of preparing it. */
export const COST_EXPORT_HTTP_PREFIX = '/coditect/api/costs/export';

/** The ranges the dashboard offers, in its order, with their labels (the core's CostRangeLabels, repeated: common/ may not load the core). */
export const CostRanges: readonly { readonly key: CostRange; readonly label: string }[] = [
    { key: 'today', label: 'Today' },
    { key: '7d', label: 'Last 7 days' },
    { key: 'month', label: 'This month' },
    { key: '30d', label: 'Last 30 days' },
];

export interface CostDashboardClient {
    /** The ledger, prices or budgets changed: views re-read what they show. */
    onCostsChanged(change: CostsChange): void;
    /** A budget warning, exhaustion (agents paused), resume or change. */
    onBudgetEvent(event: BudgetEvent): void;
}

/**
 * The costs as the browser sees them. Reads are open to everyone signed in; setting budgets
 * and prices is for admins only, enforced here in the backend (and audited), whatever the UI shows.
 */
export const CostDashboardService = Symbol('CostDashboardService');
export interface CostDashboardService extends RpcServer<CostDashboardClient> {
    whoAmI(): Promise<{ user: StudioUser; canAdminister: boolean }>;
    dashboard(range: CostRange): Promise<CostDashboard>;
    atAGlance(): Promise<SpendAtAGlance>;
    priceList(): Promise<PriceListView>;
    /** Admins: sets a budget; `limitUsd` is US dollars as a decimal ("12.50"). */
    setBudget(budget: BudgetKey, limitUsd: string): Promise<BudgetStatus>;
    /** Admins: removes a budget (agents it paused resume). */
    removeBudget(budget: BudgetKey): Promise<void>;
    /** Admins: the preference coditect.costs.priceOverrides, applied to the workspace's prices. */
    setPriceOverrides(overrides: unknown): Promise<PriceListView>;
    /** A one-time URL that downloads the range's ledger as CSV. */
    prepareExport(range: CostRange): Promise<string>;
}
