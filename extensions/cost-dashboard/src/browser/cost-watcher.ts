import { Emitter, Event } from '@theia/core/lib/common/event';
import { RpcProxy } from '@theia/core/lib/common/messaging/proxy-factory';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CostDashboardService, SpendAtAGlance } from '../common/cost-dashboard-protocol';
import { CostClientImpl } from './cost-client-impl';

/**
 * The frontend's live view of the costs: who the user is (admin or not), today's spend at a glance,
 * and a coalesced "changed" signal (a burst of recorded usage becomes one re-read) that the
 * dashboard and the status bar follow. After a reconnect it reads again, since pushes sent while
 * disconnected are lost. Nothing polls.
 */
@injectable()
export class CostWatcher {

    @inject(CostDashboardService)
    protected readonly service: RpcProxy<CostDashboardService>;

    @inject(CostClientImpl)
    protected readonly client: CostClientImpl;

    protected readonly changed = new Emitter<void>();
    /** Costs, prices or budgets changed (coalesced over `coalesceMs`). */
    readonly onDidChange: Event<void> = this.changed.event;

    protected glance: SpendAtAGlance | undefined;
    protected admin = false;
    protected userName = '';
    protected started: Promise<void> | undefined;
    protected pending: ReturnType<typeof setTimeout> | undefined;
    protected readonly coalesceMs = 250;

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

    start(): Promise<void> {
        if (!this.started) {
            this.client.onCostsChange(() => this.schedule());
            this.service.onDidOpenConnection(() => this.schedule());
            this.started = this.refresh();
        }
        return this.started;
    }

    protected schedule(): void {
        if (this.pending === undefined) {
            this.pending = setTimeout(() => {
                this.pending = undefined;
                void this.refresh();
            }, this.coalesceMs);
        }
    }

    async refresh(): Promise<void> {
        try {
            const [who, glance] = await Promise.all([this.service.whoAmI(), this.service.atAGlance()]);
            this.admin = who.canAdminister;
            this.userName = who.user.displayName;
            this.glance = glance;
        } catch (error) {
            console.warn('Could not read the costs', error);
        }
        this.changed.fire();
    }
}
