import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import { open, OpenerService } from '@theia/core/lib/browser/opener-service';
import { Command, CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MenuContribution, MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { ProgressService } from '@theia/core/lib/common/progress-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { EDITOR_CONTEXT_MENU } from '@theia/editor/lib/browser/editor-menu';
import { SCM_CHANGE_TITLE_MENU, DirtyDiffWidget } from '@theia/scm/lib/browser/dirty-diff/dirty-diff-widget';
import { ScmService } from '@theia/scm/lib/browser/scm-service';
import { ScmTreeWidget } from '@theia/scm/lib/browser/scm-tree-widget';
import { SharedCommands } from '@coditect/studio-platform/common';
import { fileLines, hunkOf } from '../common/change-hunk';
import { GitService } from '../common/git-protocol';
import { GIT_SCHEME } from '../common/git-uri';
import { GitBranchPicker } from './git-branch-picker';
import { GitCommitOpener } from './git-commit-opener';
import { GitCommands } from './git-commands';
import { GitRepositoryContribution } from './git-repository-contribution';
import { GitResourceOpenerImpl } from './git-resource-opener';
import { GitScmProvider } from './git-scm-provider';
import { GitScmResource, GitScmResourceGroup } from './git-scm-resource';
import { GitSelectedRanges } from './git-selected-ranges';

/** The SCM view's `when` for our rows, by group (menus show an action only where it means something). */
const IN_GROUP = (group: string) => `scmProvider == git && scmResourceGroup == ${group}`;

/**
 * The Git commands: what the SCM view's inline actions, the Commit button, Ctrl/Cmd+Enter in the
 * message box, the status-bar items and the change peek run. Each reports failures with the
 * backend's message (which says what to do) and refreshes the view after a change.
 */
@injectable()
export class GitCommandContribution implements CommandContribution, MenuContribution {
    @inject(GitService) protected readonly git: GitService;
    @inject(GitScmProvider) protected readonly provider: GitScmProvider;
    @inject(GitRepositoryContribution) protected readonly repository: GitRepositoryContribution;
    @inject(ScmService) protected readonly scmService: ScmService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(ProgressService) protected readonly progress: ProgressService;
    @inject(OpenerService) protected readonly openerService: OpenerService;
    @inject(GitResourceOpenerImpl) protected readonly resourceOpener: GitResourceOpenerImpl;
    @inject(GitBranchPicker) protected readonly branchPicker: GitBranchPicker;
    @inject(GitSelectedRanges) protected readonly selectedRanges: GitSelectedRanges;
    @inject(GitCommitOpener) protected readonly commitOpener: GitCommitOpener;

    registerCommands(commands: CommandRegistry): void {
        const inRepository = () => this.provider.status !== undefined;
        this.register(commands, GitCommands.INIT, () => this.git.init(), () => !inRepository());
        this.register(commands, GitCommands.REFRESH, async () => undefined, () => true);
        this.register(commands, GitCommands.COMMIT, () => this.commit(), inRepository);
        this.register(commands, GitCommands.STAGE, (...args) => this.git.stage(this.paths(args)), inRepository);
        this.register(commands, GitCommands.UNSTAGE, (...args) => this.git.unstage(this.paths(args)), inRepository);
        this.register(commands, GitCommands.STAGE_ALL, (...args) => this.git.stage(this.paths(this.groupResources(args))), inRepository);
        this.register(commands, GitCommands.UNSTAGE_ALL, (...args) => this.git.unstage(this.paths(this.groupResources(args))), inRepository);
        this.register(commands, GitCommands.DISCARD, (...args) => this.discard(this.resources(args)), inRepository);
        commands.registerCommand(GitCommands.OPEN_FILE, {
            execute: (...args: unknown[]) => Promise.all(this.resources(args).map(resource => open(this.openerService, resource.sourceUri))),
        });
        commands.registerCommand(GitCommands.OPEN_CHANGES, {
            execute: (...args: unknown[]) => Promise.all(this.resources(args).map(resource => this.resourceOpener.open(resource))),
        });
        this.register(commands, GitCommands.STAGE_CHANGE, (widget: unknown) => this.stageChange(widget as DirtyDiffWidget), inRepository);
        for (const [command, direction] of [[GitCommands.STAGE_SELECTED_RANGES, 'stage'], [GitCommands.UNSTAGE_SELECTED_RANGES, 'unstage']] as const) {
            const applies = () => inRepository() && this.selectedRanges.appliesTo(direction);
            this.register(commands, command, () => this.applySelectedRanges(direction), applies, applies);
        }
        this.register(commands, GitCommands.SWITCH_BRANCH, () => this.switchBranch(), inRepository);
        this.register(commands, GitCommands.CREATE_BRANCH, () => this.createBranch(), inRepository);
        this.register(commands, GitCommands.PULL, () => this.withProgress(nls.localize('coditect/source-control/pulling', 'Pulling…'), () => this.git.pull()), inRepository);
        this.register(commands, GitCommands.PUSH, () => this.withProgress(nls.localize('coditect/source-control/pushing', 'Pushing…'), () => this.git.push()), inRepository);
        // Enabled whatever the repository's state: the Changes view shows a task's commits while this command exists.
        this.register(commands, SharedCommands.GIT_OPEN_COMMIT, (arg?: unknown) => this.commitOpener.open(shaOf(arg)), () => true);
        this.register(commands, GitCommands.SYNC, () => this.withProgress(nls.localize('coditect/source-control/syncing', 'Syncing…'), async () => {
            await this.git.pull();
            return this.git.push();
        }), inRepository);
    }

    registerMenus(menus: MenuModelRegistry): void {
        const inline = (commandId: string, group: string, order: string) =>
            menus.registerMenuAction(ScmTreeWidget.RESOURCE_INLINE_MENU, { commandId, when: IN_GROUP(group), order });
        inline(GitCommands.OPEN_FILE.id, 'workingTree', 'a');
        inline(GitCommands.DISCARD.id, 'workingTree', 'b');
        inline(GitCommands.STAGE.id, 'workingTree', 'c');
        inline(GitCommands.OPEN_FILE.id, 'index', 'a');
        inline(GitCommands.UNSTAGE.id, 'index', 'c');
        inline(GitCommands.OPEN_FILE.id, 'merge', 'a');
        inline(GitCommands.STAGE.id, 'merge', 'c');
        for (const group of ['workingTree', 'index', 'merge']) {
            menus.registerMenuAction(ScmTreeWidget.RESOURCE_CONTEXT_MENU, { commandId: GitCommands.OPEN_CHANGES.id, when: IN_GROUP(group), order: 'a' });
            menus.registerMenuAction(ScmTreeWidget.RESOURCE_CONTEXT_MENU, { commandId: GitCommands.OPEN_FILE.id, when: IN_GROUP(group), order: 'b' });
        }
        menus.registerMenuAction(ScmTreeWidget.RESOURCE_CONTEXT_MENU, { commandId: GitCommands.STAGE.id, when: IN_GROUP('workingTree'), order: 'c' });
        menus.registerMenuAction(ScmTreeWidget.RESOURCE_CONTEXT_MENU, { commandId: GitCommands.DISCARD.id, when: IN_GROUP('workingTree'), order: 'd' });
        menus.registerMenuAction(ScmTreeWidget.RESOURCE_CONTEXT_MENU, { commandId: GitCommands.UNSTAGE.id, when: IN_GROUP('index'), order: 'c' });
        menus.registerMenuAction(ScmTreeWidget.RESOURCE_GROUP_INLINE_MENU, { commandId: GitCommands.STAGE_ALL.id, when: IN_GROUP('workingTree') });
        menus.registerMenuAction(ScmTreeWidget.RESOURCE_GROUP_INLINE_MENU, { commandId: GitCommands.UNSTAGE_ALL.id, when: IN_GROUP('index') });
        // A diff editor's context menu, shown only in the diffs they apply to.
        menus.registerMenuAction([...EDITOR_CONTEXT_MENU, '1_modification'], { commandId: GitCommands.STAGE_SELECTED_RANGES.id });
        menus.registerMenuAction([...EDITOR_CONTEXT_MENU, '1_modification'], { commandId: GitCommands.UNSTAGE_SELECTED_RANGES.id });
        // The change peek of the editor gutter: stage just the change shown.
        menus.registerMenuAction(SCM_CHANGE_TITLE_MENU, { commandId: GitCommands.STAGE_CHANGE.id, when: `originalResourceScheme == ${GIT_SCHEME}` });
    }

    /** Registers a command whose failures become an error message, and which refreshes the view when done. */
    protected register(
        commands: CommandRegistry, command: Command, run: (...args: unknown[]) => Promise<unknown>, isEnabled: () => boolean, isVisible?: () => boolean,
    ): void {
        commands.registerCommand(command, {
            isEnabled,
            isVisible,
            execute: async (...args: unknown[]) => {
                try {
                    const result = await run(...args);
                    if (typeof result === 'string' && result.length > 0) {
                        this.messages.info(result);
                    }
                } catch (error) {
                    this.messages.error(error instanceof Error ? error.message.replace(/^[A-Za-z]*Error: /, '') : String(error));
                } finally {
                    await this.repository.refresh();
                }
            },
        });
    }

    protected async commit(): Promise<void> {
        const input = this.scmService.selectedRepository?.input;
        const result = await this.git.commit(input?.value ?? '');
        if (input) {
            input.value = '';
        }
        if (result.identityNote) {
            this.messages.warn(result.identityNote);
        }
    }

    protected async discard(resources: GitScmResource[]): Promise<void> {
        if (resources.length === 0) {
            return;
        }
        const untracked = resources.filter(resource => resource.change.kind === 'untracked').length;
        const names = resources.map(resource => resource.sourceUri.path.base).join(', ');
        const confirmed = await new ConfirmDialog({
            title: nls.localize('coditect/source-control/discard-title', 'Discard Changes'),
            msg: untracked > 0
                ? nls.localize('coditect/source-control/discard-untracked', 'Delete {0}? It is not tracked by git, so it cannot be brought back.', names)
                : nls.localize('coditect/source-control/discard-tracked', 'Discard your changes to {0}? They cannot be brought back.', names),
            ok: untracked > 0 ? nls.localize('coditect/source-control/delete', 'Delete') : nls.localize('coditect/source-control/discard', 'Discard'),
        }).open();
        if (confirmed) {
            await this.git.discard(resources.map(resource => resource.sourceUri.path.fsPath()));
        }
    }

    /** Stages the change the gutter's peek shows: that hunk of the working file, against the index. */
    protected async stageChange(widget: DirtyDiffWidget | undefined): Promise<void> {
        const change = widget?.currentChange;
        if (!widget || !change) {
            return;
        }
        const path = widget.uri.path.fsPath();
        const original = (await this.git.show(path, '')) ?? '';
        const hunk = hunkOf(fileLines(original), fileLines(widget.editor.document.getText()), change.previousRange, change.currentRange);
        await this.git.applyHunks(path, hunk, false);
    }

    protected async applySelectedRanges(direction: 'stage' | 'unstage'): Promise<void> {
        if (!await this.selectedRanges.apply(direction)) {
            this.messages.info(nls.localize('coditect/source-control/no-range',
                'The selection touches no change of this diff; select lines of a change (on the right side) first.'));
        }
    }

    protected async switchBranch(): Promise<void> {
        const choice = await this.branchPicker.pick();
        if (choice?.kind === 'checkout') {
            await this.git.checkout(choice.branch);
        } else if (choice?.kind === 'create') {
            await this.createBranch();
        }
    }

    protected async createBranch(): Promise<void> {
        const name = await this.branchPicker.askName();
        if (name) {
            await this.git.createBranch(name, true);
        }
    }

    protected withProgress<T>(text: string, work: () => Promise<T>): Promise<T> {
        return this.progress.withProgress(text, 'window', work);
    }

    protected resources(args: unknown[]): GitScmResource[] {
        return args.flat().filter((arg): arg is GitScmResource => arg instanceof GitScmResource);
    }

    protected groupResources(args: unknown[]): GitScmResource[] {
        return args.filter((arg): arg is GitScmResourceGroup => arg instanceof GitScmResourceGroup).flatMap(group => group.resources);
    }

    protected paths(args: unknown[]): string[] {
        return this.resources(args).map(resource => resource.sourceUri.path.fsPath());
    }
}

/** The commit a GIT_OPEN_COMMIT argument names; undefined (ask) for none. */
function shaOf(arg: unknown): string | undefined {
    const sha = typeof arg === 'object' && arg !== null ? (arg as { sha?: unknown }).sha : undefined;
    return typeof sha === 'string' && sha !== '' ? sha : undefined;
}
