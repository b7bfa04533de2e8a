import { FileDiff } from './change-hunks';
import { type ChangeOverlays, type OverlayEntry, shaOf } from './change-overlay';
import type { ChangeFileRow, ChangeSetRepository } from './change-set-repository';
import type { HunkReview, ReviewFileOutcome, ReviewRequest } from './change-set-types';
import { threeWayMerge } from './three-way-merge';
import type { TogetherWriter, TogetherWriterPerson } from './write-together';

interface OverlayLandingOptions {
    readonly repo: ChangeSetRepository;
    readonly overlays: ChangeOverlays;
    /** Absent where several files cannot be locked together (no studio): accepting is refused, saying where to do it. */
    readonly writer?: TogetherWriter;
    /** The task's state as the orchestrator knows it (running, done, ...), if it does. */
    readonly taskStatus: (taskId: number) => string | undefined;
    /** The error a refused decision throws (the change sets' InvalidReviewError: a 400 over HTTP). */
    readonly invalid: (message: string) => Error;
}

/** What a decision on a waiting set did to the files in the overlay, and the set's files already in the workspace, which the ordinary review decides. */
interface OverlayDecision {
    readonly files: readonly ReviewFileOutcome[];
    /** Changes its commands made (they ran on the workspace); none when the landing was refused. */
    readonly inWorkspace: readonly ChangeFileRow[];
}

const textOf = (content: Buffer | undefined): string | undefined => content?.toString('utf8');
const unfinished = new Set(['queued', 'running']);

/**
 * A person's decision on a change set that waits in its agent's overlay (`apply: "after-review"`).
 * The set is decided whole: accepting lands every overlay file or none, rejecting drops the overlay
 * and leaves the workspace as it is. The set's changes its agent's commands made are already in the
 * workspace (commands see no overlay); the caller decides them as any change set's.
 *
 * Invariant of accepting: the files are written only if every one of them is, in the workspace,
 * still what the agent started from (its overlay's base, the content when it first wrote the file),
 * checked under exclusive locks on all of them held as the person, so nobody's edit made since is
 * overwritten; otherwise nothing is written and each file that changed since is named. What lands
 * is the agent's content (the change set's after side, which the person reviewed).
 */
export class OverlayLanding {
    constructor(protected readonly options: OverlayLandingOptions) { }

    async decide(request: ReviewRequest, by: TogetherWriterPerson): Promise<OverlayDecision> {
        const { taskId } = request;
        if (request.path !== undefined || request.hunk !== undefined) {
            throw this.options.invalid(`Task #${taskId}'s changes wait for review and have not landed in the workspace yet: accept or reject the whole set (leave out the path and hunk). Once accepted, its files and hunks can be taken back one by one.`);
        }
        const status = this.options.taskStatus(taskId);
        if (status !== undefined && unfinished.has(status)) {
            throw this.options.invalid(`Task #${taskId} is still ${status}, and its agent may change more files: decide on its change set once the task has ended (or cancel it first).`);
        }
        const entries = new Map(this.options.overlays.entries(taskId).map(entry => [entry.path, entry]));
        const rows = this.options.repo.filesBetween(taskId, taskId);
        // A file the task wrote back as it found it has no change set row: there is nothing of it to land.
        const overlaid = rows.filter(row => entries.has(row.path));
        const inWorkspace = rows.filter(row => !entries.has(row.path));
        if (request.decision === 'reject') {
            this.options.overlays.decide(taskId, 'discarded', by.id);
            this.setReviews(overlaid, 'rejected');
            return { files: overlaid.map(row => ({ path: row.path, outcome: 'applied', review: 'rejected', wrote: false })), inWorkspace };
        }
        const conflicts = await this.land(taskId, overlaid.map(row => ({ row, entry: entries.get(row.path)! })), by);
        if (conflicts.length > 0) {
            return { files: conflicts, inWorkspace: [] };
        }
        this.options.overlays.decide(taskId, 'applied', by.id);
        this.setReviews(overlaid, 'accepted');
        return { files: overlaid.map(row => ({ path: row.path, outcome: 'applied', review: 'accepted', wrote: true })), inWorkspace };
    }

    /** Writes the files together unless one changed since the agent started from it; those are returned as conflicts. */
    protected async land(taskId: number, files: readonly { row: ChangeFileRow; entry: OverlayEntry }[], by: TogetherWriterPerson): Promise<ReviewFileOutcome[]> {
        if (!this.options.writer) {
            throw this.options.invalid(`Task #${taskId}'s changes wait for review; accepting them writes all its files at once under the studio's locks, so accept it in the studio (the Changes view, or POST /coditect/api/changes/${taskId}/review).`);
        }
        let conflicts: ReviewFileOutcome[] = [];
        await this.options.writer.replaceTogether(files.map(f => f.entry.path), current => {
            const changed = files.filter(f => shaOf(current.get(f.entry.path)) !== f.entry.baseSha256);
            conflicts = changed.map(f => conflictOf(taskId, f.entry, current.get(f.entry.path), this.baseOf(f.row, f.entry), changed.map(c => c.entry.path)));
            return conflicts.length > 0 ? undefined : new Map(files.map(f => [f.entry.path, f.entry.content]));
        }, by, taskId);
        return conflicts;
    }

    /** The content the agent started from, when the change set kept it (its before side, unless a command of the task changed the file first); else unknown. */
    protected baseOf(row: ChangeFileRow, entry: OverlayEntry): { content: string | undefined } | undefined {
        return row.before_sha === entry.baseSha256 ? { content: textOf(this.options.repo.blob(row.before_sha)) } : undefined;
    }

    /** Every hunk of every file decided the same way, for the after side it was made for. */
    protected setReviews(rows: readonly ChangeFileRow[], review: HunkReview): void {
        for (const row of rows) {
            const hunks = Math.max(1, FileDiff.of(textOf(this.options.repo.blob(row.before_sha)), textOf(this.options.repo.blob(row.after_sha))).hunks.length);
            this.options.repo.setReview(row.task_id, row.path, { for: row.after_sha, hunks: new Array<HunkReview>(hunks).fill(review) });
        }
    }
}

/** A file that changed in the workspace since the agent started from it: why nothing landed, where it differs, what to do. */
function conflictOf(taskId: number, file: OverlayEntry, current: string | undefined, base: { content: string | undefined } | undefined, changed: readonly string[]): ReviewFileOutcome {
    // Where the agent's change and the workspace's meet, when what the agent started from is known.
    const merge = base && threeWayMerge(current, base.content, file.content, file.path);
    const others = changed.filter(p => p !== file.path);
    const what = current === undefined ? 'was deleted' : file.baseSha256 === null ? 'was created' : 'was changed';
    return {
        path: file.path, outcome: 'conflict', conflicts: merge?.kind === 'conflict' ? merge.conflicts : [],
        reason: `${file.path} ${what} in the workspace after task #${taskId}'s agent started from it, `
            + `so nothing of the change set was written${others.length > 0 ? ` (${others.join(', ')} changed too)` : ''}. `
            + 'Reject the set and send the agent back to redo it on the files as they are now (comment on it), or put the file back as it was and accept again.',
    };
}
