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
    /** The files a commit changed, compared with its first parent. */
    commitChanges(sha: string): Promise<GitChange[]>;
}
