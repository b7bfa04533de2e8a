import { Emitter, Event } from '@theia/core/lib/common/event';
import { nls } from '@theia/core/lib/common/nls';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { ScmActionButton, ScmCommand, ScmProvider } from '@theia/scm/lib/browser/scm-provider';
import { GitChange, GitService, GitStatus } from '../common/git-protocol';
import { GIT_SCHEME } from '../common/git-uri';
import { GitCommands } from './git-commands';
import { GitHistoryProvider } from './git-history-provider';
import { GitHistorySupport } from './git-history-support';
import { GitGroupId, GitScmResource, GitScmResourceGroup } from './git-scm-resource';

export const GitResourceOpener = Symbol('GitResourceOpener');
/** Opens a changed file the way its group calls for (a diff, or the file itself). */
export interface GitResourceOpener {
    open(resource: GitScmResource): Promise<void>;
}

/**
 * The workspace's git repository as Theia's SCM view sees it: the groups of changed files, the
 * Commit button, and the status-bar items. It holds the last status read from the backend; the
 * contribution asks it to refresh on file changes.
 *
 * Invariant: `id` is the `git` URI scheme, because Theia's ScmRepository.toUriAtRef names a file at
 * a revision with the provider's id as scheme (the gutter's dirty diff reads the index that way),
 * and GitResourceResolver serves that scheme.
 */
@injectable()
export class GitScmProvider implements ScmProvider {
    readonly id = GIT_SCHEME;
    readonly label = 'Git';
    readonly providerContextValue = 'git';

    @inject(GitService) protected readonly git: GitService;
    @inject(GitResourceOpener) protected readonly opener: GitResourceOpener;

    protected root = new URI();
    protected current: GitStatus | undefined;
    protected isRepository = false;

    protected readonly mergeGroup = new GitScmResourceGroup('merge', nls.localize('coditect/source-control/merge-changes', 'Merge Changes'), this, true);
    protected readonly indexGroup = new GitScmResourceGroup('index', nls.localize('coditect/source-control/staged-changes', 'Staged Changes'), this, true);
    protected readonly workingTreeGroup = new GitScmResourceGroup('workingTree', nls.localize('coditect/source-control/changes', 'Changes'), this, false);

    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;
    readonly onDidChangeResources: Event<void> = this.onDidChangeEmitter.event;
    protected readonly onDidChangeStatusBarCommandsEmitter = new Emitter<ScmCommand[] | undefined>();
    readonly onDidChangeStatusBarCommands = this.onDidChangeStatusBarCommandsEmitter.event;
    protected readonly onDidChangeActionButtonEmitter = new Emitter<ScmActionButton | undefined>();
    readonly onDidChangeActionButton = this.onDidChangeActionButtonEmitter.event;
    protected readonly onDidChangeCommitTemplateEmitter = new Emitter<string>();
    readonly onDidChangeCommitTemplate = this.onDidChangeCommitTemplateEmitter.event;
    protected readonly onDidChangeRepositoryEmitter = new Emitter<boolean>();
    /** Fires when the workspace becomes a repository or stops being one. */
    readonly onDidChangeRepository = this.onDidChangeRepositoryEmitter.event;

    /** The History view's source (@theia/scm-extra looks for this property). */
    historySupport: GitHistorySupport;

    /** The Graph section's source (@theia/scm's ScmHistoryGraphModel). */
    @inject(GitHistoryProvider) readonly historyProvider: GitHistoryProvider;

    @postConstruct()
    protected init(): void {
        this.historySupport = new GitHistorySupport(this.git, path => this.fileUri(path), this.onDidChange);
    }

    get rootUri(): string {
        return this.root.toString();
    }

    get status(): GitStatus | undefined {
        return this.current;
    }

    get groups(): GitScmResourceGroup[] {
        return this.isRepository ? [this.mergeGroup, this.indexGroup, this.workingTreeGroup] : [];
    }

    get acceptInputCommand(): ScmCommand | undefined {
        return this.isRepository ? { command: GitCommands.COMMIT.id, title: GitCommands.COMMIT.label! } : undefined;
    }

