import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { DiffUris } from '@theia/core/lib/browser/diff-uris';
import { Event } from '@theia/core/lib/common/event';
import URI from '@theia/core/lib/common/uri';
import { HistoryWidgetOptions, ScmHistorySupport } from '@theia/scm-extra/lib/browser/history/scm-history-constants';
import { ScmFileChange, ScmHistoryCommit } from '@theia/scm-extra/lib/browser/scm-file-change-node';
import { GitChange, GitCommitInfo, GitService } from '../common/git-protocol';
import { toGitUri } from '../common/git-uri';
import { CHANGE_LOOKS } from './git-scm-resource';
import { revisionLabel } from './git-resource-resolver';

/** Commits read for one page of the History view (scm-extra asks again as it scrolls). */
const PAGE_SIZE = 50;

/**
 * The History view (@theia/scm-extra) of the workspace's repository: the log of HEAD or of one
 * file, each commit with the files it changed; a file opens as a diff against the commit's parent.
 */
export class GitHistorySupport implements ScmHistorySupport {
    constructor(
        protected readonly git: GitService,
        protected readonly fileUri: (path: string) => URI,
        readonly onDidChangeHistory: Event<void>,
    ) { }

    async getCommitHistory(options: HistoryWidgetOptions = {}): Promise<ScmHistoryCommit[]> {
        const path = options.uri ? new URI(options.uri).path.fsPath() : undefined;
        const commits = await this.git.log({ maxCount: options.maxCount ?? PAGE_SIZE, path, ref: options.range?.toRevision });
        return Promise.all(commits.map(async commit => this.toHistoryCommit(commit, await this.git.commitChanges(commit.sha))));
    }

    protected toHistoryCommit(commit: GitCommitInfo, changes: GitChange[]): ScmHistoryCommit {
        return {
            id: commit.sha,
            summary: commit.subject,
            authorName: commit.authorName,
            authorEmail: commit.authorEmail,
            authorDateRelative: relativeTime(commit.authorDate),
            commitDetailUri: toGitUri(this.fileUri(changes[0]?.path ?? ''), commit.sha),
            commitDetailOptions: {},
            fileChanges: changes.map(change => this.toFileChange(commit, change)),
        };
    }

    protected toFileChange(commit: GitCommitInfo, change: GitChange): ScmFileChange {
        const file = this.fileUri(change.path);
        const look = CHANGE_LOOKS[change.kind];
        return {
            uri: file.toString(),
            getCaption: () => change.path,
            getStatusCaption: () => look.tooltip(),
            getStatusAbbreviation: () => look.letter,
            getClassNameForStatus: () => `git-status-${change.kind} ${codicon('file')}`,
            getUriToOpen: () => commitChangeUri(commit, change, this.fileUri),
        };
    }
}

/**
 * What opens for a file a commit changed: the diff of the file in the commit's first parent against
 * the commit; a file the commit added or deleted (or any file of a root commit) by itself, as it is
 * in the commit (deleted: in the parent).
 */
export function commitChangeUri(commit: GitCommitInfo, change: GitChange, fileUri: (path: string) => URI): URI {
    const parent = commit.parents[0];
    const { before, after } = commitChangeSides(commit.sha, parent, change, fileUri);
    if (before && after) {
        return DiffUris.encode(before, after, `${fileUri(change.path).path.base} (${revisionLabel(parent)} ↔ ${revisionLabel(commit.sha)})`);
    }
    return after ?? before ?? toGitUri(fileUri(change.path), commit.sha);
}

/**
 * The two sides of a file a commit changed, as `git:` URIs: `before` in `parent` (at its old path when
 * renamed or copied), `after` in the commit. A side the file is not in is undefined: `before` of an
 * added file or of any file of a root commit (no parent), `after` of a deleted file.
 */
export function commitChangeSides(sha: string, parent: string | undefined, change: GitChange, fileUri: (path: string) => URI): { before?: URI; after?: URI } {
    const file = fileUri(change.path);
    return {
        before: parent && change.kind !== 'added' ? toGitUri(change.oldPath ? fileUri(change.oldPath) : file, parent) : undefined,
        after: change.kind !== 'deleted' ? toGitUri(file, sha) : undefined,
    };
}

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [['year', 31_536_000], ['month', 2_592_000], ['week', 604_800], ['day', 86_400], ['hour', 3_600], ['minute', 60]];

export function relativeTime(time: number): string {
    const seconds = Math.round((time - Date.now()) / 1000);
    for (const [unit, size] of UNITS) {
        if (Math.abs(seconds) >= size) {
            return RELATIVE.format(Math.round(seconds / size), unit);
        }
    }
    return RELATIVE.format(seconds, 'second');
}
