/**
 * Who changed a workspace file, as far as the studio can tell (file-changes/). Plain JSON, so the
 * timeline and the IDE can carry it as it is.
 */

/** An agent's `run_command` that was running (or had just ended) when a change was seen. */
export interface AgentCommandRef {
    readonly agentId: string;
    readonly taskId?: number;
    /** The command line, cut to `CommandLineCap` characters (the timeline masks secrets in it). */
    readonly command: string;
}

/** The longest command line kept in a change's author. */
export const CommandLineCap = 300;

export type ChangeAuthor =
    /** A person's save or file operation in the IDE. */
    | { readonly kind: 'editor'; readonly by: string }
    /** An agent's write_file/edit_file (through the guarded file writer). */
    | { readonly kind: 'agent-tool'; readonly agentId: string; readonly taskId?: number; readonly by: string }
    /** One or more agents' commands running at the time; all are named when several ran at once. */
    | { readonly kind: 'agent-command'; readonly commands: readonly AgentCommandRef[]; readonly viaGit?: boolean }
    /** A git operation (the repository's index or HEAD changed in the same moment). */
    | { readonly kind: 'git' }
    /**
     * Nothing the studio started: a terminal (any person's: the studio cannot tell whose) or
     * another process on the machine.
     */
    | { readonly kind: 'terminal' };

export type ChangeAuthorKind = ChangeAuthor['kind'];

/** The words people read for an author. */
export function describeAuthor(author: ChangeAuthor): string {
    switch (author.kind) {
        case 'editor':
            return `${author.by} (editor)`;
        case 'agent-tool':
            return `${author.by} (agent tool)`;
        case 'agent-command':
            return author.commands.map(c => `agent ${c.agentId}'s command \`${c.command}\``).join(' and ');
        case 'git':
            return 'git';
        case 'terminal':
            return 'a terminal or another process';
    }
}

/** Changes with the same key are one author for batching (a bulk event per author). */
export function authorKey(author: ChangeAuthor): string {
    switch (author.kind) {
        case 'editor':
            return `editor:${author.by}`;
        case 'agent-tool':
            return `agent-tool:${author.agentId}:${author.taskId ?? ''}`;
        case 'agent-command':
            return `agent-command:${author.commands.map(c => `${c.agentId}:${c.taskId ?? ''}:${c.command}`).sort().join('|')}`;
        default:
            return author.kind;
    }
}

/** What happened to a file; a rename is seen as a delete and a create. */
export type FileChangeType = 'created' | 'updated' | 'deleted';

/**
 * One timeline record of the watcher: a single change (`path`, `change`), or a bulk of more than
 * the threshold by one author in one moment (`count`, counts by type, the first paths).
 */
export interface FileChangeRecord {
    /** Epoch ms: when the (first) change was seen. */
    readonly at: number;
    readonly author: ChangeAuthor;
    readonly count: number;
    /** Single changes only. */
    readonly path?: string;
    readonly change?: FileChangeType;
    /** Bulk records: how many of each type, and the first paths in the order seen. */
    readonly counts?: { readonly created: number; readonly updated: number; readonly deleted: number };
    readonly paths?: readonly string[];
}
