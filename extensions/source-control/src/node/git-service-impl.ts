import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { RpcPolicy, SerialQueue, WorkspacePathError, WorkspacePaths } from '@coditect/workspace-backend';
import { StudioUserProvider, StudioWorkspaceRoot } from '@coditect/studio-platform/node';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { SimpleGit } from 'simple-git';
import {
    GitBranch, GitChange, GitCommitInfo, GitCommitResult, GitGraphCommit, GitGraphOptions, GitLogOptions, MAX_GRAPH_COUNT, GitRef, GitRefs, GitService, GitStatus,
} from '../common/git-protocol';
import { singleFilePatch } from './file-patch';
import { commandFailure, GitOperationError, gitOutputOf, remoteFailure, unknownRevisionOf } from './git-failure';
import { GRAPH_FORMAT, GRAPH_REF_PATTERNS, parseGraph, parseRefs, REF_FORMAT } from './git-graph-parser';
import { LOG_FORMAT, parseLog, parseNameStatus } from './git-log-parser';
import { GitIdentityEnvironment, gitClient } from './git-runner';
import { toGitStatus } from './git-status-reader';

/** The action of each method (policy/entry-policy.ts): reading the repository is seeing the workspace; the rest changes it. */
export const GitServicePolicy: RpcPolicy<GitService> = {
    status: 'workspace.read', show: 'workspace.read', log: 'workspace.read', commitChanges: 'workspace.read', branches: 'workspace.read',
    refs: 'workspace.read', graph: 'workspace.read', mergeBase: 'workspace.read',
    init: 'source-control.write', stage: 'source-control.write', unstage: 'source-control.write', discard: 'source-control.write',
    applyHunks: 'source-control.write', commit: 'source-control.write', createBranch: 'source-control.write', checkout: 'source-control.write',
    pull: 'source-control.write', push: 'source-control.write',
    setClient: 'connection', getClient: 'connection', dispose: 'connection',
};

export const GitWorkQueue = Symbol('GitWorkQueue');

/** How many commits `log` gives at most in one call. */
const MAX_LOG_COUNT = 500;
/** How many commits `graph` gives when not told: a page of Theia's Graph section. */
const GRAPH_PAGE = 50;
/** How many revisions `graph` and `mergeBase` take at most. */
const MAX_REVISIONS = 16;
/** A full or abbreviated commit id. */
const COMMIT_ID = /^[0-9a-f]{4,64}$/i;
/** A revision git could not read as an option: no leading "-", no white space or control characters. */
const REVISION = /^[^-\s\p{Cc}][^\s\p{Cc}]{0,255}$/u;

/**
 * Git on the workspace folder for one browser connection (so a commit knows who is committing).
 *
 * Invariants: every path is confined to the workspace by WorkspacePaths before git sees it, and is
 * passed after `--`; refs and branch names are refused when they could read as an option; every
 * command runs through the backend's one GitWorkQueue, so two connections (or a refresh and a
 * stage) never race for git's index lock.
 */
@injectable()
export class GitServiceImpl implements GitService {

    @inject(StudioWorkspaceRoot)
    protected readonly workspaceRoot: StudioWorkspaceRoot;

    @inject(StudioUserProvider)
    protected readonly users: StudioUserProvider;

    @inject(GitWorkQueue)
    protected readonly queue: SerialQueue;

    protected pathsCache: WorkspacePaths | undefined;

    protected get workspaceDir(): string {
        return this.workspaceRoot.config.workspaceDir;
    }

    protected get paths(): WorkspacePaths {
        return this.pathsCache ??= new WorkspacePaths(this.workspaceDir);
    }

    protected git(identity?: GitIdentityEnvironment): SimpleGit {
        return gitClient(this.workspaceDir, identity);
    }

