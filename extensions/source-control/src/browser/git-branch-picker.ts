import { QuickInputService, QuickPickItem } from '@theia/core/lib/common/quick-pick-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { GitBranch, GitService } from '../common/git-protocol';

export type BranchChoice = { readonly kind: 'checkout'; readonly branch: string } | { readonly kind: 'create'; readonly name?: string };

/** The quick pick behind the status bar's branch item: switch to a local or remote branch, or create one. */
@injectable()
export class GitBranchPicker {
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(GitService) protected readonly git: GitService;

    async pick(): Promise<BranchChoice | undefined> {
        const branches = await this.git.branches();
        const create: QuickPickItem & { choice: BranchChoice } = {
            label: `$(plus) ${nls.localize('coditect/source-control/create-branch-item', 'Create new branch…')}`,
            choice: { kind: 'create' },
        };
        const items = [create, ...branches.map(branch => this.item(branch))];
        const picked = await this.quickInput.showQuickPick(items, {
            placeholder: nls.localize('coditect/source-control/pick-branch', 'Select a branch to check out, or create one'),
        });
        return picked?.choice;
    }

    async askName(): Promise<string | undefined> {
        const name = await this.quickInput.input({
            prompt: nls.localize('coditect/source-control/branch-name-prompt', 'Name of the new branch (it is checked out)'),
            placeHolder: 'feature/my-change',
            validateInput: async value => /\s/.test(value) ? nls.localize('coditect/source-control/branch-name-space', 'A branch name has no spaces.') : undefined,
        });
        return name?.trim() || undefined;
    }

    protected item(branch: GitBranch): QuickPickItem & { choice: BranchChoice } {
        return {
            label: `${branch.remote ? '$(cloud)' : '$(git-branch)'} ${branch.name}`,
            description: branch.current ? nls.localize('coditect/source-control/current-branch', 'current') : branch.commit.slice(0, 7),
            choice: { kind: 'checkout', branch: branch.name },
        };
    }
}
