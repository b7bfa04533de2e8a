import { personPrincipal, type Disposable, type RpcPolicy, type WorkspaceCore } from '@coditect/workspace-backend';
import { CoreConnectionService } from '@coditect/studio-platform/node';
import { StudioUserProvider } from '@coditect/studio-platform/node';
import type { StudioUser } from '@coditect/studio-platform/common';
import { inject, injectable } from '@theia/core/shared/inversify';
import {
    BudgetKey, BudgetStatus, CostDashboard, CostDashboardClient, CostDashboardService, CostRange, CostRanges, PriceListView, SpendAtAGlance,
} from '../common/cost-dashboard-protocol';
import { CostPriceOverridesPreference } from '../common/cost-preferences';
import { CostExports } from './cost-exports';

/** The action of each method (policy/entry-policy.ts). */
export const CostDashboardServicePolicy: RpcPolicy<CostDashboardService> = {
    whoAmI: 'workspace.read', dashboard: 'workspace.read', atAGlance: 'workspace.read', priceList: 'workspace.read',
    setBudget: 'budget.set', removeBudget: 'budget.remove', setPriceOverrides: 'prices.set', prepareExport: 'workspace.read',
    setClient: 'connection', getClient: 'connection', dispose: 'connection',
};

/**
 * One per browser connection (created in its container, so `users` is that connection's verified
 * person): forwards cost changes and budget events, answers the dashboard, and lets admins set
 * budgets and prices. The policy decides, here in the backend, and audits every admin action,
 * allowed or refused.
 */
@injectable()
export class CostDashboardServiceImpl extends CoreConnectionService<CostDashboardClient> implements CostDashboardService {

    @inject(StudioUserProvider)
    protected readonly users: StudioUserProvider;

    @inject(CostExports)
    protected readonly exports: CostExports;

    protected subscribe(core: WorkspaceCore): Disposable[] {
        try {
            return [
                core.costs.onDidChange(change => this.client?.onCostsChanged(change)),
                core.costs.onBudgetEvent(event => this.client?.onBudgetEvent(event)),
            ];
        } catch {
            // The costs did not start (health says why); calls answer with the reason.
            return [];
        }
    }

    async whoAmI(): Promise<{ user: StudioUser; canAdminister: boolean }> {
        const user = this.users.currentUser();
        return { user, canAdminister: (await this.core()).policy.allows(personPrincipal(user), 'budget.set') };
    }

    async dashboard(range: CostRange): Promise<CostDashboard> {
        return (await this.core()).costs.dashboard(validRange(range));
    }

    async atAGlance(): Promise<SpendAtAGlance> {
        return (await this.core()).costs.atAGlance();
    }

    async priceList(): Promise<PriceListView> {
        return (await this.core()).costs.priceList();
    }

    async setBudget(requested: BudgetKey, limitUsd: string): Promise<BudgetStatus> {
        const budget = validBudget(requested);
        if (typeof limitUsd !== 'string' && typeof limitUsd !== 'number') {
            throw new Error('A budget\'s limit is an amount in US dollars, such as "25" or "7.50".');
        }
        const { core, user } = await this.asAdmin('budget.set', budgetTarget(budget), `limit $${limitUsd}`);
        try {
            const status = core.costs.setBudget(budget, limitUsd, user.displayName);
            await core.durability.acknowledge(`The budget ${budgetTarget(budget)}`, 'metrics');
            return status;
        } catch (error) {
            core.audit.record({ userId: user.id, userName: user.displayName, action: 'budget.set', target: budgetTarget(budget), outcome: 'failed', detail: (error as Error).message });
            throw error;
        }
    }

    async removeBudget(requested: BudgetKey): Promise<void> {
        const budget = validBudget(requested);
        const { core, user } = await this.asAdmin('budget.remove', budgetTarget(budget));
        core.costs.removeBudget(budget, user.displayName);
        await core.durability.acknowledge(`Removing the budget ${budgetTarget(budget)}`, 'metrics');
    }

    async setPriceOverrides(overrides: unknown): Promise<PriceListView> {
        const { core, user } = await this.asAdmin('prices.set', CostPriceOverridesPreference);
        try {
            return core.costs.setPriceOverrides(overrides, user.displayName);
        } catch (error) {
            core.audit.record({ userId: user.id, userName: user.displayName, action: 'prices.set', target: CostPriceOverridesPreference, outcome: 'failed', detail: (error as Error).message });
            throw error;
        }
    }

    async prepareExport(range: CostRange): Promise<string> {
        await this.core();
        return this.exports.prepare({ range: validRange(range), user: this.users.currentUser() });
    }

    /**
     * The connection's user, when the policy lets them (`action` is an admin action: its decision,
     * allowed or refused, is audited; an allowed action that then fails adds a `failed` line).
     */
    protected async asAdmin(action: 'budget.set' | 'budget.remove' | 'prices.set', target: string, detail?: string): Promise<{ core: WorkspaceCore; user: StudioUser }> {
        const core = await this.core();
        const user = this.users.currentUser();
        const decision = core.policy.decide(personPrincipal(user), action, { target }, detail);
        if (!decision.allowed) {
            throw new Error(`${decision.reason} Ask an admin of this workspace.`);
        }
        return { core, user };
    }
}

function validRange(range: CostRange): CostRange {
    if (!CostRanges.some(r => r.key === range)) {
        throw new Error(`The range is one of ${CostRanges.map(r => r.key).join(', ')}, not "${String(range)}".`);
    }
    return range;
}

/** The budget a client names, checked for shape before anything acts on it. */
function validBudget(budget: BudgetKey): BudgetKey {
    const b = budget as Partial<{ scope: unknown; agentId: unknown; period: unknown }> | null;
    const period = b?.period;
    if (!b || typeof b !== 'object' || (period !== 'day' && period !== 'month')
        || (b.scope !== 'workspace' && !(b.scope === 'agent' && typeof b.agentId === 'string' && b.agentId))) {
        throw new Error('A budget is named as {"scope": "workspace", "period": "day" | "month"} or {"scope": "agent", "agentId": "<id>", "period": "day" | "month"}.');
    }
    return b.scope === 'workspace' ? { scope: 'workspace', period } : { scope: 'agent', agentId: b.agentId as string, period };
}

function budgetTarget(budget: BudgetKey): string {
    return `${budget?.scope === 'agent' ? `agent:${budget.agentId}` : 'workspace'}/${budget?.period}`;
}