    /** Runs `work` in the queue, turning git's failures into errors that say what could not be done. */
    protected run<T>(what: string, work: () => Promise<T>): Promise<T> {
        return this.queue.run(async () => {
            try {
                return await work();
            } catch (error) {
                throw error instanceof GitOperationError || error instanceof WorkspacePathError ? error : commandFailure(what, error);
            }
        });
    }

    setClient(): void {
        // No pushes: the browser refreshes on file-system events (the workspace's and .git's).
    }

    getClient(): undefined {
        return undefined;
    }

    dispose(): void {
        // Nothing is held per connection.
    }

    async status(): Promise<GitStatus | undefined> {
        return this.run('read the repository status', async () => {
            if (!await this.isRepository()) {
                return undefined;
            }
            const git = this.git();
            const hasCommits = await this.hasCommits(git);
            return toGitStatus(await git.status(), hasCommits);
        });
    }

    async init(): Promise<void> {
        return this.run('initialize a repository', async () => {
            if (await this.isRepository()) {
                throw new GitOperationError('The workspace folder is already a git repository; nothing was done.');
            }
            const git = this.git();
            const configured = (await git.raw(['config', '--get', 'init.defaultBranch']).catch(() => '')).trim();
            await git.raw(['init', `--initial-branch=${configured || 'main'}`]);
        });
    }

    async stage(paths: string[]): Promise<void> {
        const relative = this.relativePaths(paths);
        return this.run('stage', async () => {
            await this.requireRepository();
            // -A stages deletions too (a deleted file's path no longer matches anything on disk).
            await this.git().raw(['add', '-A', '--', ...relative]);
        });
    }

    async unstage(paths: string[]): Promise<void> {
        const relative = this.relativePaths(paths);
        return this.run('unstage', async () => {
            await this.requireRepository();
            const git = this.git();
            if (await this.hasCommits(git)) {
                await git.raw(['reset', '-q', 'HEAD', '--', ...relative]);
            } else {
                // Before the first commit there is no HEAD to reset to: take the files out of the index.
                await git.raw(['rm', '--cached', '-r', '-q', '--', ...relative]);
            }
        });
    }

    async discard(paths: string[]): Promise<void> {
        const relative = this.relativePaths(paths);
        return this.run('discard the changes', async () => {
            await this.requireRepository();
            const git = this.git();
            const status = await git.status();
            const untracked = new Set(status.files.filter(file => file.index === '?').map(file => file.path));
            const tracked = relative.filter(file => !untracked.has(file));
            if (tracked.length > 0) {
                await git.raw(['checkout', '--', ...tracked]);
            }
            for (const file of relative.filter(candidate => untracked.has(candidate))) {
                await fs.rm(this.paths.absolute(file), { recursive: true, force: true });
            }
        });
    }

