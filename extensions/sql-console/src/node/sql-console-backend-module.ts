import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { SQL_CONSOLE_PATH } from '../common/sql-console-protocol';
import { SqlConsoleHost } from './sql-console-host';
import { SqlConsoleServiceImpl } from './sql-console-service-impl';
import { SqlExportEndpoint } from './sql-export-endpoint';

export default new ContainerModule(bind => {
    bind(SqlConsoleHost).toSelf().inSingletonScope();
    bind(SqlConsoleServiceImpl).toSelf();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(SQL_CONSOLE_PATH, client => {
            const service = ctx.container.get(SqlConsoleServiceImpl);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();
    bind(SqlExportEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(SqlExportEndpoint);
});
