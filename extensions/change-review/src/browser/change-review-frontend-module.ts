import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, WidgetFactory } from '@theia/core/lib/browser';
import { TabBarToolbarContribution } from '@theia/core/lib/browser/shell/tab-bar-toolbar';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { ResourceResolver } from '@theia/core/lib/common/resource';
import { CommandContribution } from '@theia/core/lib/common/command';
import { MenuContribution } from '@theia/core/lib/common/menu';
import { CHANGE_REVIEW_PATH, ChangeReviewService } from '../common/change-review-protocol';
import { ChangeResourceResolver } from './change-resource-resolver';
import { ChangeReviewClientImpl } from './change-review-client-impl';
import { ChatChangeSets } from './chat-change-sets';
import { CheckpointRestorer } from './checkpoint-restorer';
import { LineHistoryContribution } from './line-history-contribution';
import { RestoreConfirmation } from './restore-confirmation';
import { RestoreConfirmationDialog } from './restore-confirmation-dialog';
import { ChangesModel } from './changes-model';
import { ChangesViewContribution } from './changes-view-contribution';
import { ChangesWidget } from './changes-widget';
import '../../src/browser/style/change-review.css';

export default new ContainerModule(bind => {
    bind(ChangeReviewClientImpl).toSelf().inSingletonScope();
    bind(ChangeReviewService).toDynamicValue(ctx =>
        ServiceConnectionProvider.createProxy<ChangeReviewService>(ctx.container, CHANGE_REVIEW_PATH, ctx.container.get(ChangeReviewClientImpl))
    ).inSingletonScope();

    bind(RestoreConfirmation).to(RestoreConfirmationDialog).inSingletonScope();
    bind(LineHistoryContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(LineHistoryContribution);
    bind(MenuContribution).toService(LineHistoryContribution);
    bind(CheckpointRestorer).toSelf().inSingletonScope();
    bind(ChatChangeSets).toSelf().inSingletonScope();
    bind(CommandContribution).toService(ChatChangeSets);

    bind(ChangeResourceResolver).toSelf().inSingletonScope();
    bind(ResourceResolver).toService(ChangeResourceResolver);

    // Not a singleton: each Changes widget gets its own model.
    bind(ChangesModel).toSelf();
    bind(ChangesWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: ChangesWidget.ID, createWidget: () => ctx.container.get(ChangesWidget) })).inSingletonScope();
    bindViewContribution(bind, ChangesViewContribution);
    bind(TabBarToolbarContribution).toService(ChangesViewContribution);
});
