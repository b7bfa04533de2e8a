import { ContainerModule } from '@theia/core/shared/inversify';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { CommandContribution } from '@theia/core/lib/common/command';
import { MenuContribution } from '@theia/core/lib/common/menu';
import { WORKSPACE_STATUS_PATH, WorkspaceStatusService } from '../common/workspace-status-protocol';
import { WorkspaceStatusBarContribution } from './workspace-status-bar-contribution';
import { WorkspaceStatusClientImpl } from './workspace-status-client-impl';
import { FileSyncContribution } from './file-sync-contribution';
import { StudioSession, StudioSessionImpl } from './studio-session';
import { SignOutContribution } from './sign-out-contribution';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { SingleRootContribution } from './single-root-contribution';
import { StudioWorkspaceService } from './studio-workspace-service';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    rebind(WorkspaceService).to(StudioWorkspaceService).inSingletonScope();
    bind(SingleRootContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(SingleRootContribution);

    bind(WorkspaceStatusClientImpl).toSelf().inSingletonScope();
    bind(WorkspaceStatusService).toDynamicValue(ctx =>
        ServiceConnectionProvider.createProxy<WorkspaceStatusService>(ctx.container, WORKSPACE_STATUS_PATH, ctx.container.get(WorkspaceStatusClientImpl))
    ).inSingletonScope();

    bind(WorkspaceStatusBarContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(WorkspaceStatusBarContribution);
    bind(CommandContribution).toService(WorkspaceStatusBarContribution);

    bind(FileSyncContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(FileSyncContribution);
    bind(FrontendApplicationContribution).toService(FileSyncContribution);

    bind(StudioSessionImpl).toSelf().inSingletonScope();
    bind(StudioSession).toService(StudioSessionImpl);
    bind(SignOutContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(SignOutContribution);
    bind(MenuContribution).toService(SignOutContribution);
    bind(FrontendApplicationContribution).toService(SignOutContribution);
});
