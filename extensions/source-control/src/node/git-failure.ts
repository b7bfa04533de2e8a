/** A git operation the studio refused or git could not do; the message says what and what to do. */
export class GitOperationError extends Error {
    constructor(message: string, readonly gitOutput?: string) {
        super(message);
        this.name = 'GitOperationError';
    }
}

/** What git printed for a failed command (simple-git puts its stderr in the message). */
export function gitOutputOf(error: unknown): string {
    return (error instanceof Error ? error.message : String(error)).trim();
}

interface KnownFailure {
    readonly pattern: RegExp;
    readonly explain: (remote: string, operation: string) => string;
}

/** Failures of a pull or a push that people hit, in the words of git's (LC_ALL=C) messages. */
const REMOTE_FAILURES: readonly KnownFailure[] = [
    {
        pattern: /Authentication failed|could not read Username|could not read Password|terminal prompts disabled|Permission denied \(publickey|Host key verification failed|HTTP Basic: Access denied|\b403\b/i,
        explain: (remote, operation) => `Could not ${operation}: authentication to the remote "${remote}" failed. The studio cannot ask for a password; `
            + 'use a remote URL with a token, or configure a credential helper or an SSH key for the studio\'s backend, then try again.',
    },
    {
        pattern: /Could not resolve host|unable to access|Connection refused|Network is unreachable|Connection timed out|Operation timed out|Could not read from remote repository|does not appear to be a git repository|No route to host/i,
        explain: (remote, operation) => `Could not ${operation}: the remote "${remote}" cannot be reached (network unreachable, or no repository at its URL). `
            + 'Check the network and the remote\'s URL (git remote -v), then try again.',
    },
    {
        pattern: /\[rejected\]|non-fast-forward|fetch first/i,
        explain: remote => `The push was rejected: "${remote}" has commits this branch does not have. Pull first, then push again.`,
    },
    {
        pattern: /Not possible to fast-forward|divergent branches|Need to specify how to reconcile/i,
        explain: remote => `Could not pull: this branch and its upstream on "${remote}" have both moved on. `
            + 'Merge or rebase them in a terminal (git pull --no-rebase, or git pull --rebase), then refresh.',
    },
    {
        pattern: /CONFLICT|Automatic merge failed/i,
        explain: () => 'The pull stopped on merge conflicts: resolve the files under Merge Changes, stage them, and commit.',
    },
    {
        pattern: /would be overwritten by merge|commit your changes or stash them/i,
        explain: () => 'Could not pull: local changes to files the pull would change. Commit or discard them first, then pull again.',
    },
];

/** The error to show for a failed pull or push against `remote`. */
export function remoteFailure(operation: 'pull' | 'push', remote: string, error: unknown): GitOperationError {
    const output = gitOutputOf(error);
    const known = REMOTE_FAILURES.find(failure => failure.pattern.test(output));
    const message = known ? known.explain(remote, operation) : `git ${operation} failed: ${firstLines(output)}`;
    return new GitOperationError(message, output);
}

/** The error to show for any other failed git command. */
export function commandFailure(what: string, error: unknown): GitOperationError {
    const output = gitOutputOf(error);
    return new GitOperationError(`Could not ${what}: ${firstLines(output)}`, output);
}

/** The revision git says it does not know, in its (LC_ALL=C) words; undefined for any other failure. */
export function unknownRevisionOf(error: unknown): string | undefined {
    const match = /bad revision '([^']*)'|Not a valid object name (\S+)|ambiguous argument '([^']*)': unknown revision/.exec(gitOutputOf(error));
    return match ? match[1] ?? match[2] ?? match[3] : undefined;
}

function firstLines(output: string): string {
    return output.split('\n').map(line => line.trim()).filter(line => line.length > 0 && !line.startsWith('hint:')).slice(0, 3).join(' ');
}
