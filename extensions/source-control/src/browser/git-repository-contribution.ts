import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { DisposableCollection } from '@theia/core/lib/common/disposable';
import { ILogger } from '@theia/core/lib/common/logger';
import { nls } from '@theia/core/lib/common/nls';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { FileService } from '@theia/filesystem/lib/browser/file-service';
import { FileChangesEvent } from '@theia/filesystem/lib/common/files';
import { ScmRepository } from '@theia/scm/lib/browser/scm-repository';
import { ScmService } from '@theia/scm/lib/browser/scm-service';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { GitDecorationsProvider } from './git-decorations';
import { GitScmProvider } from './git-scm-provider';
import { GitResourceResolver } from './git-resource-resolver';
import { DecorationsService } from '@theia/core/lib/browser/decorations-service';

/** How long file changes settle before the status is read again (a save, a checkout, a build write many files). */
const REFRESH_DELAY_MS = 300;

/** What under .git means the status changed: the index, HEAD, branches and a merge in progress (not objects or logs). */
const STATUS_FILES_UNDER_GIT = /^\.git\/(index|HEAD|MERGE_HEAD|refs\/.*|packed-refs)$/;

/**
 * Registers the Git provider with Theia's SCM service for the workspace folder, and keeps its status
 * fresh: a refresh follows every file change in the workspace, and every change of .git's index,
 * HEAD or refs (a commit made in the terminal or by an agent), debounced.
 */
@injectable()
export class GitRepositoryContribution implements FrontendApplicationContribution {
    @inject(ScmService) protected readonly scmService: ScmService;
    @inject(GitScmProvider) protected readonly provider: GitScmProvider;
    @inject(WorkspaceService) protected readonly workspace: WorkspaceService;
    @inject(FileService) protected readonly files: FileService;
    @inject(GitDecorationsProvider) protected readonly decorations: GitDecorationsProvider;
    @inject(DecorationsService) protected readonly decorationsService: DecorationsService;
    @inject(GitResourceResolver) protected readonly resources: GitResourceResolver;
    @inject(ILogger) @named('coditect:source-control') protected readonly logger: ILogger;

    protected readonly toDispose = new DisposableCollection();
    protected repository: ScmRepository | undefined;
    protected timer: ReturnType<typeof setTimeout> | undefined;
    protected refreshing: Promise<void> | undefined;
    protected again = false;

    onStart(): void {
        this.start().catch(error => this.logger.error('Source control could not start', error));
    }

    protected async start(): Promise<void> {
        const [root] = await this.workspace.roots;
        if (!root) {
            return;
        }
        this.provider.setRoot(root.resource);
        this.repository = this.scmService.registerScmProvider(this.provider, {
            input: {
                placeholder: nls.localize('coditect/source-control/message-placeholder', 'Message ({0} to commit)'),
                visible: true,
                enabled: true,
            },
        });
        this.scmService.selectedRepository = this.repository;
        this.toDispose.push(this.repository);
        this.toDispose.push(this.decorationsService.registerDecorationsProvider(this.decorations));
        this.toDispose.push(this.provider.onDidChange(() => this.decorations.update(this.provider.status, path => this.provider.fileUri(path))));
        this.toDispose.push(this.files.onDidFilesChange(event => this.onFilesChanged(root.resource, event)));
        await this.refresh();
    }

    protected onFilesChanged(root: URI, event: FileChangesEvent): void {
        const relevant = event.changes.some(change => {
            const relative = root.relative(change.resource)?.toString();
            return relative !== undefined && (!relative.startsWith('.git/') && relative !== '.git' || STATUS_FILES_UNDER_GIT.test(relative));
        });
        if (relevant) {
            this.scheduleRefresh();
        }
    }

    scheduleRefresh(): void {
        if (this.timer) {
            clearTimeout(this.timer);
        }
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.refresh().catch(error => this.logger.warn('Source control refresh failed', error));
        }, REFRESH_DELAY_MS);
    }

    /** Reads the status now; calls made while one runs are folded into one more run after it. */
    async refresh(): Promise<void> {
        if (this.refreshing) {
            this.again = true;
            return this.refreshing;
        }
        this.refreshing = (async () => {
            try {
                do {
                    this.again = false;
                    await this.provider.refresh();
                } while (this.again);
                this.resources.repositoryChanged();
            } finally {
                this.refreshing = undefined;
            }
        })();
        return this.refreshing;
    }

    onStop(): void {
        this.toDispose.dispose();
    }
}
