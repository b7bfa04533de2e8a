import { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';

export const GIT_SERVICE_PATH = '/services/coditect/git';

/** What happened to a file, as one letter of `git status` tells it. */
export type GitChangeKind = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'type-changed' | 'untracked' | 'conflicted';

/** One changed file. Paths are workspace-relative with forward slashes (the repository is the workspace folder). */
export interface GitChange {
    readonly path: string;
    /** The path before a rename or copy. */
    readonly oldPath?: string;
    readonly kind: GitChangeKind;
}

/** The repository's state, as `git status` sees it. */
export interface GitStatus {
    /** The checked-out branch; undefined when HEAD is detached. */
    readonly branch?: string;
    /** The branch's upstream (`origin/main`), when it has one. */
    readonly upstream?: string;
    readonly ahead: number;
    readonly behind: number;
    /** False in a repository without any commit yet. */
    readonly hasCommits: boolean;
    readonly staged: readonly GitChange[];
    readonly unstaged: readonly GitChange[];
    readonly untracked: readonly GitChange[];
    /** Files with unresolved merge conflicts (staging one marks it resolved). */
    readonly conflicts: readonly GitChange[];
}

export interface GitBranch {
    readonly name: string;
    readonly current: boolean;
    /** A remote-tracking branch (`origin/feature`) rather than a local one. */
    readonly remote: boolean;
    readonly commit: string;
}

export interface GitCommitInfo {
    readonly sha: string;
    readonly parents: readonly string[];
    readonly subject: string;
    readonly body: string;
    readonly authorName: string;
    readonly authorEmail: string;
    /** Milliseconds since the epoch. */
    readonly authorDate: number;
}

export interface GitCommitResult {
    readonly sha: string;
    readonly branch?: string;
    /** Said when the studio user's name was used because git has no user.name/user.email. */
    readonly identityNote?: string;
}

export interface GitLogOptions {
    readonly maxCount?: number;
    readonly skip?: number;
    /** Only commits touching this workspace path. */
    readonly path?: string;
    /** Where to start (a branch or commit); HEAD by default. */
    readonly ref?: string;
}

/** Where a ref lives: a local branch, a remote-tracking branch, or a tag. */
export type GitRefKind = 'branch' | 'remote' | 'tag';

/** A branch or tag, and the commit it points at. */
export interface GitRefInfo {
    /** The full name (`refs/heads/main`, `refs/remotes/origin/main`, `refs/tags/v1.0`): unique, and a revision git takes. */
    readonly fullName: string;
    /** The name as people write it (`main`, `origin/main`, `v1.0`). */
    readonly name: string;
    readonly kind: GitRefKind;
    /** The commit; for an annotated tag, the commit it tags (not the tag object). */
    readonly commit: string;
}

/** The repository's branches and tags, and where HEAD is. */
export interface GitRefs {
    /** HEAD's commit; undefined before the first commit. */
    readonly head?: string;
    /** The checked-out branch's full name (also before its first commit); undefined when HEAD is detached. */
    readonly branch?: string;
    /** The full name of the checked-out branch's upstream, when it has one that exists here (was fetched). */
    readonly upstream?: string;
    /** Local branches, remote-tracking branches (without `origin/HEAD`) and tags, by full name. */
    readonly refs: readonly GitRefInfo[];
}

/** The most commits one call of `graph` gives. */
export const MAX_GRAPH_COUNT = 500;

export interface GitGraphOptions {
    /** Where the walk starts: full ref names or commit ids (at most 16); HEAD when none. */
    readonly revisions?: readonly string[];
    readonly skip?: number;
    /** At most MAX_GRAPH_COUNT; 50 by default. */
    readonly maxCount?: number;
    /** The last commit wanted (a commit id): the history behind it is left out. */
    readonly until?: string;
    /** Only commits whose message contains this text, in any case. */
    readonly messageText?: string;
}

/** Lines a commit changed, as `git log --shortstat` counts them against its first parent. */
export interface GitCommitStatistics {
    readonly files: number;
    readonly insertions: number;
    readonly deletions: number;
}

/** A commit of the history graph: with its abbreviated id, the branches and tags on it, and its statistics. */
export interface GitGraphCommit extends GitCommitInfo {
    /** The id abbreviated as git does in this repository (`%h`). */
    readonly shortSha: string;
    readonly refs: readonly GitRefInfo[];
    /** Undefined for a merge and an empty commit (git counts no diff for them). */
    readonly statistics?: GitCommitStatistics;
}

/** A revision of a file: a commit-ish (`HEAD`, a sha), or '' for the index (the contract of Theia's ScmRepository.toUriAtRef). */
export type GitRef = string;

export const GitService = Symbol('GitService');
/**
 * Git on the workspace folder, through the `git` command line. Every path is workspace-relative
 * or absolute inside the workspace; anything else is refused with the workspace's path error.
 * Failures are errors whose message says what was wrong and what to do.
 */
export interface GitService extends RpcServer<unknown> {
    /** undefined when the workspace folder is not a git repository. */
    status(): Promise<GitStatus | undefined>;
    /** Makes the workspace folder a repository (`git init`). */
    init(): Promise<void>;
    stage(paths: string[]): Promise<void>;
    unstage(paths: string[]): Promise<void>;
    /** Puts the working-tree files back as the index has them; untracked files are deleted. */
    discard(paths: string[]): Promise<void>;
    /**
     * Applies hunks (unified-diff `@@` sections) of one file to the index with `git apply --cached`:
     * staged from working tree to index, or with `reverse` taken back out of the index.
     */
    applyHunks(path: string, hunks: string, reverse: boolean): Promise<void>;
    commit(message: string): Promise<GitCommitResult>;
    branches(): Promise<GitBranch[]>;
    createBranch(name: string, checkout: boolean): Promise<void>;
    checkout(branch: string): Promise<void>;
    pull(): Promise<string>;
    push(): Promise<string>;
    /** The file's content at `ref`; undefined when it does not exist there. */
    show(path: string, ref: GitRef): Promise<string | undefined>;
    log(options: GitLogOptions): Promise<GitCommitInfo[]>;
    /** The files a commit changed, compared with `parent` (a commit id) or else its first parent. */
    commitChanges(sha: string, parent?: string): Promise<GitChange[]>;
    /** Branches, tags, HEAD and its upstream; undefined when the workspace folder is not a repository. */
    refs(): Promise<GitRefs | undefined>;
    /**
     * The commits reachable from the options' revisions, children before parents (`--topo-order`, so
     * pages of `skip`/`maxCount` join up), each with its parents, refs and statistics: the history graph.
     */
    graph(options: GitGraphOptions): Promise<GitGraphCommit[]>;
    /** The best common ancestor of two or more revisions (`git merge-base`); undefined when they have none. */
    mergeBase(revisions: string[]): Promise<string | undefined>;
}
