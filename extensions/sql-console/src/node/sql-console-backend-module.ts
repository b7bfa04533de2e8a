import { ContainerModule } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { perConnectionRpcService } from '@coditect/studio-platform/node';
import { SQL_CONSOLE_PATH } from '../common/sql-console-protocol';
import { SqlConsoleHost } from './sql-console-host';
import { SqlConsoleServiceImpl, SqlConsoleServicePolicy } from './sql-console-service-impl';
import { SqlExportEndpoint } from './sql-export-endpoint';

export default new ContainerModule(bind => {
    bind(SqlConsoleHost).toSelf().inSingletonScope();
    bind(SqlConsoleServiceImpl).toSelf();
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<object, SqlConsoleServiceImpl>(SQL_CONSOLE_PATH, SqlConsoleServiceImpl, SqlConsoleServicePolicy));
    bind(SqlExportEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(SqlExportEndpoint);
});
