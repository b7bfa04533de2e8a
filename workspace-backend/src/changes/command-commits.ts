import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { ChangeSets } from './change-sets';
import { logFor } from '../telemetry/logger';

/** The most commits one command adds to its task's change set (a command that rewrote a long history is not a log). */
export const MaxCommitsPerCommand = 50;

/** How long one git read may take before it counts as failed. */
const GitTimeoutMs = 10_000;

/** An agent's command about to run, for its task. */
export interface CommittingCommand {
    readonly taskId: number;
    readonly agentId: string;
    /**
     * The committer address the command's commits carry (the command runner's git identity of the
     * agent). Only commits with it are the task's: not those a `git pull` or a checkout brought in,
     * nor a person's or another agent's made meanwhile in the same repository.
     */
    readonly committerEmail: string;
}

export interface CommandCommitsOptions {
    /** The workspace folder: only a repository that is this folder itself counts, never one above it. */
    readonly workspaceDir: string;
    readonly changes: Pick<ChangeSets, 'recordCommits'>;
    readonly titleOf: (taskId: number) => string | undefined;
    /** The git to run: a path, or a name looked up on PATH. Default `git`. */
    readonly git?: string;
}

/**
 * Links a task's change set to the git commits its agent's commands made: HEAD of the workspace's
 * repository is read before each command and after it; when it moved, the commits reachable from
 * the new HEAD and not from the old one (`git rev-list new --not old`; all of the new HEAD's when
 * there was none) whose committer is the agent go into the task's change set, at most
 * `MaxCommitsPerCommand`. A reset to an older HEAD finds none.
 *
 * Returns what to call before a command; it resolves with what to call once the command has
 * ended. Neither rejects: a workspace that is not a repository, a missing git, or any failure of
 * git records nothing and never fails the command.
 */
export function commandCommits(options: CommandCommitsOptions): (command: CommittingCommand) => Promise<() => Promise<void>> {
    const git = new WorkspaceGit(options.workspaceDir, options.git ?? 'git');
    return async command => {
        const before = await git.head();
        return async () => {
            try {
                const after = await git.head();
                if (after === undefined || after === before) {
                    return;
                }
                const commits = await git.commits(after, before, command.committerEmail);
                if (commits.length > 0) {
                    options.changes.recordCommits({
                        taskId: command.taskId, agentId: command.agentId, title: options.titleOf(command.taskId) ?? `task #${command.taskId}`,
                        commits: commits.reverse(), at: Date.now(),
                    });
                }
            } catch (error) {
                logFor('changes').error(`recording the commits of task #${command.taskId}'s command failed: ${(error as Error).message}`);
            }
        };
    };
}

/** One commit as `rev-list` prints it with `CommitFormat`. */
interface ReadCommit {
    readonly sha: string;
    readonly subject: string;
    readonly authorName: string;
    readonly at: number;
}

/** Hash, author time, author name, subject: NUL-separated, one commit a line (none of them can hold a newline or a NUL). */
const CommitFormat = '%H%x00%at%x00%an%x00%s';

/**
 * Read-only git in the workspace folder, by argv (no shell). The environment keeps git to the
 * folder itself, as the Source Control view's does: GIT_CEILING_DIRECTORIES is its parent and no
 * inherited GIT_* variable (GIT_DIR, GIT_WORK_TREE, configuration) can point git elsewhere.
 * Only `rev-parse` and `rev-list` run: neither reads the index nor runs anything configured.
 */
class WorkspaceGit {
    protected readonly env: NodeJS.ProcessEnv;

    constructor(protected readonly dir: string, protected readonly git: string) {
        this.env = {
            ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('GIT_'))),
            GIT_CEILING_DIRECTORIES: path.dirname(path.resolve(dir)),
            GIT_TERMINAL_PROMPT: '0',
            GIT_OPTIONAL_LOCKS: '0',
            LC_ALL: 'C',
        };
    }

    /** The commit HEAD names; undefined when the folder is no repository, HEAD has no commit yet, or git is missing. */
    async head(): Promise<string | undefined> {
        const out = await this.run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => undefined);
        const sha = out?.trim();
        return sha && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
    }

    /** The commits reachable from `head` and not from `since`, by the committer address, newest first, at most MaxCommitsPerCommand. */
    async commits(head: string, since: string | undefined, committerEmail: string): Promise<ReadCommit[]> {
        const out = await this.run([
            'rev-list', '--no-commit-header', `--max-count=${MaxCommitsPerCommand}`, `--format=${CommitFormat}`,
            '--fixed-strings', `--committer=<${committerEmail}>`, head, ...(since ? ['--not', since] : []),
        ]);
        return out.split('\n').filter(line => line.length > 0).map(line => {
            const [sha, time, authorName, subject] = line.split('\0');
            return { sha, subject: subject ?? '', authorName: authorName ?? '', at: Number(time) * 1000 };
        });
    }

    protected run(args: readonly string[]): Promise<string> {
        return new Promise((resolve, reject) => {
            execFile(this.git, args, { cwd: this.dir, env: this.env, timeout: GitTimeoutMs, maxBuffer: 1 << 20, encoding: 'utf8' }, (error, stdout, stderr) => {
                if (error) {
                    reject(new Error(`git ${args[0]} in ${this.dir}: ${stderr.trim().split('\n')[0] || error.message}`));
                } else {
                    resolve(stdout);
                }
            });
        });
    }
}
