/**
 * A task's change set as the studio shows it: every workspace file the task created, changed or
 * deleted, with what it was before the task first touched it and after its last change. Plain
 * JSON: the RPC services, the HTTP API and the CLI carry these as they are.
 */

/** What the task did to a file, as a whole. */
export type ChangeFileStatus = 'added' | 'modified' | 'deleted';

/** How the task changed it: its file tools (write_file, edit_file) or one of its commands. */
export type ChangeOrigin = 'tool' | 'command';

/**
 * Where the edits of a task whose agent applies `after-review` are: `waiting` in the agent's
 * overlay until a person accepts the whole set (then `applied` to the workspace) or rejects it
 * (`discarded`, the workspace untouched). Absent for agents that apply immediately.
 */
export type ChangeApplyState = 'waiting' | 'applied' | 'discarded';

/** A person's decision on one hunk. */
export type HunkReview = 'pending' | 'accepted' | 'rejected';

/** A file's or a change set's review, from its hunks': any still pending, all accepted, all rejected, or a mix of the two. */
export type ReviewState = 'pending' | 'accepted' | 'rejected' | 'partly-accepted';

export interface ChangeFileSummary {
    /** Workspace-relative, `/`-separated. */
    readonly path: string;
    readonly status: ChangeFileStatus;
    readonly origin: ChangeOrigin;
    /** Lines added and removed, task start to task end. */
    readonly added: number;
    readonly removed: number;
    readonly hunks: number;
    readonly review: ReviewState;
    /** SHA-256 of the content before the task (absent: the file did not exist) and after it (absent: deleted). */
    readonly beforeSha256?: string;
    readonly afterSha256?: string;
    readonly lastChangedAt: number;
    /** Other tasks' changes to this file at the same lines, or made while this task changed it. */
    readonly overlaps?: readonly ChangeOverlap[];
    /** An added file whose content is a file the same command deleted: that file, renamed or moved. */
    readonly renamedFrom?: string;
    /** Not text (a NUL byte): no line diff; taken back whole, from a checkpoint. */
    readonly binary?: true;
}

/** Another task's change that meets this one in a file. */
export interface ChangeOverlap {
    readonly taskId: number;
    readonly agentId: string;
    /**
     * `same-lines`: one task changed lines the other had just changed (one's after side is the other's
     * before side); `interleaved`: both changed the file at the same time, so neither saw all of the other's.
     */
    readonly kind: 'same-lines' | 'interleaved';
    /** The lines of this task's change where they meet (1-based, after this task), for `same-lines`. */
    readonly lines?: { readonly start: number; readonly end: number };
}

/** A person's edit of lines the task's agent had read (the agent may have worked from what they replaced). */
export interface ReadEdit {
    readonly path: string;
    /** Who edited, as people read it: `Ada (editor)`, `a terminal or another process`. */
    readonly by: string;
    /** Epoch ms. */
    readonly at: number;
    /** The lines edited, 1-based, in the content the agent read. */
    readonly lines: { readonly start: number; readonly end: number };
}

/** A git commit one of the task's commands made in the workspace's repository, as it was when the command ended. */
export interface ChangeCommit {
    /** The full hash. */
    readonly sha: string;
    /** The first line of its message. */
    readonly subject: string;
    readonly authorName: string;
    /** Epoch ms: its author time. */
    readonly at: number;
}

export interface ChangeSetSummary {
    readonly taskId: number;
    readonly agentId: string;
    /** The task's title when its first change was recorded. */
    readonly title: string;
    /** The task's state (queued, running, done, failed, cancelled) when the orchestrator knows the task. */
    readonly taskStatus?: string;
    readonly review: ReviewState;
    /** Set when the agent's edits wait for review before they land (its definition's `apply: "after-review"`). */
    readonly apply?: ChangeApplyState;
    readonly createdAt: number;
    readonly updatedAt: number;
    readonly added: number;
    readonly removed: number;
    /** How many comments people sent back on it. */
    readonly comments: number;
    /** The tasks whose changes overlap this one's in some file (each file says where). */
    readonly overlapsWith: readonly number[];
    /** People's edits of lines the task's agent had read, oldest first. */
    readonly editedAfterRead?: readonly ReadEdit[];
    /** The git commits the task's commands made, newest first (as `git log` lists them); absent when none. */
    readonly commits?: readonly ChangeCommit[];
    /** Empty for a task that only committed (its commits are its change), or one listed for what it delegated (`tree`). */
    readonly files: readonly ChangeFileSummary[];
    /** The task this one was delegated from (a workflow's step: the step it follows); its `tree` rolls this change set up. */
    readonly parentTaskId?: number;
    /**
     * This task's change together with those of the tasks delegated from it, at any depth: set when
     * one of those changed something. A task that changed nothing itself is listed for its tree alone.
     */
    readonly tree?: ChangeTreeRollup;
}

/** A task's change and its sub-tasks', rolled up. */
export interface ChangeTreeRollup {
    /** The delegated tasks (at any depth) that have a change set, oldest first. */
    readonly subtaskIds: readonly number[];
    /** The workspace files the task or any of them changed, each once. */
    readonly files: number;
    /** Lines added and removed, summed over every change set of the tree. */
    readonly added: number;
    readonly removed: number;
    readonly review: ReviewState;
}

