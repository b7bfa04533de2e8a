import { open, OpenerService } from '@theia/core/lib/browser/opener-service';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { QuickInputService, QuickPickItem } from '@theia/core/lib/common/quick-pick-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { GitChange, GitCommitInfo, GitService } from '../common/git-protocol';
import { commitChangeUri, relativeTime } from './git-history-support';
import { GitScmProvider } from './git-scm-provider';
import { CHANGE_LOOKS } from './git-scm-resource';

/** Commits offered when none is given (the palette). */
const PICKED_FROM = 50;

/**
 * Opens a commit's changes (SharedCommands.GIT_OPEN_COMMIT: the Changes view's commits of a task,
 * the palette): a commit of one file opens its diff with the commit's parent at once, one of
 * several files asks which, each opening as the History view opens it.
 */
@injectable()
export class GitCommitOpener {
    @inject(GitService) protected readonly git: GitService;
    @inject(GitScmProvider) protected readonly provider: GitScmProvider;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(OpenerService) protected readonly openerService: OpenerService;
    @inject(MessageService) protected readonly messages: MessageService;

    /** The commit's changes; without a commit, asks which of the latest. Says so when there is no such commit. */
    async open(sha?: string): Promise<void> {
        const commit = sha === undefined ? await this.pickCommit() : await this.commit(sha);
        if (!commit) {
            return;
        }
        const changes = await this.git.commitChanges(commit.sha);
        const name = `${commit.sha.slice(0, 7)} ${commit.subject}`;
        if (changes.length === 0) {
            this.messages.info(nls.localize('coditect/source-control/commit-no-files', 'Commit {0} changed no file.', name));
            return;
        }
        const change = changes.length === 1 ? changes[0] : await this.pickFile(name, changes);
        if (change) {
            await open(this.openerService, commitChangeUri(commit, change, path => this.provider.fileUri(path)), { mode: 'reveal' });
        }
    }

    protected async commit(sha: string): Promise<GitCommitInfo | undefined> {
        const [commit] = await this.git.log({ ref: sha, maxCount: 1 }).catch(() => []);
        if (!commit) {
            this.messages.warn(nls.localize('coditect/source-control/commit-not-found',
                'Commit {0} is not in the workspace\'s repository: it was rewritten (a rebase, an amend) or removed, or the workspace folder is no longer a repository.', sha.slice(0, 7)));
        }
        return commit;
    }

    protected async pickCommit(): Promise<GitCommitInfo | undefined> {
        const commits = await this.git.log({ maxCount: PICKED_FROM });
        if (commits.length === 0) {
            this.messages.info(nls.localize('coditect/source-control/no-commits', 'The workspace\'s repository has no commits yet.'));
            return undefined;
        }
        const items = commits.map((commit): QuickPickItem & { commit: GitCommitInfo } => ({
            label: `$(git-commit) ${commit.subject}`, description: `${commit.sha.slice(0, 7)} · ${commit.authorName} · ${relativeTime(commit.authorDate)}`, commit,
        }));
        const picked = await this.quickInput.showQuickPick(items, { placeholder: nls.localize('coditect/source-control/pick-commit', 'Open the changes of which commit?') });
        return picked?.commit;
    }

    protected async pickFile(commitName: string, changes: readonly GitChange[]): Promise<GitChange | undefined> {
        const items = changes.map((change): QuickPickItem & { change: GitChange } => ({
            label: change.path, description: change.oldPath ? `${CHANGE_LOOKS[change.kind].tooltip()} (${change.oldPath})` : CHANGE_LOOKS[change.kind].tooltip(), change,
        }));
        const picked = await this.quickInput.showQuickPick(items, {
            title: commitName,
            placeholder: nls.localize('coditect/source-control/pick-commit-file', 'The commit changed {0} files: open which one\'s diff?', changes.length),
        });
        return picked?.change;
    }
}
