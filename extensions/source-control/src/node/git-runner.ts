import * as path from 'node:path';
import { simpleGit, SimpleGit } from 'simple-git';

/** Identity variables git reads for a commit's author and committer. */
export interface GitIdentityEnvironment {
    readonly GIT_AUTHOR_NAME?: string;
    readonly GIT_AUTHOR_EMAIL?: string;
    readonly GIT_COMMITTER_NAME?: string;
    readonly GIT_COMMITTER_EMAIL?: string;
}

/** What this studio sets for every git command, on top of the backend's environment. */
const STUDIO_GIT_ENVIRONMENT = {
    // Nobody can answer a prompt in the backend: fail at once (and say why) instead of hanging.
    GIT_TERMINAL_PROMPT: '0',
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
    // English messages, which git-failure.ts recognises.
    LC_ALL: 'C',
    // A status refresh must not write .git/index: that write would be a file change, which refreshes again.
    GIT_OPTIONAL_LOCKS: '0',
} as const;

/**
 * Repository settings the studio's git ignores. `.git/config` is in the workspace, which agents'
 * commands write; a program it names for `core.fsmonitor` would run, outside the agents' sandbox,
 * at every refresh of the Source Control view (a `git status` nobody asked for). Hooks, by contrast,
 * run only on what a person does (a commit), as in a terminal.
 */
const STUDIO_GIT_CONFIG = ['core.fsmonitor=false'] as const;

/**
 * Variables of the backend's environment git must not see: editors and pagers (nobody can use one in
 * the backend; a commit message always comes with -m), and configuration a parent git passed down.
 */
const NOT_INHERITED = new Set(['EDITOR', 'VISUAL', 'PAGER', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'GIT_PAGER', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT']);

/**
 * A simple-git client on the workspace folder. Arguments always travel as argv (simple-git spawns
 * git without a shell), so no user text is ever interpreted by a shell.
 *
 * Invariant: git never looks above the workspace folder for a repository (GIT_CEILING_DIRECTORIES
 * is its parent), so a workspace inside some other checkout is "not a repository" rather than a
 * view into the outer one, and every path git reports is relative to the workspace folder.
 */
export function gitClient(workspaceDir: string, identity: GitIdentityEnvironment = {}): SimpleGit {
    const inherited = Object.entries(process.env).filter((entry): entry is [string, string] =>
        entry[1] !== undefined && !NOT_INHERITED.has(entry[0].toUpperCase()));
    const environment: Record<string, string> = {
        ...Object.fromEntries(inherited),
        ...STUDIO_GIT_ENVIRONMENT,
        GIT_CEILING_DIRECTORIES: path.dirname(workspaceDir),
        ...identity,
    };
    // simple-git guards variables such as GIT_SSH_COMMAND or GIT_SSL_CAINFO against injection; what is
    // left here is the backend's own environment (set by the operator) and ours, all meant.
    return simpleGit({
        baseDir: workspaceDir, allowEnvironment: Object.keys(environment), trimmed: false, config: [...STUDIO_GIT_CONFIG],
        // simple-git refuses any core.fsmonitor setting unless told; ours turns the monitor off.
        unsafe: { allowUnsafeFsMonitor: true },
    }).env(environment);
}