export interface ChangeHunk {
    readonly index: number;
    /** 1-based lines in the content before the task and after it. */
    readonly oldStart: number;
    readonly oldLines: number;
    readonly newStart: number;
    readonly newLines: number;
    readonly review: HunkReview;
}

export interface ChangeFileDetail extends ChangeFileSummary {
    /** The unified diff from before the task to after it, three lines of context. */
    readonly diff: string;
    readonly hunkList: readonly ChangeHunk[];
}

export interface ChangeSetDetail extends Omit<ChangeSetSummary, 'files'> {
    readonly files: readonly ChangeFileDetail[];
    /** Oldest first. */
    readonly commentList: readonly ChangeComment[];
}

/** A person's comment on a change set, a file of it or one hunk, sent back to the agent as a follow-up task. */
export interface ChangeComment {
    readonly id: number;
    readonly taskId: number;
    readonly path?: string;
    readonly hunk?: number;
    readonly text: string;
    readonly by: { readonly id: string; readonly displayName: string };
    readonly at: number;
    /** The task the comment became, for the same agent. */
    readonly followUpTaskId?: number;
}

export interface CommentRequest {
    readonly taskId: number;
    /** Workspace-relative; absent: the change set as a whole. */
    readonly path?: string;
    /** One hunk of the file (its index); absent: the whole file. */
    readonly hunk?: number;
    readonly text: string;
}

export interface ChangeSetQuery {
    /** Only this agent's change sets. */
    readonly agentId?: string;
    /** Only change sets of tasks older than this one (the next page). */
    readonly beforeTaskId?: number;
    /** At most this many (default 100, at most 1000). */
    readonly limit?: number;
}

export type ReviewDecision = 'accept' | 'reject';

export interface ReviewRequest {
    readonly taskId: number;
    /** Workspace-relative; absent: every file of the change set. */
    readonly path?: string;
    /** One hunk of the file (its index in the file's hunk list); absent: every hunk of the file. */
    readonly hunk?: number;
    readonly decision: ReviewDecision;
    /** Decide the change sets of the tasks delegated from this one too (the whole set of each; not with a path). */
    readonly withSubtasks?: boolean;
}

/** A region where a file changed since at the same lines as the hunk taken back (or put back). */
export interface ReviewConflict {
    /** 1-based line in the file as it is now. */
    readonly line: number;
    readonly current: string;
    /** The lines as the review left them (the agent's, unless a person already decided). */
    readonly reviewed: string;
    /** The lines the decision asked for. */
    readonly wanted: string;
}

export type ReviewFileOutcome =
    | { readonly path: string; readonly outcome: 'applied'; readonly review: ReviewState; readonly wrote: boolean }
    | { readonly path: string; readonly outcome: 'conflict'; readonly reason: string; readonly conflicts: readonly ReviewConflict[] };

export interface ReviewResult {
    readonly taskId: number;
    /** One per file decided; a file in conflict keeps its content and its earlier review. */
    readonly files: readonly ReviewFileOutcome[];
    /** With `withSubtasks`: the whole tree's review. */
    readonly review: ReviewState;
    /** With `withSubtasks`: the outcome for each sub-task's change set, oldest first. */
    readonly subtasks?: readonly ReviewResult[];
}

/** Announced after a change set was recorded or reviewed; listeners re-read what they show. */
export interface ChangeSetEvent {
    readonly kind: 'recorded' | 'reviewed' | 'commented' | 'read-edited' | 'committed';
    readonly taskId: number;
    readonly paths: readonly string[];
}

/** A moment the workspace can be put back to: before a task first started, or before a restore (to undo it). */
export interface CheckpointInfo {
    readonly id: number;
    /** Epoch ms. */
    readonly at: number;
    readonly kind: 'task' | 'restore';
    readonly taskId?: number;
    readonly label: string;
    /** Who made a restore's checkpoint (a principal id). */
    readonly by?: string;
    /** False for moments before the studio began keeping the workspace's history. */
    readonly available: boolean;
}

export interface CheckpointRestoreRequest {
    readonly checkpointId: number;
    /** One workspace-relative file; absent: the whole workspace. */
    readonly path?: string;
}

export interface RestoredFileOutcome {
    readonly path: string;
    readonly outcome: 'restored' | 'deleted' | 'skipped' | 'failed';
    /** Why a file was skipped or failed. */
    readonly reason?: string;
}

export interface CheckpointRestoreResult {
    readonly checkpointId: number;
    /** Restoring this one undoes the restore. */
    readonly undoCheckpointId: number;
    /** Every file the restore changed or could not. */
    readonly files: readonly RestoredFileOutcome[];
}

/** Who last wrote a line of a workspace file, as the studio saw it. */
export interface LineOrigin {
    /** As people read it: `Claude (agent tool)`, `agent codex's command \`npm run fix\``, `Ada (editor)`. */
    readonly by: string;
    /** The task whose change it was, when one task made it: its change set has it. */
    readonly taskId?: number;
    /** Epoch ms: when the studio saw the change. */
    readonly at: number;
}
