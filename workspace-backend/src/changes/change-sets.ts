import { Emitter, Event } from '../common/emitter';
import { firstLine } from '../common/first-line';
import { SerialQueue } from '../common/serial-queue';
import type { SqliteDatabase } from '../database/sqlite-database';
import { maskSecrets } from '../policy/secrets';
import { workspaceSecretValues } from '../providers/provider-secrets';
import { FileDiff, unifiedDiff } from './change-hunks';
import { ChangeOverlays } from './change-overlay';
import { ChangeCommentRow, ChangeFileRow, ChangeSetRepository, ChangeSetRow, RecordedCommits, StoredReview } from './change-set-repository';
import type {
    ChangeApplyState, ChangeComment, ChangeCommit, ChangeFileDetail, ChangeFileStatus, ChangeFileSummary, ChangeHunk, ChangeOrigin, ChangeSetDetail, ChangeSetEvent, ChangeSetQuery,
    ChangeSetSummary, CommentRequest, HunkReview, ReadEdit, ReviewFileOutcome, ReviewRequest, ReviewResult, ReviewState,
} from './change-set-types';
import { followUpPrompt } from './follow-up-prompt';
import { FileChangeSpan, HunkRangeTuple, overlapsOf } from './change-overlaps';
import { MergeOutcome, threeWayMerge } from './three-way-merge';
import { OverlayLanding } from './overlay-landing';
import type { TogetherWriter } from './write-together';
import { ChangeTrees } from './change-trees';
import type { DelegatedTask } from './task-forest';
import { combinedReview, reviewStateOf } from './review-states';
import { logFor } from '../telemetry/logger';

/** Who decides a review, as the lock manager and the timeline name them. */
export interface Reviewer {
    /** A principal id: `user:ada`. */
    readonly id: string;
    readonly displayName: string;
}

/**
 * How a review changes a workspace file: `next` gets the file's content as it is now (undefined:
 * absent), read under the host's guard (in the studio, an exclusive lock held as the reviewer),
 * and says what to write (undefined content: delete), or nothing.
 */
export interface ReviewWriter extends Partial<TogetherWriter> {
    replace(path: string, next: (current: string | undefined) => { readonly content: string | Buffer | undefined } | undefined, reviewer: Reviewer): Promise<void>;
}

export interface ChangeSetsOptions {
    readonly db: SqliteDatabase;
    readonly writer: ReviewWriter;
    /** The states of the tasks with ids from `from` to `to`, as the orchestrator knows them, for the listing (one read per page). */
    readonly taskStatuses?: (from: number, to: number) => ReadonlyMap<number, string>;
    /** Gives the agent a follow-up task (a comment sent back); its id. Absent: comments are refused (no agents here). */
    readonly submitFollowUp?: (task: { readonly agentId: string; readonly prompt: string; readonly title: string; readonly submittedBy: string }) => number;
    /** Secret values masked in what goes to an agent (default: the workspace's provider keys). */
    readonly secrets?: () => readonly string[];
    /** Every task of the delegation trees these tasks are in (one read), to roll sub-tasks' changes up into their parents'. Absent: no rollup. */
    readonly delegation?: (taskIds: readonly number[]) => readonly DelegatedTask[];
}

/** A task's write as the capture hands it over: text from its file tools, bytes from the journal (its commands). */
export interface TaskWrite {
    readonly taskId: number;
    readonly agentId: string;
    readonly title: string;
    readonly path: string;
    readonly before: string | Buffer | undefined;
    readonly after: string | Buffer | undefined;
    readonly origin: ChangeOrigin;
    readonly at: number;
    readonly renamedFrom?: string;
}

export class UnknownChangeSetError extends Error {
    constructor(readonly taskId: number, readonly path?: string) {
        super(path === undefined
            ? `Task #${taskId} has no change set: it changed no workspace file, or there is no such task. List the change sets with GET /coditect/api/changes (or coditect-workspace changes).`
            : `Task #${taskId} did not change ${path}. Its change set lists the files it changed: GET /coditect/api/changes/${taskId}.`);
        this.name = 'UnknownChangeSetError';
    }
}

