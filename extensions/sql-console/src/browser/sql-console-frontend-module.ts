import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, WidgetFactory } from '@theia/core/lib/browser';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { bindSqlConsolePreferences } from '../common/sql-console-preferences';
import { SQL_CONSOLE_PATH, SqlConsoleService } from '../common/sql-console-protocol';
import { SqlConsoleModel } from './sql-console-model';
import { SqlConsoleViewContribution } from './sql-console-view-contribution';
import { SqlConsoleWidget } from './sql-console-widget';
import { SqlLanguageSupport } from './sql-language';
import '../../src/browser/style/sql-console.css';

export default new ContainerModule(bind => {
    bindSqlConsolePreferences(bind);
    bind(SqlConsoleService).toDynamicValue(ctx => ServiceConnectionProvider.createProxy<SqlConsoleService>(ctx.container, SQL_CONSOLE_PATH)).inSingletonScope();
    bind(SqlLanguageSupport).toSelf().inSingletonScope();
    // Not a singleton: each console widget gets its own model.
    bind(SqlConsoleModel).toSelf();
    bind(SqlConsoleWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: SqlConsoleWidget.ID, createWidget: () => ctx.container.get(SqlConsoleWidget) })).inSingletonScope();
    bindViewContribution(bind, SqlConsoleViewContribution);
});
