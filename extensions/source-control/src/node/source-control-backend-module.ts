import { SerialQueue } from '@coditect/workspace-backend';
import { perConnectionRpcService } from '@coditect/studio-platform/node';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { ContainerModule } from '@theia/core/shared/inversify';
import { GIT_SERVICE_PATH, GitService } from '../common/git-protocol';
import { GitServiceImpl, GitServicePolicy, GitWorkQueue } from './git-service-impl';

export default new ContainerModule(bind => {
    // One queue for the backend: every connection's git commands run one at a time on the one repository.
    bind(GitWorkQueue).toConstantValue(new SerialQueue());
    bind(GitService).to(GitServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<object, GitService>(GIT_SERVICE_PATH, GitService, GitServicePolicy));
});
