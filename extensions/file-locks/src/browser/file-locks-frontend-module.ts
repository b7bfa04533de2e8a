import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, FrontendApplicationContribution, WidgetFactory } from '@theia/core/lib/browser';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { TabBarDecorator } from '@theia/core/lib/browser/shell/tab-bar-decorator';
import { CommandContribution } from '@theia/core/lib/common/command';
import { MenuContribution } from '@theia/core/lib/common/menu';
import { NavigatorTreeDecorator } from '@theia/navigator/lib/browser/navigator-decorator-service';
import { OpenEditorsTreeDecorator } from '@theia/navigator/lib/browser/open-editors-widget/navigator-open-editors-decorator-service';
import { LOCKS_PATH, LockService } from '../common/lock-protocol';
import { EditorLockHolder } from './editor-lock-holder';
import { LockEscalationNotifier } from './lock-escalation-notifier';
import { LockOutsideChangeNotifier } from './lock-outside-change-notifier';
import { LockClientImpl } from './lock-client-impl';
import { LockCommandContribution } from './lock-command-contribution';
import { LockTabBarDecorator } from './lock-tab-bar-decorator';
import { LockTreeDecorator } from './lock-tree-decorator';
import { LockWatcher } from './lock-watcher';
import { LocksModel } from './locks-model';
import { LocksViewContribution } from './locks-view-contribution';
import { LocksWidget } from './locks-widget';
import '../../src/browser/style/file-locks.css';

export default new ContainerModule(bind => {
    bind(LockClientImpl).toSelf().inSingletonScope();
    bind(LockService).toDynamicValue(ctx =>
        ServiceConnectionProvider.createProxy<LockService>(ctx.container, LOCKS_PATH, ctx.container.get(LockClientImpl))
    ).inSingletonScope();
    bind(LockWatcher).toSelf().inSingletonScope();

    bind(LockTreeDecorator).toSelf().inSingletonScope();
    bind(NavigatorTreeDecorator).toService(LockTreeDecorator);
    bind(OpenEditorsTreeDecorator).toService(LockTreeDecorator);
    bind(LockTabBarDecorator).toSelf().inSingletonScope();
    bind(TabBarDecorator).toService(LockTabBarDecorator);

    // Not a singleton: each Locks widget gets its own model.
    bind(LocksModel).toSelf();
    bind(LocksWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: LocksWidget.ID, createWidget: () => ctx.container.get(LocksWidget) })).inSingletonScope();
    bindViewContribution(bind, LocksViewContribution);

    bind(LockCommandContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(LockCommandContribution);
    bind(MenuContribution).toService(LockCommandContribution);

    bind(EditorLockHolder).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(EditorLockHolder);

    bind(LockEscalationNotifier).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(LockEscalationNotifier);

    bind(LockOutsideChangeNotifier).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(LockOutsideChangeNotifier);
});
