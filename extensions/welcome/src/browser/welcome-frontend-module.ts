import { ContainerModule } from '@theia/core/shared/inversify';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { GettingStartedWidget } from '@theia/getting-started/lib/browser/getting-started-widget';
import { WELCOME_AGENTS_PATH, WelcomeAgentsService } from '../common/welcome-agents-protocol';
import { FirstStartLayoutContribution } from './first-start-layout-contribution';
import { StudioViewLinks, WelcomeViewList } from './studio-view-links';
import { WelcomeAgentsClient } from './welcome-agents-client';
import { WelcomeAgentsWatcher } from './welcome-agents-watcher';
import { WelcomeModel } from './welcome-model';
import { WelcomeViews } from './welcome-views';
import { WelcomeShortcutList } from './welcome-shortcuts';
import { WelcomeWidget } from './welcome-widget';
import '../../src/browser/style/welcome.css';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bind(WelcomeAgentsClient).toSelf().inSingletonScope();
    bind(WelcomeAgentsService).toDynamicValue(ctx =>
        ServiceConnectionProvider.createProxy<WelcomeAgentsService>(ctx.container, WELCOME_AGENTS_PATH, ctx.container.get(WelcomeAgentsClient))
    ).inSingletonScope();
    bind(WelcomeAgentsWatcher).toSelf().inSingletonScope();

    // Theia's getting-started page, its factory, command, Help menu entry and startup preference stay; its widget is ours.
    bind(WelcomeModel).toSelf();
    bind(WelcomeViewList).toConstantValue(WelcomeViews);
    bind(StudioViewLinks).toSelf().inSingletonScope();
    bind(WelcomeShortcutList).toSelf().inSingletonScope();
    bind(WelcomeWidget).toSelf();
    rebind(GettingStartedWidget).toService(WelcomeWidget);

    bind(FirstStartLayoutContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(FirstStartLayoutContribution);
});
