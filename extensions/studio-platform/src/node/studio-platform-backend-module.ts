import { ContainerModule } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { MessagingListenerContribution } from '@theia/core/lib/node/messaging/messaging-listeners';
import { WsRequestValidatorContribution } from '@theia/core/lib/node/ws-request-validators';
import { EnvironmentUtils } from '@theia/core/lib/node/environment-utils';
import { WorkspaceCliContribution } from '@theia/workspace/lib/node/default-workspace-server';
import { WORKSPACE_STATUS_PATH, WorkspaceStatusClient, WorkspaceStatusService } from '../common/workspace-status-protocol';
import { resolveAuthConfig } from './auth/auth-config';
import { AgentTokenVerifier, AgentTokenVerifierImpl } from './auth/agent-token-verifier';
import { ConnectionStudioUserProvider } from './auth/connection-user-provider';
import { AuthConfigValue, CredentialVerifier, CredentialVerifierImpl } from './auth/credential-verifier';
import { LoginThrottle } from './auth/login-throttle';
import { RequestUsers } from './auth/request-users';
import { SessionEndpoint } from './auth/session-endpoint';
import { SessionSockets } from './auth/session-sockets';
import { SessionStore, SessionStoreImpl } from './auth/session-store';
import { StudioAuthContribution } from './auth/studio-auth-contribution';
import { TaskSubmissionLimiter } from './auth/task-submission-limiter';
import { GracefulShutdown } from './graceful-shutdown';
import { AgentTokenEndpoint } from './agent-token-endpoint';
import { WhoamiEndpoint } from './whoami-endpoint';
import { ConnectionActivity } from './connection-activity';
import { HealthEndpoint } from './health-endpoint';
import { McpEndpoint } from './mcp/mcp-endpoint';
import { MetricsEndpoint } from './metrics-endpoint';
import { TracingContribution } from './tracing-contribution';
import { EntryPointsEndpoint } from './http/entry-points-endpoint';
import { perConnectionRpcService } from './per-connection-rpc-service';
import { SecretFreeEnvironmentUtils } from './secret-free-environment';
import { BackendStudioUserProvider, StudioUserProvider } from './studio-user-provider';
import { StudioWorkspaceRoot, StudioWorkspaceRootImpl } from './studio-workspace-root';
import { WorkspaceCoreHost, WorkspaceCoreHostImpl } from './workspace-core-host';
import { WorkspaceStatusServiceImpl, WorkspaceStatusServicePolicy } from './workspace-status-service-impl';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    // One workspace folder for the editor and the core: ours decides Theia's workspace argument too.
    // (This module loads after @theia/workspace's, which it depends on, so there is a binding to replace.)
    bind(StudioWorkspaceRootImpl).toSelf().inSingletonScope();
    rebind(WorkspaceCliContribution).toService(StudioWorkspaceRootImpl);
    bind(StudioWorkspaceRoot).toService(StudioWorkspaceRootImpl);
    // Terminals inherit the backend's environment without its secrets.
    rebind(EnvironmentUtils).to(SecretFreeEnvironmentUtils).inSingletonScope();

    // Tracing first, so the core's spans have somewhere to go from its start (when configured).
    bind(TracingContribution).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(TracingContribution);

    bind(WorkspaceCoreHostImpl).toSelf().inSingletonScope();
    bind(WorkspaceCoreHost).toService(WorkspaceCoreHostImpl);
    bind(BackendApplicationContribution).toService(WorkspaceCoreHostImpl);
    // The container's /health, and a SIGTERM that waits for the final sync.
    bind(HealthEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(HealthEndpoint);
    // Agent tokens for agents outside the studio: issued, listed and revoked by admins over HTTP.
    bind(EntryPointsEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(EntryPointsEndpoint);
    bind(AgentTokenEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(AgentTokenEndpoint);
    bind(WhoamiEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(WhoamiEndpoint);
    bind(GracefulShutdown).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(GracefulShutdown);

    // The studio as an MCP server for agents outside it (agent tokens), under the same policy.
    bind(McpEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(McpEndpoint);
    // /metrics for Prometheus; bound before the authentication, whose refusals its request counter counts.
    bind(MetricsEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(MetricsEndpoint);

    // Authentication: resolved once at start; a bad configuration stops the backend with the reason.
    bind(AuthConfigValue).toConstantValue(resolveAuthConfig());
    bind(CredentialVerifier).to(CredentialVerifierImpl).inSingletonScope();
    bind(AgentTokenVerifierImpl).toSelf().inSingletonScope();
    bind(AgentTokenVerifier).toService(AgentTokenVerifierImpl);
    bind(RequestUsers).toSelf().inSingletonScope();
    bind(LoginThrottle).toSelf().inSingletonScope();
    bind(TaskSubmissionLimiter).toSelf().inSingletonScope();
    // Browser sessions (opaque cookie, server-side, in workspace.db) and the websockets each opened.
    bind(SessionStoreImpl).toSelf().inSingletonScope();
    bind(SessionStore).toService(SessionStoreImpl);
    bind(SessionSockets).toSelf().inSingletonScope();
    bind(MessagingListenerContribution).toService(SessionSockets);
    bind(ConnectionActivity).toSelf().inSingletonScope();
    bind(MessagingListenerContribution).toService(ConnectionActivity);
    bind(SessionEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(SessionEndpoint);
    bind(StudioAuthContribution).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(StudioAuthContribution);
    bind(WsRequestValidatorContribution).toService(StudioAuthContribution);

    // Who is asking: per connection, the verified person; in the root container, the backend itself.
    bind(StudioUserProvider).to(BackendStudioUserProvider).inSingletonScope();
    bind(ConnectionContainerModule).toConstantValue(ConnectionContainerModule.create(({ bind: bindInConnection }) => {
        bindInConnection(StudioUserProvider).to(ConnectionStudioUserProvider).inSingletonScope();
    }));

    bind(WorkspaceStatusService).to(WorkspaceStatusServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<WorkspaceStatusClient, WorkspaceStatusService>(WORKSPACE_STATUS_PATH, WorkspaceStatusService, WorkspaceStatusServicePolicy));
});
