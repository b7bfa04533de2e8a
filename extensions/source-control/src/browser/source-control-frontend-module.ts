import { ColorContribution } from '@theia/core/lib/browser/color-application-contribution';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { CommandContribution } from '@theia/core/lib/common/command';
import { MenuContribution } from '@theia/core/lib/common/menu';
import { ResourceResolver } from '@theia/core/lib/common/resource';
import { ContainerModule } from '@theia/core/shared/inversify';
import { GIT_SERVICE_PATH, GitService } from '../common/git-protocol';
import { GitBranchPicker } from './git-branch-picker';
import { GitCommitOpener } from './git-commit-opener';
import { GitCommandContribution } from './git-command-contribution';
import { GitColorContribution, GitDecorationsProvider } from './git-decorations';
import { GitHistoryProvider } from './git-history-provider';
import { GitRepositoryContribution } from './git-repository-contribution';
import { GitResourceOpenerImpl } from './git-resource-opener';
import { GitResourceResolver } from './git-resource-resolver';
import { GitResourceOpener, GitScmProvider } from './git-scm-provider';
import { GitSelectedRanges } from './git-selected-ranges';

export default new ContainerModule(bind => {
    bind(GitService).toDynamicValue(ctx => ServiceConnectionProvider.createProxy<GitService>(ctx.container, GIT_SERVICE_PATH)).inSingletonScope();

    bind(GitResourceOpenerImpl).toSelf().inSingletonScope();
    bind(GitResourceOpener).toService(GitResourceOpenerImpl);
    bind(GitScmProvider).toSelf().inSingletonScope();
    bind(GitHistoryProvider).toSelf().inSingletonScope();
    bind(GitDecorationsProvider).toSelf().inSingletonScope();
    bind(GitColorContribution).toSelf().inSingletonScope();
    bind(ColorContribution).toService(GitColorContribution);

    bind(GitResourceResolver).toSelf().inSingletonScope();
    bind(ResourceResolver).toService(GitResourceResolver);

    bind(GitRepositoryContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(GitRepositoryContribution);

    bind(GitBranchPicker).toSelf().inSingletonScope();
    bind(GitSelectedRanges).toSelf().inSingletonScope();
    bind(GitCommitOpener).toSelf().inSingletonScope();
    bind(GitCommandContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(GitCommandContribution);
    bind(MenuContribution).toService(GitCommandContribution);
});
