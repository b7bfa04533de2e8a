import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { ContainerModule } from '@theia/core/shared/inversify';
import { TERMINAL_SESSION_PATH, TerminalSessionService } from '../../common/terminal-session-protocol';
import { perConnectionRpcService } from '../per-connection-rpc-service';
import { BackendUrl } from './backend-url';
import { TerminalSessionServiceImpl, TerminalSessionServicePolicy } from './terminal-session-service-impl';

/** The `coditect` CLI in the studio's terminals: where the backend listens, and the per-connection terminal sessions that hand out tokens. */
export default new ContainerModule(bind => {
    bind(BackendUrl).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(BackendUrl);
    bind(TerminalSessionService).to(TerminalSessionServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<object, TerminalSessionServiceImpl>(TERMINAL_SESSION_PATH, TerminalSessionService, TerminalSessionServicePolicy));
});
