import { RpcProxy } from '@theia/core/lib/common/messaging/proxy-factory';
import { inject, injectable } from '@theia/core/shared/inversify';
import { RefreshingWatcher } from '@coditect/studio-platform/browser';
import { CostDashboardService, SpendAtAGlance } from '../common/cost-dashboard-protocol';
import { CostClientImpl } from './cost-client-impl';

/**
 * The frontend's live view of the costs: who the user is (admin or not), today's spend at a glance,
 * and a coalesced "changed" signal (a burst of recorded usage becomes one re-read) that the
 * dashboard and the status bar follow. After a reconnect it reads again, since pushes sent while
 * disconnected are lost. Nothing polls.
 */
@injectable()
export class CostWatcher extends RefreshingWatcher {

    @inject(CostDashboardService)
    protected readonly service: RpcProxy<CostDashboardService>;

    @inject(CostClientImpl)
    protected readonly client: CostClientImpl;

    protected glance: SpendAtAGlance | undefined;
    protected admin = false;
    protected userName = '';
    protected override readonly coalesceMs = 250;

    get atAGlance(): SpendAtAGlance | undefined {
        return this.glance;
    }

    /** True when the backend lets this user set budgets and prices. */
    get canAdminister(): boolean {
        return this.admin;
    }

    get user(): string {
        return this.userName;
    }

    protected follow(refresh: () => void): void {
        this.client.onCostsChange(refresh);
        this.service.onDidOpenConnection(refresh);
    }

    protected async read(): Promise<void> {
        const [who, glance] = await Promise.all([this.service.whoAmI(), this.service.atAGlance()]);
        this.admin = who.canAdminister;
        this.userName = who.user.displayName;
        this.glance = glance;
    }
}