    async applyHunks(filePath: string, hunks: string, reverse: boolean): Promise<void> {
        const relative = this.relativeFile(filePath);
        const patch = singleFilePatch(relative, hunks);
        return this.run(reverse ? 'unstage the change' : 'stage the change', async () => {
            await this.requireRepository();
            // simple-git passes no stdin to a command, so the patch goes through a private temporary file.
            const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'coditect-git-'));
            try {
                const patchFile = path.join(folder, 'change.patch');
                await fs.writeFile(patchFile, patch, { mode: 0o600 });
                await this.git().raw(['apply', '--cached', '--recount', ...(reverse ? ['--reverse'] : []), patchFile]);
            } finally {
                await fs.rm(folder, { recursive: true, force: true });
            }
        });
    }

    async commit(message: string): Promise<GitCommitResult> {
        if (typeof message !== 'string' || message.trim().length === 0) {
            throw new GitOperationError('The commit message is empty: type a message describing the change above the Commit button, then commit.');
        }
        return this.run('commit', async () => {
            await this.requireRepository();
            const status = await this.git().status();
            const summary = toGitStatus(status, true);
            if (summary.conflicts.length > 0) {
                throw new GitOperationError(`${summary.conflicts.length} file(s) still have merge conflicts (${summary.conflicts.map(c => c.path).join(', ')}): `
                    + 'resolve them and stage them, then commit.');
            }
            if (summary.staged.length === 0) {
                throw new GitOperationError('Nothing is staged to commit: stage the changes to include (the + beside a file under Changes), then commit.');
            }
            const { identity, note } = await this.commitIdentity();
            await this.git(identity).raw(['commit', '--quiet', '--cleanup=strip', '-m', message]);
            const sha = (await this.git().raw(['rev-parse', 'HEAD'])).trim();
            return { sha, branch: summary.branch, identityNote: note };
        });
    }

    async branches(): Promise<GitBranch[]> {
        return this.run('list the branches', async () => {
            await this.requireRepository();
            return this.branchesUnqueued();
        });
    }

    async createBranch(name: string, checkout: boolean): Promise<void> {
        return this.run(`create the branch "${name}"`, async () => {
            await this.requireRepository();
            const git = this.git();
            await this.requireValidBranchName(git, name);
            if (!await this.hasCommits(git)) {
                throw new GitOperationError('A branch needs a commit to start from: make the first commit, then create the branch.');
            }
            await git.raw(checkout ? ['switch', '--create', name] : ['branch', name]);
        });
    }

    async checkout(branch: string): Promise<void> {
        return this.run(`check out "${branch}"`, async () => {
            await this.requireRepository();
            const known = await this.branchesUnqueued();
            const target = known.find(candidate => candidate.name === branch);
            if (!target) {
                throw new GitOperationError(`There is no branch "${branch}": pick one of the listed branches, or create it.`);
            }
            const git = this.git();
            if (!target.remote) {
                await git.raw(['switch', branch]);
                return;
            }
            const local = branch.slice(branch.indexOf('/') + 1);
            await git.raw(known.some(candidate => !candidate.remote && candidate.name === local) ? ['switch', local] : ['switch', '--track', branch]);
        });
    }

    async pull(): Promise<string> {
        return this.run('pull', async () => {
            const { remote, branch } = await this.upstreamOf('pull');
            const { identity } = await this.commitIdentity(); // a merge commit needs an author
            try {
                return (await this.git(identity).raw(['pull', '--no-rebase', '--no-edit'])).trim() || `Pulled ${branch} from ${remote}.`;
            } catch (error) {
                throw remoteFailure('pull', remote, error);
            }
        });
    }

    async push(): Promise<string> {
        return this.run('push', async () => {
            const git = this.git();
            const branch = await this.currentBranch(git, 'push');
            const remotes = await this.remotes(git);
            const upstreamRemote = await this.configValue(git, `branch.${branch}.remote`);
            if (upstreamRemote) {
                try {
                    await git.raw(['push']);
                    return `Pushed ${branch} to ${upstreamRemote}.`;
                } catch (error) {
                    throw remoteFailure('push', upstreamRemote, error);
                }
            }
            // A branch without an upstream is published to the only remote (or origin), and tracks it from then on.
            const remote = remotes.length === 1 ? remotes[0] : remotes.find(name => name === 'origin');
            if (!remote) {
                throw new GitOperationError(`The branch "${branch}" has no upstream and there are several remotes (${remotes.join(', ')}): `
                    + `push it once from a terminal with git push -u <remote> ${branch}.`);
            }
            try {
                await git.raw(['push', '--set-upstream', remote, branch]);
                return `Published ${branch} to ${remote}.`;
            } catch (error) {
                throw remoteFailure('push', remote, error);
            }
        });
    }

    async show(filePath: string, ref: GitRef): Promise<string | undefined> {
        const relative = this.relativeFile(filePath);
        if (typeof ref !== 'string' || ref.startsWith('-') || ref.includes(':')) {
            throw new GitOperationError(`"${String(ref)}" is not a revision to read a file at (use HEAD, a commit, or '' for the index).`);
        }
        return this.run(`read ${relative} at ${ref || 'the index'}`, async () => {
            if (!await this.isRepository()) {
                return undefined;
            }
            try {
                return await this.git().raw(['show', `${ref}:${relative}`]);
            } catch {
                return undefined; // not in that revision: a new file's "before" is empty
            }
        });
    }

    async log(options: GitLogOptions): Promise<GitCommitInfo[]> {
        const maxCount = Math.min(Math.max(1, Math.floor(options.maxCount ?? 100)), MAX_LOG_COUNT);
        const skip = Math.max(0, Math.floor(options.skip ?? 0));
        const ref = options.ref ?? 'HEAD';
        if (ref.startsWith('-')) {
            throw new GitOperationError(`"${ref}" is not a revision to show the history of.`);
        }
        const pathArgs = options.path !== undefined ? ['--', this.relativeFile(options.path)] : [];
        return this.run('read the history', async () => {
            const git = this.git();
            if (!await this.isRepository() || !await this.hasCommits(git)) {
                return [];
            }
            return parseLog(await git.raw(['log', `--format=${LOG_FORMAT}`, `--max-count=${maxCount}`, `--skip=${skip}`, ...(options.path ? ['--follow'] : []), ref, ...pathArgs]));
        });
    }

    async commitChanges(sha: string, parent?: string): Promise<GitChange[]> {
        for (const id of parent === undefined ? [sha] : [sha, parent]) {
            if (typeof id !== 'string' || !COMMIT_ID.test(id)) {
                throw new GitOperationError(`"${String(id)}" is not a commit id.`);
            }
        }
        return this.run(`read the changes of ${sha}`, async () => {
            const git = this.git();
            const base = parent ?? (await git.raw(['rev-list', '--parents', '-n', '1', sha])).trim().split(' ')[1];
            const range = base ? [base, sha] : ['--root', sha];
            return parseNameStatus(await git.raw(['diff-tree', '--no-commit-id', '-r', '-M', '--name-status', '-z', ...range]));
        });
    }

    async refs(): Promise<GitRefs | undefined> {
        return this.run('read the branches and tags', async () => {
            if (!await this.isRepository()) {
                return undefined;
            }
            const git = this.git();
            const { refs, current } = parseRefs(await git.raw(['for-each-ref', `--format=${REF_FORMAT}`, ...GRAPH_REF_PATTERNS]));
            if (current) {
                // An upstream that was never fetched is configured but has no commit to show.
                const upstream = refs.some(ref => ref.fullName === current.upstream) ? current.upstream : undefined;
                return { refs, head: current.commit, branch: current.fullName, upstream };
            }
            // HEAD is detached, or on a branch without a commit yet (which for-each-ref does not list).
            const branch = (await git.raw(['symbolic-ref', '--quiet', 'HEAD']).catch(() => '')).trim() || undefined;
            const head = branch ? undefined : (await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '')).trim() || undefined;
            return { refs, head, branch };
        });
    }

    async graph(options: GitGraphOptions): Promise<GitGraphCommit[]> {
        const revisions = this.requireRevisions(options.revisions ?? [], 0, 'start the history graph from');
        const maxCount = Math.min(Math.max(1, Math.floor(options.maxCount ?? GRAPH_PAGE)), MAX_GRAPH_COUNT);
        const skip = Math.max(0, Math.floor(options.skip ?? 0));
        if (options.until !== undefined && (typeof options.until !== 'string' || !COMMIT_ID.test(options.until))) {
            throw new GitOperationError(`"${String(options.until)}" is not a commit id to end the history graph at.`);
        }
        // The commit itself is wanted, its parents' history not.
        const until = options.until !== undefined ? ['--not', `${options.until}^@`] : [];
        const text = typeof options.messageText === 'string' ? options.messageText.trim() : '';
        const filter = text ? ['--fixed-strings', '--regexp-ignore-case', `--grep=${text}`] : [];
        return this.run('read the history graph', async () => {
            const git = this.git();
            if (!await this.isRepository() || !await this.hasCommits(git)) {
                return [];
            }
            // The refs and the log in one turn of the queue: the refs on the commits are the log's.
            const { refs } = parseRefs(await git.raw(['for-each-ref', `--format=${REF_FORMAT}`, ...GRAPH_REF_PATTERNS]));
            try {
                // The statistics are counted without a repository's textconv or external diff programs
                // (its .git/config can name them, and agents write it), and no signature is checked.
                const output = await git.raw(['log', '--topo-order', '--no-color', '--no-show-signature', '--no-textconv', '--no-ext-diff',
                    `--format=${GRAPH_FORMAT}`, '--shortstat', `--max-count=${maxCount}`, `--skip=${skip}`, ...filter,
                    ...(revisions.length > 0 ? revisions : ['HEAD']), ...until, '--']);
                return parseGraph(output, refs);
            } catch (error) {
                throw this.unknownRevisionFailure(error) ?? error;
            }
        });
    }

    async mergeBase(revisions: string[]): Promise<string | undefined> {
        const checked = this.requireRevisions(revisions, 2, 'find the common ancestor of');
        return this.run(`find the common ancestor of ${checked.join(', ')}`, async () => {
            await this.requireRepository();
            try {
                // Without a common ancestor git prints nothing (and exits 1 without a message).
                return (await this.git().raw(['merge-base', '--octopus', ...checked])).trim() || undefined;
            } catch (error) {
                throw this.unknownRevisionFailure(error) ?? error;
            }
        });
    }

    /** `revisions`, checked: between `atLeast` and MAX_REVISIONS of them, none of which git could take for an option. */
    protected requireRevisions(revisions: readonly unknown[], atLeast: number, purpose: string): string[] {
        if (!Array.isArray(revisions) || revisions.length < atLeast || revisions.length > MAX_REVISIONS) {
            throw new GitOperationError(`To ${purpose} give ${atLeast} to ${MAX_REVISIONS} revisions (branches, tags or commit ids).`);
        }
        for (const revision of revisions) {
            if (typeof revision !== 'string' || !REVISION.test(revision)) {
                throw new GitOperationError(`"${String(revision)}" is not a revision (a branch, tag or commit id) to ${purpose}.`);
            }
        }
        return revisions as string[];
    }

    /** The error for a revision the repository does not have; undefined for any other failure. */
    protected unknownRevisionFailure(error: unknown): GitOperationError | undefined {
        const revision = unknownRevisionOf(error);
        return revision === undefined ? undefined : new GitOperationError(`The repository has no branch, tag or commit "${revision}" `
            + '(it was deleted or rewritten since the view last refreshed): refresh the Source Control view and try again.', gitOutputOf(error));
    }

    protected relativePaths(paths: string[]): string[] {
        if (!Array.isArray(paths) || paths.length === 0) {
            throw new GitOperationError('No file was given; nothing was done.');
        }
        return paths.map(file => this.relativeFile(file));
    }

    /** The workspace-relative path of a file: confined to the workspace, and never the workspace folder itself or .git. */
    protected relativeFile(file: string): string {
        const relative = this.paths.relative(file);
        if (relative === '' || relative === '.git' || relative.startsWith('.git/')) {
            throw new GitOperationError(`"${file}" is not a file of the workspace's repository.`);
        }
        return relative;
    }

    protected async isRepository(): Promise<boolean> {
        try {
            const topLevel = (await this.git().raw(['rev-parse', '--show-toplevel'])).trim();
            return await fs.realpath(topLevel) === await fs.realpath(this.workspaceDir);
        } catch {
            return false;
        }
    }

    protected async requireRepository(): Promise<void> {
        if (!await this.isRepository()) {
            throw new GitOperationError('The workspace folder is not a git repository: run Initialize Repository in the Source Control view first.');
        }
    }

    protected async hasCommits(git: SimpleGit): Promise<boolean> {
        return git.raw(['rev-parse', '--verify', 'HEAD']).then(() => true, () => false);
    }

    protected async configValue(git: SimpleGit, key: string): Promise<string | undefined> {
        const value = (await git.raw(['config', '--get', key]).catch(() => '')).trim();
        return value || undefined;
    }

    protected async remotes(git: SimpleGit): Promise<string[]> {
        const remotes = (await git.raw(['remote'])).split('\n').map(name => name.trim()).filter(name => name.length > 0);
        if (remotes.length === 0) {
            throw new GitOperationError('This repository has no remote: add one in a terminal with git remote add origin <url>, then try again.');
        }
        return remotes;
    }

    protected async currentBranch(git: SimpleGit, operation: 'pull' | 'push'): Promise<string> {
        await this.requireRepository();
        const branch = (await git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '')).trim();
        if (!branch) {
            throw new GitOperationError(`Cannot ${operation}: HEAD is detached (no branch is checked out). Check out a branch first.`);
        }
        if (!await this.hasCommits(git)) {
            throw new GitOperationError(`Cannot ${operation}: the branch "${branch}" has no commits yet. Make the first commit first.`);
        }
        return branch;
    }

    protected async upstreamOf(operation: 'pull'): Promise<{ remote: string; branch: string }> {
        const git = this.git();
        const branch = await this.currentBranch(git, operation);
        await this.remotes(git);
        const remote = await this.configValue(git, `branch.${branch}.remote`);
        if (!remote) {
            throw new GitOperationError(`The branch "${branch}" has no upstream branch to ${operation} from: push it first (Push publishes it), `
                + `or set one in a terminal with git branch --set-upstream-to=origin/${branch}.`);
        }
        return { remote, branch };
    }

    protected async branchesUnqueued(): Promise<GitBranch[]> {
        const output = await this.git().raw(['for-each-ref', '--format=%(HEAD)%00%(refname)%00%(objectname)', 'refs/heads', 'refs/remotes']);
        return output.split('\n').filter(line => line.length > 0).flatMap(line => {
            const [head, refName, commit] = line.split('\0');
            return refName.endsWith('/HEAD') ? [] : [{ name: refName.replace(/^refs\/(heads|remotes)\//, ''), current: head === '*', remote: refName.startsWith('refs/remotes/'), commit }];
        });
    }

    protected async requireValidBranchName(git: SimpleGit, name: string): Promise<void> {
        const valid = typeof name === 'string' && name.length > 0 && !name.startsWith('-')
            && await git.raw(['check-ref-format', '--branch', name]).then(() => true, () => false);
        if (!valid) {
            throw new GitOperationError(`"${String(name)}" is not a valid branch name (no spaces, no "..", "~", "^", ":", "?", "*", "[" or "\\", and not starting with "-").`);
        }
    }

    /**
     * Who a commit is by: git's own user.name and user.email when both are configured; otherwise the
     * signed-in studio user, with a note saying how to set them.
     */
    protected async commitIdentity(): Promise<{ identity: GitIdentityEnvironment; note?: string }> {
        const git = this.git();
        const name = await this.configValue(git, 'user.name');
        const email = await this.configValue(git, 'user.email');
        if (name && email) {
            return { identity: {} };
        }
        const user = this.users.currentUser();
        const login = user.id.replace(/^user:/, '').replace(/[^A-Za-z0-9._-]/g, '-') || 'studio-user';
        const authorName = name ?? user.displayName;
        const authorEmail = email ?? `${login}@users.noreply.coditect.ai`;
        return {
            identity: { GIT_AUTHOR_NAME: authorName, GIT_AUTHOR_EMAIL: authorEmail, GIT_COMMITTER_NAME: authorName, GIT_COMMITTER_EMAIL: authorEmail },
            note: `git has no user.name/user.email, so the commit is by ${authorName} <${authorEmail}> (your studio sign-in). `
                + 'To commit as yourself, run in a terminal: git config --global user.name "Your Name" and git config --global user.email you@example.com',
        };
    }
}
