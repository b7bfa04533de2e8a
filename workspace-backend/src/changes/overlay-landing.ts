import { FileDiff } from './change-hunks';
import type { ChangeOverlays } from './change-overlay';
import type { ChangeFileRow, ChangeSetRepository } from './change-set-repository';
import type { HunkReview, ReviewFileOutcome, ReviewRequest, ReviewResult } from './change-set-types';
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

const textOf = (content: Buffer | undefined): string | undefined => content?.toString('utf8');
const unfinished = new Set(['queued', 'running']);

/**
 * A person's decision on a change set that waits in its agent's overlay (`apply: "after-review"`).
 * The set is decided whole: accepting lands every file or none, rejecting drops the overlay and
 * leaves the workspace as it is.
 *
 * Invariant of accepting: the files are written only if every one of them is, in the workspace,
 * still what the agent started from (the change set's before side), checked under exclusive locks
 * on all of them held as the person, so nobody's edit made since is overwritten; otherwise nothing
 * is written and each file that changed since is named. What lands is the change set's after side,
 * the content the person reviewed (the overlay held the same bytes; a file the task brought back
 * to its before side has no change to land).
 */
export class OverlayLanding {
    constructor(protected readonly options: OverlayLandingOptions) { }

    async decide(request: ReviewRequest, by: TogetherWriterPerson): Promise<ReviewResult> {
        const { taskId } = request;
        if (request.path !== undefined || request.hunk !== undefined) {
            throw this.options.invalid(`Task #${taskId}'s changes wait for review and have not landed in the workspace yet: accept or reject the whole set (leave out the path and hunk). Once accepted, its files and hunks can be taken back one by one.`);
        }
        const status = this.options.taskStatus(taskId);
        if (status !== undefined && unfinished.has(status)) {
            throw this.options.invalid(`Task #${taskId} is still ${status}, and its agent may change more files: decide on its change set once the task has ended (or cancel it first).`);
        }
        const rows = this.options.repo.filesBetween(taskId, taskId);
        if (request.decision === 'reject') {
            this.options.overlays.decide(taskId, 'discarded', by.id);
            this.setReviews(rows, 'rejected');
            return { taskId, files: rows.map(row => ({ path: row.path, outcome: 'applied', review: 'rejected', wrote: false })), review: 'rejected' };
        }
        return this.accept(taskId, rows, by);
    }

    protected async accept(taskId: number, rows: readonly ChangeFileRow[], by: TogetherWriterPerson): Promise<ReviewResult> {
        const { writer, repo } = this.options;
        if (!writer) {
            throw this.options.invalid(`Task #${taskId}'s changes wait for review; accepting them writes all its files at once under the studio's locks, so accept it in the studio (the Changes view, or POST /coditect/api/changes/${taskId}/review).`);
        }
        const sides = new Map(rows.map(row => [row.path, { before: textOf(repo.blob(row.before_sha)), after: textOf(repo.blob(row.after_sha)) }]));
        let conflicts: ReviewFileOutcome[] = [];
        await writer.replaceTogether([...sides.keys()], current => {
            const changed = [...sides].filter(([path, side]) => current.get(path) !== side.before).map(([path]) => path);
            conflicts = changed.map(path => conflictOf(taskId, path, current.get(path), sides.get(path)!, changed));
            return conflicts.length > 0 ? undefined : new Map([...sides].map(([path, side]) => [path, side.after]));
        }, by);
        if (conflicts.length > 0) {
            return { taskId, files: conflicts, review: 'pending' };
        }
        this.options.overlays.decide(taskId, 'applied', by.id);
        this.setReviews(rows, 'accepted');
        return { taskId, files: rows.map(row => ({ path: row.path, outcome: 'applied', review: 'accepted', wrote: true })), review: 'accepted' };
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
function conflictOf(taskId: number, path: string, current: string | undefined, side: { before: string | undefined; after: string | undefined }, changed: readonly string[]): ReviewFileOutcome {
    const merge = threeWayMerge(current, side.before, side.after, path);
    const others = changed.filter(p => p !== path);
    return {
        path, outcome: 'conflict', conflicts: merge.kind === 'conflict' ? merge.conflicts : [],
        reason: `${path} ${current === undefined ? 'was deleted' : side.before === undefined ? 'was created' : 'was changed'} in the workspace after task #${taskId}'s agent started from it, `
            + `so nothing of the change set was written${others.length > 0 ? ` (${others.join(', ')} changed too)` : ''}. `
            + 'Reject the set and send the agent back to redo it on the files as they are now (comment on it), or put the file back as it was and accept again.',
    };
}
