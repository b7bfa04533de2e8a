import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';
import { BudgetEvent, CostDashboardClient, CostsChange } from '../common/cost-dashboard-protocol';

/** Receives the backend's pushes for this connection. */
@injectable()
export class CostClientImpl implements CostDashboardClient {
    protected readonly changes = new Emitter<CostsChange>();
    readonly onCostsChange: Event<CostsChange> = this.changes.event;
    protected readonly budgets = new Emitter<BudgetEvent>();
    readonly onBudget: Event<BudgetEvent> = this.budgets.event;

    onCostsChanged(change: CostsChange): void {
        this.changes.fire(change);
    }

    onBudgetEvent(event: BudgetEvent): void {
        this.budgets.fire(event);
    }
}
