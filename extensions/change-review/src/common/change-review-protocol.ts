import { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type {
    ChangeComment, ChangeSetDetail, ChangeSetEvent, ChangeSetQuery, ChangeSetSummary, CheckpointInfo, CheckpointRestoreRequest, CheckpointRestoreResult,
    CommentRequest, LineOrigin, ReviewRequest, ReviewResult,
} from '@coditect/workspace-backend/types';

export type {
    ChangeApplyState, ChangeCommit, CheckpointInfo, CheckpointRestoreRequest, CheckpointRestoreResult, RestoredFileOutcome, LineOrigin, ChangeOverlap, ReadEdit, ChangeComment, CommentRequest,
    ChangeFileDetail, ChangeFileStatus, ChangeFileSummary, ChangeHunk, ChangeOrigin, ChangeSetDetail, ChangeSetEvent, ChangeSetQuery,
    ChangeSetSummary, HunkReview, ReviewConflict, ReviewDecision, ReviewFileOutcome, ReviewRequest, ReviewResult, ReviewState,
} from '@coditect/workspace-backend/types';

export const CHANGE_REVIEW_PATH = '/services/coditect/change-review';

/** The HTTP API's base path: `GET …` lists, `GET …/<taskId>` one change set with diffs, `POST …/<taskId>/review` decides, `POST …/<taskId>/comments` sends a comment back. */
export const CHANGES_HTTP_PATH = '/coditect/api/changes';

/** `GET …` lists the checkpoints, `POST …/<id>/restore` puts the workspace (or `{ path }`) back as it was then. */
export const CHECKPOINTS_HTTP_PATH = '/coditect/api/checkpoints';

export interface ChangeReviewClient {
    /** A change set was recorded or reviewed: re-read what is shown of it. */
    onChangeSetsChanged(event: ChangeSetEvent): void;
    /** A task started or ended (done, failed, cancelled): a change set shows its task's status, which is not a change of the set. */
    onTaskStatusChanged(taskId: number, status: string): void;
}

/** A file's content on one side of a task's change: absent when the file did not exist then. */
export interface ChangeContent {
    readonly exists: boolean;
    readonly content: string;
}

export const ChangeReviewService = Symbol('ChangeReviewService');
/** The tasks' change sets as the browser sees them; reviews act as this connection's user. */
export interface ChangeReviewService extends RpcServer<ChangeReviewClient> {
    /** Newest first. */
    list(query?: ChangeSetQuery): Promise<ChangeSetSummary[]>;
    get(taskId: number): Promise<ChangeSetDetail>;
    /** The file before the task first changed it, or after its last change. */
    content(taskId: number, path: string, side: 'before' | 'after'): Promise<ChangeContent>;
    /** file:// URI of the workspace root; change set paths are relative to it, '/'-separated. */
    rootUri(): Promise<string>;
    review(request: ReviewRequest): Promise<ReviewResult>;
    /** Sends a comment on a change set, a file or a hunk back to its agent as a follow-up task. */
    comment(request: CommentRequest): Promise<ChangeComment>;
    /** The moments the workspace can be put back to, newest first. */
    checkpoints(): Promise<CheckpointInfo[]>;
    /** Puts the workspace, or one file, back as it was at a checkpoint, as this connection's user; undone by restoring `undoCheckpointId`. */
    restoreCheckpoint(request: CheckpointRestoreRequest): Promise<CheckpointRestoreResult>;
    /** Who last wrote each line of a workspace file (workspace-relative, '/'-separated) as it is now; undefined when the studio has no text of it. */
    lineOrigins(path: string): Promise<LineOrigin[] | undefined>;
}
