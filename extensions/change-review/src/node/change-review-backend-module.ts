import { ContainerModule } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { perConnectionRpcService } from '@coditect/studio-platform/node';
import { CHANGE_REVIEW_PATH, ChangeReviewClient, ChangeReviewService } from '../common/change-review-protocol';
import { ChangeHttpEndpoint } from './change-http-endpoint';
import { ChangeReviewServiceImpl, ChangeReviewServicePolicy } from './change-review-service-impl';
import { CheckpointHttpEndpoint } from './checkpoint-http-endpoint';

export default new ContainerModule(bind => {
    bind(ChangeReviewService).to(ChangeReviewServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<ChangeReviewClient, ChangeReviewService>(CHANGE_REVIEW_PATH, ChangeReviewService, ChangeReviewServicePolicy));

    bind(ChangeHttpEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(ChangeHttpEndpoint);
    bind(CheckpointHttpEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(CheckpointHttpEndpoint);
});