    get actionButton(): ScmActionButton {
        if (!this.isRepository) {
            return {
                command: { command: GitCommands.INIT.id, title: `$(repo) ${nls.localize('coditect/source-control/init-button', 'Initialize Repository')}`,
                    tooltip: nls.localize('coditect/source-control/init-tooltip', 'The workspace folder is not a git repository: make it one') },
                enabled: true,
                description: nls.localize('coditect/source-control/not-a-repository', 'The workspace folder is not a git repository.'),
            };
        }
        const staged = this.current?.staged.length ?? 0;
        return {
            command: { command: GitCommands.COMMIT.id, title: `$(check) ${nls.localize('coditect/source-control/commit-button', 'Commit')}`,
                tooltip: staged > 0 ? nls.localize('coditect/source-control/commit-tooltip', 'Commit the {0} staged file(s)', staged)
                    : nls.localize('coditect/source-control/nothing-staged-tooltip', 'Stage changes to commit them') },
            secondaryCommands: [[
                { command: GitCommands.PULL.id, title: GitCommands.PULL.label! },
                { command: GitCommands.PUSH.id, title: GitCommands.PUSH.label! },
                { command: GitCommands.SYNC.id, title: GitCommands.SYNC.label! },
            ], [
                { command: GitCommands.SWITCH_BRANCH.id, title: GitCommands.SWITCH_BRANCH.label! },
                { command: GitCommands.CREATE_BRANCH.id, title: GitCommands.CREATE_BRANCH.label! },
            ]],
            enabled: staged > 0,
        };
    }

    get statusBarCommands(): ScmCommand[] {
        const status = this.current;
        if (!status) {
            return [];
        }
        const branch = status.branch ?? nls.localize('coditect/source-control/detached', '(detached)');
        const commands: ScmCommand[] = [{
            title: `$(git-branch) ${branch}`, command: GitCommands.SWITCH_BRANCH.id,
            tooltip: nls.localize('coditect/source-control/branch-tooltip', 'Branch {0}: click to switch or create a branch', branch),
        }];
        if (status.upstream) {
            commands.push({
                title: `$(sync) ${status.behind}↓ ${status.ahead}↑`, command: GitCommands.SYNC.id,
                tooltip: nls.localize('coditect/source-control/sync-tooltip', '{0} behind, {1} ahead of {2}: click to pull, then push', status.behind, status.ahead, status.upstream),
            });
        }
        return commands;
    }

    /** Points the provider at the workspace folder (before the first refresh). */
    setRoot(root: URI): void {
        this.root = root;
        this.historyProvider.setRoot(root);
    }

    /** Reads the status again and updates the groups; the view and the gutters follow, then the graph's refs. */
    async refresh(): Promise<void> {
        const status = await this.git.status();
        const wasRepository = this.isRepository;
        this.current = status;
        this.isRepository = status !== undefined;
        this.mergeGroup.resources = this.resources(this.mergeGroup, status?.conflicts ?? []);
        this.indexGroup.resources = this.resources(this.indexGroup, status?.staged ?? []);
        this.workingTreeGroup.resources = this.resources(this.workingTreeGroup, [...status?.unstaged ?? [], ...status?.untracked ?? []]);
        if (wasRepository !== this.isRepository) {
            this.onDidChangeRepositoryEmitter.fire(this.isRepository);
        }
        this.onDidChangeEmitter.fire();
        this.onDidChangeStatusBarCommandsEmitter.fire(this.statusBarCommands);
        this.onDidChangeActionButtonEmitter.fire(this.actionButton);
        await this.historyProvider.refresh(this.isRepository);
    }

    /** The file URI of a workspace-relative path. */
    fileUri(relativePath: string): URI {
        return this.root.resolve(relativePath);
    }

    protected resources(group: GitScmResourceGroup & { id: GitGroupId }, changes: readonly GitChange[]): GitScmResource[] {
        return [...changes].sort((a, b) => a.path.localeCompare(b.path))
            .map(change => new GitScmResource(this.fileUri(change.path), change, group, resource => this.opener.open(resource),
                change.oldPath !== undefined ? this.fileUri(change.oldPath) : undefined));
    }

    dispose(): void {
        this.onDidChangeEmitter.dispose();
        this.onDidChangeStatusBarCommandsEmitter.dispose();
        this.onDidChangeActionButtonEmitter.dispose();
        this.onDidChangeCommitTemplateEmitter.dispose();
        this.onDidChangeRepositoryEmitter.dispose();
        this.historyProvider.dispose();
    }
}
