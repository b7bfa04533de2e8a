import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, LabelProviderContribution, WidgetFactory } from '@theia/core/lib/browser';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { ResourceResolver } from '@theia/core/lib/common/resource';
import { bindSessionTimelinePreferences } from '../common/session-timeline-preferences';
import { SESSION_TIMELINE_PATH, SessionTimelineService } from '../common/session-timeline-protocol';
import { SessionTimelineClientImpl } from './session-timeline-client-impl';
import { SessionTimelineModel } from './session-timeline-model';
import { SessionTimelineViewContribution } from './session-timeline-view-contribution';
import { SessionTimelineWidget } from './session-timeline-widget';
import { TimelineLabelProvider } from './timeline-label-provider';
import { TimelineResourceResolver } from './timeline-resource-resolver';
import '../../src/browser/style/session-timeline.css';

export default new ContainerModule(bind => {
    bindSessionTimelinePreferences(bind);
    bind(SessionTimelineClientImpl).toSelf().inSingletonScope();
    bind(SessionTimelineService).toDynamicValue(ctx =>
        ServiceConnectionProvider.createProxy<SessionTimelineService>(ctx.container, SESSION_TIMELINE_PATH, ctx.container.get(SessionTimelineClientImpl))
    ).inSingletonScope();

    bind(TimelineResourceResolver).toSelf().inSingletonScope();
    bind(ResourceResolver).toService(TimelineResourceResolver);
    bind(TimelineLabelProvider).toSelf().inSingletonScope();
    bind(LabelProviderContribution).toService(TimelineLabelProvider);

    // Not a singleton: each timeline widget gets its own model.
    bind(SessionTimelineModel).toSelf();
    bind(SessionTimelineWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: SessionTimelineWidget.ID, createWidget: () => ctx.container.get(SessionTimelineWidget) })).inSingletonScope();
    bindViewContribution(bind, SessionTimelineViewContribution);
});