export class InvalidReviewError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'InvalidReviewError';
    }
}

const MaxListed = 1000;
const MaxCommentChars = 10_000;
const textOf = (content: Buffer | undefined): string | undefined => content?.toString('utf8');
const bytesOf = (content: string | Buffer | undefined): Buffer | undefined => (typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
/** Git's rule: a NUL byte in the first 8000 bytes makes a file binary. */
const isBinary = (content: Buffer | undefined): boolean => content !== undefined && content.subarray(0, 8000).includes(0);

/** What a summary shows beside its set's rows: its task's state, comments, people's edits of what it read, its landing, its commits. */
interface SummaryContext {
    readonly statuses?: ReadonlyMap<number, string>;
    readonly comments: ReadonlyMap<number, number>;
    readonly readEdits: ReadonlyMap<number, ReadEdit[]>;
    readonly applies: ReadonlyMap<number, ChangeApplyState>;
    readonly commits: ReadonlyMap<number, ChangeCommit[]>;
}

/** A file's line counts and hunks' line ranges in a change set. */
interface FileCounts {
    readonly added: number;
    readonly removed: number;
    readonly hunks: number;
    readonly ranges: HunkRangeTuple[];
    readonly binary: boolean;
}

/** A file's two sides in a change set, and their diff (empty for a binary file, which has no lines). */
interface SidesOf {
    readonly before: string | undefined;
    readonly after: string | undefined;
    readonly diff: FileDiff;
    readonly binary: boolean;
}

/**
 * Every task's change set (sessions.db, change-set-repository.ts) and their review. Recording
 * is synchronous and cheap (hashes and inserts; the agent's write waits for it); line counts are
 * filled in afterwards. A review moves a file from what the review last left it as to what the
 * new decision wants, merged three ways with what changed it since, so nobody's later edit is
 * overwritten: a conflict is reported and nothing is written.
 */
export class ChangeSets {
    protected readonly repo: ChangeSetRepository;
    protected readonly changed = new Emitter<ChangeSetEvent>();
    readonly onDidChange: Event<ChangeSetEvent> = this.changed.event;
    protected readonly toCount = new Map<string, { taskId: number; path: string }>();
    protected countTimer: NodeJS.Immediate | undefined;
    /** Reviews run one at a time: each reads what the one before it wrote. */
    protected readonly reviews = new SerialQueue();
    /** The edits of agents that apply after review, waiting in their task's overlay (change-overlay.ts). */
    readonly overlays: ChangeOverlays;
    protected readonly landing: OverlayLanding;

    constructor(protected readonly options: ChangeSetsOptions) {
        this.repo = new ChangeSetRepository(options.db);
        this.overlays = new ChangeOverlays(options.db);
        this.landing = new OverlayLanding({
            repo: this.repo, overlays: this.overlays, writer: options.writer.replaceTogether ? options.writer as TogetherWriter : undefined,
            taskStatus: taskId => options.taskStatuses?.(taskId, taskId).get(taskId), invalid: message => new InvalidReviewError(message),
        });
    }

    record(write: TaskWrite): void {
        const recorded = this.repo.record({ ...write, before: bytesOf(write.before), after: bytesOf(write.after) });
        if (recorded) {
            this.toCount.set(`${write.taskId}\0${write.path}`, { taskId: write.taskId, path: write.path });
            this.countTimer ??= setImmediate(() => this.countPending());
        }
        this.changed.fire({ kind: 'recorded', taskId: write.taskId, paths: [write.path] });
    }

    /**
     * Git commits one of a task's commands made (oldest first): kept in the task's change set, which
     * they create when the task changed no file (yet). A commit the set has already is not added again.
     */
    recordCommits(commits: RecordedCommits): void {
        if (this.repo.recordCommits(commits)) {
            this.changed.fire({ kind: 'committed', taskId: commits.taskId, paths: [] });
        }
    }

    /** A task's agent read a workspace file: a person's later edit of what it read is flagged on the task's change set. */
    recordRead(read: { readonly taskId: number; readonly path: string; readonly sha256: string; readonly lines: number; readonly at: number }): void {
        this.repo.recordRead(read);
    }

    /**
     * A person (in the editor, a terminal) changed a file from content `before` (its SHA-256) to
     * `after`: each task whose agent had read that very content gets the edited lines it had read
     * flagged. Edits of content no agent read, or of lines past what one read, flag nothing.
     */
    personEdited(edit: { readonly path: string; readonly beforeSha: string; readonly before: Buffer; readonly after: Buffer | undefined; readonly by: string; readonly at: number }): void {
        const reads = this.repo.readsOf(edit.path, edit.beforeSha);
        if (reads.length === 0 || isBinary(edit.before) || isBinary(edit.after)) {
            return;
        }
        const ranges = FileDiff.of(textOf(edit.before), textOf(edit.after)).hunks.map(h => ({ start: h.oldStart, end: h.oldStart + Math.max(h.oldLines, 1) - 1 }));
        const flagged = reads.flatMap(read => ranges
            .filter(r => r.start <= read.lines)
            .map(r => ({ taskId: read.task_id, path: edit.path, by: edit.by, at: edit.at, start: r.start, end: Math.min(r.end, read.lines) })));
        if (flagged.length > 0) {
            this.repo.addReadEdits(flagged);
            for (const taskId of new Set(flagged.map(f => f.taskId))) {
                this.changed.fire({ kind: 'read-edited', taskId, paths: [edit.path] });
            }
        }
    }

    /** Newest first. */
    list(query: ChangeSetQuery = {}): ChangeSetSummary[] {
        const limit = Math.min(Math.max(1, Math.floor(query.limit ?? 100)), MaxListed);
        const sets = this.repo.sets({ agentId: query.agentId, beforeTaskId: query.beforeTaskId, limit });
        if (sets.length === 0) {
            return [];
        }
        const files = this.repo.filesBetween(sets[sets.length - 1].task_id, sets[0].task_id);
        const byTask = new Map<number, ChangeFileRow[]>();
        for (const file of files) {
            const list = byTask.get(file.task_id) ?? [];
            list.push(file);
            byTask.set(file.task_id, list);
        }
        const [from, to] = [sets[sets.length - 1].task_id, sets[0].task_id];
        const context = this.contextOf(from, to);
        const others = this.changesByPath(from, to);
        const summaries = sets.map(set => this.summaryOf(set, (byTask.get(set.task_id) ?? []).map(row => this.fileSummary(row, others)), context));
        return this.treesOf(summaries.map(s => s.taskId))?.withTrees(summaries, query.agentId === undefined) ?? summaries;
    }

    /** One change set with every file's unified diff and hunks. */
    get(taskId: number): ChangeSetDetail {
        const set = this.repo.set(taskId);
        const trees = this.treesOf([taskId]);
        if (!set) {
            if (trees && trees.subtasksWithChanges(taskId).length > 0) {
                return { ...trees.listedForTree(taskId), files: [], commentList: [] };
            }
            throw new UnknownChangeSetError(taskId);
        }
        const others = this.changesByPath(taskId, taskId);
        const files = this.repo.filesBetween(taskId, taskId).map(row => this.fileDetail(row, others));
        const commentList = this.repo.comments(taskId).map(commentOf);
        const detail = {
            ...this.summaryOf(set, files, { ...this.contextOf(taskId, taskId), comments: new Map([[taskId, commentList.length]]) }),
            commentList,
        };
        return trees ? trees.withTree(detail) : detail;
    }

    /** A file's content before the task or after it (undefined: absent then), for a diff editor. */
    content(taskId: number, path: string, side: 'before' | 'after'): string | undefined {
        const row = this.fileRow(taskId, path);
        return textOf(this.repo.blob(side === 'before' ? row.before_sha : row.after_sha));
    }

    /**
     * Accepts or rejects a hunk, a file or a whole change set. Accepting keeps the agent's lines;
     * rejecting puts back what was there before the task (a rejected file is restored exactly);
     * accepting a rejected hunk puts the agent's lines back. Files are decided one by one: one in
     * conflict keeps its content and earlier review, and is reported with where it conflicts.
     */
    review(request: ReviewRequest, reviewer: Reviewer): Promise<ReviewResult> {
        return this.reviews.run(() => request.withSubtasks === true ? this.reviewTree(request, reviewer) : this.reviewNow(request, reviewer));
    }

    /**
     * Sends a person's comment on a change set, a file of it or one hunk back to the agent: a
     * follow-up task for the same agent, with the comment and the hunk as it left it, linked to
     * the change set. Secrets in the comment are masked before the agent sees them.
     */
    comment(request: CommentRequest, by: Reviewer): ChangeComment {
        const text = typeof request.text === 'string' ? request.text.trim() : '';
        if (text === '' || text.length > MaxCommentChars) {
            throw new InvalidReviewError(text === '' ? 'Write the comment: its text is empty.' : `A comment may be at most ${MaxCommentChars} characters; this one has ${text.length}.`);
        }
        const set = this.repo.set(request.taskId);
        if (!set) {
            throw new UnknownChangeSetError(request.taskId);
        }
        if (request.hunk !== undefined && request.path === undefined) {
            throw new InvalidReviewError('A hunk belongs to a file: give the path with the hunk.');
        }
        let hunk: Parameters<typeof followUpPrompt>[0]['hunk'];
        if (request.path !== undefined) {
            const row = this.fileRow(request.taskId, request.path);
            if (request.hunk !== undefined) {
                const { diff } = this.sidesOf(row);
                this.checkHunk(row, request.hunk, diff);
                const range = diff.hunks[request.hunk];
                hunk = range ? { ...range, ...diff.sides(range.index)! } : undefined;
            }
        }
        if (!this.options.submitFollowUp) {
            throw new InvalidReviewError('Comments go back to the agent as a follow-up task, and no agents run here; comment in the studio.');
        }
        const secrets = (this.options.secrets ?? workspaceSecretValues)();
        const safeText = maskSecrets(text, secrets);
        const prompt = maskSecrets(followUpPrompt({ taskId: set.task_id, title: set.title, by: by.displayName, text: safeText, path: request.path, hunk }), secrets);

        const followUpTaskId = this.options.submitFollowUp({
            agentId: set.agent_id, prompt, submittedBy: by.id,
            title: `Follow-up on #${set.task_id}: ${firstLine(safeText, 80)}`,
        });
        const at = Date.now();
        const id = this.repo.addComment({ taskId: set.task_id, path: request.path, hunk: request.hunk, text: safeText, byId: by.id, byName: by.displayName, followUpTaskId, at });
        this.changed.fire({ kind: 'commented', taskId: set.task_id, paths: request.path === undefined ? [] : [request.path] });
        return commentOf({
            id, task_id: set.task_id, path: request.path ?? null, hunk: request.hunk ?? null, text: safeText,
            by_id: by.id, by_name: by.displayName, follow_up_task_id: followUpTaskId, created_at: at,
        });
    }

    dispose(): void {
        if (this.countTimer) {
            clearImmediate(this.countTimer);
            this.countTimer = undefined;
        }
        this.changed.dispose();
    }

    protected async reviewNow(request: ReviewRequest, reviewer: Reviewer): Promise<ReviewResult> {
        if (!Number.isSafeInteger(request.taskId) || request.taskId < 1) {
            throw new InvalidReviewError(`"${String(request.taskId)}" is not a task id: give the number of a task whose change set to review.`);
        }
        if (request.path !== undefined && typeof request.path !== 'string') {
            throw new InvalidReviewError('"path" must be a workspace-relative file path, such as src/a.ts, or left out to decide every file.');
        }
        if (request.decision !== 'accept' && request.decision !== 'reject') {
            throw new InvalidReviewError(`Unknown decision "${String(request.decision)}": use accept or reject.`);
        }
        if (request.hunk !== undefined && request.path === undefined) {
            throw new InvalidReviewError('A hunk belongs to a file: give the path with the hunk.');
        }
        if (!this.repo.set(request.taskId)) {
            throw new UnknownChangeSetError(request.taskId);
        }
        // A set waiting in its agent's overlay is decided whole there; what its commands changed (already in the workspace) as usual.
        const landed = this.overlays.state(request.taskId) === 'waiting' ? await this.landing.decide(request, reviewer) : undefined;
        const rows = landed?.inWorkspace ?? (request.path === undefined ? this.repo.filesBetween(request.taskId, request.taskId) : [this.fileRow(request.taskId, request.path)]);
        const outcomes: ReviewFileOutcome[] = [...landed?.files ?? []];
        for (const row of rows) {
            outcomes.push(await this.reviewFile(row, request, reviewer));
        }
        this.changed.fire({ kind: 'reviewed', taskId: request.taskId, paths: outcomes.map(o => o.path) });
        return { taskId: request.taskId, files: outcomes, review: this.reviewOfSet(request.taskId) };
    }

    /**
     * Decides a task's change set and those of every task delegated from it, each whole. Rejected
     * newest first and accepted oldest first, so each set is merged against what the tasks after
     * it left (a sub-task usually builds on its parent's files, and its siblings' on each other's).
     */
    protected async reviewTree(request: ReviewRequest, reviewer: Reviewer): Promise<ReviewResult> {
        if (request.path !== undefined || request.hunk !== undefined) {
            throw new InvalidReviewError('With its sub-tasks a task is decided whole: leave out the path and hunk, or decide the file without withSubtasks.');
        }
        if (!Number.isSafeInteger(request.taskId) || request.taskId < 1) {
            throw new InvalidReviewError(`"${String(request.taskId)}" is not a task id: give the number of a task whose change set to review.`);
        }
        const trees = this.treesOf([request.taskId]);
        const subtasks = trees?.subtasksWithChanges(request.taskId) ?? [];
        const own = this.repo.set(request.taskId) !== undefined;
        if (!own && subtasks.length === 0) {
            throw new UnknownChangeSetError(request.taskId);
        }
        const ordered = [...(own ? [request.taskId] : []), ...subtasks];
        const results = new Map<number, ReviewResult>();
        for (const taskId of request.decision === 'reject' ? ordered.reverse() : ordered) {
            results.set(taskId, await this.reviewNow({ taskId, decision: request.decision }, reviewer));
        }
        return {
            taskId: request.taskId, files: results.get(request.taskId)?.files ?? [],
            review: this.treesOf([request.taskId])?.rollupOf(request.taskId).review ?? this.reviewOfSet(request.taskId),
            subtasks: subtasks.map(id => results.get(id)!),
        };
    }

    /** One change set's review, from its files' (as a listing shows it). */
    protected reviewOfSet(taskId: number): ReviewState {
        return combinedReview(this.repo.filesBetween(taskId, taskId).map(row => this.reviewOfFile(row)));
    }

    protected reviewOfFile(row: ChangeFileRow): ReviewState {
        return reviewStateOf(this.hunkReviews(row, Math.max(1, this.countsOf(row).hunks)));
    }

    /** The delegation trees of these tasks, with their change sets; undefined when none of them is in one. */
    protected treesOf(taskIds: readonly number[]): ChangeTrees | undefined {
        return ChangeTrees.read(this.repo, this.options.delegation, { counts: row => this.countsOf(row), review: row => this.reviewOfFile(row) }, taskIds);
    }

    protected async reviewFile(row: ChangeFileRow, request: ReviewRequest, reviewer: Reviewer): Promise<ReviewFileOutcome> {
        const { before, after, diff, binary } = this.sidesOf(row);
        const count = this.checkHunk(row, request.hunk, diff);
        const previous = this.hunkReviews(row, count);
        if (binary && request.decision === 'reject') {
            return {
                path: row.path, outcome: 'conflict', conflicts: [],
                reason: `${row.path} is a binary file, which a review cannot merge; put it back as it was before task #${row.task_id} from that task's checkpoint (restore the file).`,
            };
        }
        const decided: HunkReview = request.decision === 'accept' ? 'accepted' : 'rejected';
        const next = previous.map((review, index) => (request.hunk === undefined || request.hunk === index ? decided : review));
        const contentWith = (reviews: readonly HunkReview[]): string | undefined => {
            const rejected = new Set(reviews.flatMap((r, i) => (r === 'rejected' ? [i] : [])));
            return rejected.size === count ? before : rejected.size === 0 ? after : diff.compose(rejected);
        };
        const reviewed = contentWith(previous);
        const wanted = contentWith(next);
        let wrote = false;
        if (reviewed !== wanted) {
            let merge: MergeOutcome | undefined;
            await this.options.writer.replace(row.path, current => {
                merge = threeWayMerge(current, reviewed, wanted, row.path);
                if (merge.kind === 'conflict' || merge.content === current) {
                    return undefined;
                }
                wrote = true;
                return { content: merge.content };
            }, reviewer);
            if (merge?.kind === 'conflict') {
                return { path: row.path, outcome: 'conflict', reason: merge.reason, conflicts: merge.conflicts };
            }
        }
        this.repo.setReview(row.task_id, row.path, { for: row.after_sha, hunks: next });
        return { path: row.path, outcome: 'applied', review: reviewStateOf(next), wrote };
    }

    /** The file's two sides and their diff. */
    protected sidesOf(row: ChangeFileRow): SidesOf {
        const beforeBytes = this.repo.blob(row.before_sha);
        const afterBytes = this.repo.blob(row.after_sha);
        const binary = isBinary(beforeBytes) || isBinary(afterBytes);
        const before = textOf(beforeBytes);
        const after = textOf(afterBytes);
        return { before, after, binary, diff: binary ? FileDiff.of('', '') : FileDiff.of(before, after) };
    }

    /**
     * How many hunks a person decides on in the file (one, the whole file, when its diff has none:
     * a file created empty, a binary one); throws unless `hunk` is absent or numbers one of them.
     */
    protected checkHunk(row: ChangeFileRow, hunk: number | undefined, diff: FileDiff): number {
        const count = Math.max(1, diff.hunks.length);
        if (hunk !== undefined && (!Number.isInteger(hunk) || hunk < 0 || hunk >= count)) {
            throw new InvalidReviewError(`${row.path} has ${count} hunk(s) in task #${row.task_id}'s change set, numbered from 0; there is no hunk ${hunk}.`);
        }
        return count;
    }

    protected fileRow(taskId: number, path: string): ChangeFileRow {
        const row = this.repo.file(taskId, path);
        if (!row) {
            throw this.repo.set(taskId) ? new UnknownChangeSetError(taskId, path) : new UnknownChangeSetError(taskId);
        }
        return row;
    }

    /** The stored review of the file's hunks, when it was made for the file's present after side; else all pending. */
    protected hunkReviews(row: ChangeFileRow, count: number): HunkReview[] {
        const stored = row.review_json ? JSON.parse(row.review_json) as StoredReview : undefined;
        if (!stored || stored.for !== row.after_sha || stored.hunks.length !== count) {
            return new Array<HunkReview>(count).fill('pending');
        }
        return [...stored.hunks];
    }

    /** What a page of summaries shows beside the sets' own rows, for tasks `from` to `to` (one read each). */
    protected contextOf(from: number, to: number): SummaryContext {
        return {
            statuses: this.options.taskStatuses?.(from, to), comments: this.repo.commentCounts(from, to),
            readEdits: this.readEditsBetween(from, to), applies: this.overlays.statesBetween(from, to), commits: this.commitsBetween(from, to),
        };
    }

    protected summaryOf<F extends ChangeFileSummary>(set: ChangeSetRow, files: F[], context: SummaryContext): Omit<ChangeSetSummary, 'files'> & { files: F[] } {
        const readEdits = context.readEdits.get(set.task_id);
        const apply = context.applies.get(set.task_id);
        const commits = context.commits.get(set.task_id);
        return {
            ...(readEdits ? { editedAfterRead: readEdits } : {}),
            ...(commits ? { commits } : {}),
            taskId: set.task_id, agentId: set.agent_id, title: set.title, taskStatus: context.statuses?.get(set.task_id), comments: context.comments.get(set.task_id) ?? 0,
            ...(apply !== undefined ? { apply } : {}),
            overlapsWith: [...new Set(files.flatMap(f => (f.overlaps ?? []).map(o => o.taskId)))].sort((a, b) => a - b),
            review: combinedReview(files.map(f => f.review)), createdAt: set.created_at, updatedAt: set.updated_at,
            added: files.reduce((sum, f) => sum + f.added, 0), removed: files.reduce((sum, f) => sum + f.removed, 0), files,
        };
    }

    protected fileSummary(row: ChangeFileRow, others: ReadonlyMap<string, readonly FileChangeSpan[]>, known?: FileCounts): ChangeFileSummary {
        const counts = known ?? this.countsOf(row);
        const overlaps = overlapsOf(this.spanOf(row, counts.ranges), others.get(row.path) ?? []);
        return {
            path: row.path, status: statusOf(row), origin: row.origin, added: counts.added, removed: counts.removed, hunks: counts.hunks,
            review: reviewStateOf(this.hunkReviews(row, Math.max(1, counts.hunks))),
            ...(row.before_sha !== null ? { beforeSha256: row.before_sha } : {}),
            ...(row.after_sha !== null ? { afterSha256: row.after_sha } : {}),
            lastChangedAt: row.last_at,
            ...(overlaps.length > 0 ? { overlaps } : {}),
            ...(row.renamed_from !== null ? { renamedFrom: row.renamed_from } : {}),
            ...(counts.binary ? { binary: true as const } : {}),
        };
    }

    protected fileDetail(row: ChangeFileRow, others: ReadonlyMap<string, readonly FileChangeSpan[]>): ChangeFileDetail {
        const sides = this.sidesOf(row);
        const reviews = this.hunkReviews(row, Math.max(1, sides.diff.hunks.length));
        const hunkList: ChangeHunk[] = sides.diff.hunks.length > 0
            ? sides.diff.hunks.map(h => ({ ...h, review: reviews[h.index] }))
            : [{ index: 0, oldStart: 1, oldLines: 0, newStart: 1, newLines: 0, review: reviews[0] }];
        return {
            ...this.fileSummary(row, others, this.countsFrom(sides)), hunks: hunkList.length, hunkList,
            diff: sides.binary ? `Binary files a/${row.path} and b/${row.path} differ\n` : unifiedDiff(row.path, sides.before, sides.after),
        };
    }

    protected readEditsBetween(from: number, to: number): Map<number, ReadEdit[]> {
        const byTask = new Map<number, ReadEdit[]>();
        for (const row of this.repo.readEditsBetween(from, to)) {
            const list = byTask.get(row.task_id) ?? [];
            list.push({ path: row.path, by: row.by_name, at: row.at, lines: { start: row.start_line, end: row.end_line } });
            byTask.set(row.task_id, list);
        }
        return byTask;
    }

    protected commitsBetween(from: number, to: number): Map<number, ChangeCommit[]> {
        const byTask = new Map<number, ChangeCommit[]>();
        for (const row of this.repo.commitsBetween(from, to)) {
            const list = byTask.get(row.task_id) ?? [];
            list.push({ sha: row.sha, subject: row.subject, authorName: row.author_name, at: row.authored_at });
            byTask.set(row.task_id, list);
        }
        return byTask;
    }

    /** The other tasks' changes of the paths tasks `from` to `to` changed, by path, with their hunks' lines. */
    protected changesByPath(from: number, to: number): Map<string, FileChangeSpan[]> {
        const byPath = new Map<string, FileChangeSpan[]>();
        for (const row of this.repo.otherChangesOfPaths(from, to)) {
            const list = byPath.get(row.path) ?? [];
            list.push({ ...this.spanOf(row, this.countsOf(row).ranges), agentId: row.agent_id });
            byPath.set(row.path, list);
        }
        return byPath;
    }

    protected spanOf(row: ChangeFileRow, ranges: readonly HunkRangeTuple[]): FileChangeSpan {
        return { taskId: row.task_id, agentId: '', beforeSha: row.before_sha, afterSha: row.after_sha, firstAt: row.first_at, lastAt: row.last_at, ranges };
    }

    protected countsOf(row: ChangeFileRow): FileCounts {
        return row.added !== null && row.removed !== null && row.hunks !== null && row.hunk_ranges !== null && row.binary !== null
            ? { added: row.added, removed: row.removed, hunks: row.hunks, ranges: JSON.parse(row.hunk_ranges) as HunkRangeTuple[], binary: row.binary === 1 }
            : this.count(row);
    }

    protected countsFrom(sides: SidesOf): FileCounts {
        const ranges = sides.diff.hunks.map((h): HunkRangeTuple => [h.oldStart, h.oldLines, h.newStart, h.newLines]);
        return { added: sides.diff.added, removed: sides.diff.removed, hunks: sides.diff.hunks.length, ranges, binary: sides.binary };
    }

    protected count(row: ChangeFileRow): FileCounts {
        const counts = this.countsFrom(this.sidesOf(row));
        // Read-only beside a running studio (the CLI), the counts are given without being kept.
        if (this.options.db.writable) {
            this.repo.setCounts(row.task_id, row.path, row.after_sha, { ...counts, ranges: JSON.stringify(counts.ranges) });
        }
        return counts;
    }

    protected countPending(): void {
        this.countTimer = undefined;
        const pending = [...this.toCount.values()];
        this.toCount.clear();
        for (const { taskId, path } of pending) {
            if (!this.options.db.isOpen) {
                return; // Stopping: the listing counts what is left when next asked.
            }
            const row = this.repo.file(taskId, path);
            if (row && row.added === null) {
                try {
                    this.count(row);
                } catch (error) {
                    logFor('changes').error(`counting the lines of ${path} in task #${taskId}'s change set failed: ${(error as Error).message}`);
                }
            }
        }
    }
}

function commentOf(row: ChangeCommentRow): ChangeComment {
    return {
        id: row.id, taskId: row.task_id, ...(row.path !== null ? { path: row.path } : {}), ...(row.hunk !== null ? { hunk: row.hunk } : {}),
        text: row.text, by: { id: row.by_id, displayName: row.by_name }, at: row.created_at,
        ...(row.follow_up_task_id !== null ? { followUpTaskId: row.follow_up_task_id } : {}),
    };
}

function statusOf(row: ChangeFileRow): ChangeFileStatus {
    return row.before_sha === null ? 'added' : row.after_sha === null ? 'deleted' : 'modified';
}
