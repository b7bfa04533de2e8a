import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { perConnectionRpcService } from '@coditect/studio-platform/node';
import { SESSION_TIMELINE_PATH, SessionTimelineClient, SessionTimelineService } from '../common/session-timeline-protocol';
import { SessionTimelineServiceImpl, SessionTimelineServicePolicy } from './session-timeline-service-impl';

export default new ContainerModule(bind => {
    bind(SessionTimelineService).to(SessionTimelineServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<SessionTimelineClient, SessionTimelineService>(SESSION_TIMELINE_PATH, SessionTimelineService, SessionTimelineServicePolicy));
});
