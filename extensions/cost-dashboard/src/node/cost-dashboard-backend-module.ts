import { ContainerModule } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { perConnectionRpcService } from '@coditect/studio-platform/node';
import { COST_DASHBOARD_PATH, CostDashboardClient, CostDashboardService } from '../common/cost-dashboard-protocol';
import { CostDashboardServiceImpl, CostDashboardServicePolicy } from './cost-dashboard-service-impl';
import { CostExportEndpoint } from './cost-export-endpoint';
import { CostExports, createCostExports } from './cost-exports';

export default new ContainerModule(bind => {
    bind(CostExports).toConstantValue(createCostExports());
    bind(CostDashboardService).to(CostDashboardServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<CostDashboardClient, CostDashboardService>(COST_DASHBOARD_PATH, CostDashboardService, CostDashboardServicePolicy));
    bind(CostExportEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(CostExportEndpoint);
});
