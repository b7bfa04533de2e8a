import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, FrontendApplicationContribution, WidgetFactory } from '@theia/core/lib/browser';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { COST_DASHBOARD_PATH, CostDashboardService } from '../common/cost-dashboard-protocol';
import { bindCostPreferences } from '../common/cost-preferences';
import { BudgetEditor } from './budget-editor';
import { BudgetNotifications } from './budget-notifications';
import { CostClientImpl } from './cost-client-impl';
import { CostDashboardModel } from './cost-dashboard-model';
import { CostDashboardViewContribution } from './cost-dashboard-view-contribution';
import { CostDashboardWidget } from './cost-dashboard-widget';
import { CostStatusBarContribution } from './cost-status-bar-contribution';
import { CostWatcher } from './cost-watcher';
import { PricePreferenceSync } from './price-preference-sync';
import '../../src/browser/style/cost-dashboard.css';

export default new ContainerModule(bind => {
    bindCostPreferences(bind);
    bind(CostClientImpl).toSelf().inSingletonScope();
    bind(CostDashboardService).toDynamicValue(ctx =>
        ServiceConnectionProvider.createProxy<CostDashboardService>(ctx.container, COST_DASHBOARD_PATH, ctx.container.get(CostClientImpl))
    ).inSingletonScope();
    bind(CostWatcher).toSelf().inSingletonScope();
    bind(BudgetEditor).toSelf().inSingletonScope();

    // Not a singleton: each dashboard widget gets its own model.
    bind(CostDashboardModel).toSelf();
    bind(CostDashboardWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: CostDashboardWidget.ID, createWidget: () => ctx.container.get(CostDashboardWidget) })).inSingletonScope();
    bindViewContribution(bind, CostDashboardViewContribution);

    for (const contribution of [CostStatusBarContribution, BudgetNotifications, PricePreferenceSync]) {
        bind(contribution).toSelf().inSingletonScope();
        bind(FrontendApplicationContribution).toService(contribution);
    }
});
