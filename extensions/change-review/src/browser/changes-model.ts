import { CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { ProgressService } from '@theia/core/lib/common/progress-service';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { StudioViewModel } from '@coditect/studio-platform/browser';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';
import {
    ChangeFileDetail, ChangeHunk, ChangeReviewService, ChangeSetDetail, ChangeSetSummary, ReviewFileOutcome, ReviewRequest, ReviewResult,
} from '../common/change-review-protocol';
import { AgentChangeGroup, groupByAgent, subtasksByParent } from './change-groups';
import { ChangeLabels } from './change-labels';
import { ChangeReviewClientImpl } from './change-review-client-impl';
import { CheckpointRestorer } from './checkpoint-restorer';
import { DiffLines, hunkLocation, hunkPreview, HunkPreview, parseUnifiedDiff } from './hunk-preview';

const K = 'coditect/change-review/';
const messageOf = (error: unknown) => error instanceof Error ? error.message : String(error);
const fileKey = (taskId: number, path: string) => `${taskId}\n${path}`;

/**
 * What the Changes view shows and does: the change sets grouped by agent (re-read whenever the
 * backend announces one recorded or reviewed), the details (files, diffs, hunks) of the tasks
 * that are expanded, and the reviews, one running per task at a time, whose conflicts and errors
 * are shown as messages: the backend writes nothing in conflict, and the view says so.
 */
@injectable()
export class ChangesModel extends StudioViewModel {

    @inject(ChangeReviewService) protected readonly service: ChangeReviewService;
    @inject(ChangeReviewClientImpl) protected readonly client: ChangeReviewClientImpl;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(ProgressService) protected readonly progress: ProgressService;
    @inject(CommandRegistry) protected readonly commands: CommandRegistry;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(CheckpointRestorer) protected readonly restorer: CheckpointRestorer;

    protected summaries: readonly ChangeSetSummary[] = [];
    protected grouped: AgentChangeGroup[] = [];
    protected subtaskSets = new Map<number, ChangeSetSummary[]>();
    protected loaded = false;
    protected failure: string | undefined;
    protected listGeneration = 0;
    protected readonly details = new Map<number, ChangeSetDetail>();
    protected readonly detailGenerations = new Map<number, number>();
    protected readonly diffLines = new WeakMap<ChangeFileDetail, DiffLines>();
    protected readonly expandedTasks = new Set<number>();
    protected readonly expandedFiles = new Set<string>();
    /** The reviews under way, by task: one at a time per task, so a second click waits for the first's outcome. */
    protected readonly running = new Map<number, ReviewRequest>();
    /** The last conflict of each file, shown on its row until a review of it applies. */
    protected readonly conflicts = new Map<string, string>();
    protected revealedTask: number | undefined;

    @postConstruct()
    protected init(): void {
        this.toDispose.push(this.client.onDidChangeChangeSets(event => this.refresh(event.taskId)));
        this.toDispose.push(this.client.onDidChangeTaskStatus(({ taskId, status }) => this.setTaskStatus(taskId, status)));
        // Whether a commit can be opened depends on source control's command, which may register after this view.
        this.fireOn(this.commands.onCommandsChanged);
        this.refresh();
    }

    /** Whether the first list was read (until then the view says it is loading). */
    get ready(): boolean { return this.loaded; }
    /** Why the list could not be read, if it could not. */
    get error(): string | undefined { return this.failure; }
    /** By agent, each agent's newest first. */
    get groups(): readonly AgentChangeGroup[] { return this.grouped; }
    /** The task the last reveal was for (the view marks and scrolls to it). */
    get revealed(): number | undefined { return this.revealedTask; }

    /** The listed change sets of the tasks delegated from this one, shown under it, oldest first. */
    subtasks(taskId: number): readonly ChangeSetSummary[] {
        return this.subtaskSets.get(taskId) ?? [];
    }

    isExpanded(taskId: number): boolean {
        return this.expandedTasks.has(taskId);
    }

    toggleTask(taskId: number): void {
        if (this.expandedTasks.delete(taskId)) {
            this.fire();
            return;
        }
        this.expandedTasks.add(taskId);
        this.fire();
        this.loadDetail(taskId);
    }

    isFileExpanded(taskId: number, path: string): boolean {
        return this.expandedFiles.has(fileKey(taskId, path));
    }

    toggleFile(taskId: number, path: string): void {
        const key = fileKey(taskId, path);
        if (!this.expandedFiles.delete(key)) {
            this.expandedFiles.add(key);
        }
        this.fire();
    }

    /** The task's files with diffs and hunks, once read (tasks are read when expanded). */
    detail(taskId: number): ChangeSetDetail | undefined {
        return this.details.get(taskId);
    }

    /** The removed and added lines of a hunk, from its file's unified diff. */
    preview(file: ChangeFileDetail, hunk: ChangeHunk): HunkPreview {
        let lines = this.diffLines.get(file);
        if (!lines) {
            lines = parseUnifiedDiff(file.diff);
            this.diffLines.set(file, lines);
        }
        return hunkPreview(lines, hunk);
    }

    /** The review running on the task, if one is. */
    reviewRunning(taskId: number): ReviewRequest | undefined {
        return this.running.get(taskId);
    }

    /** The message of the file's last conflict, until a review of it applies. */
    conflictOf(taskId: number, path: string): string | undefined {
        return this.conflicts.get(fileKey(taskId, path));
    }

    /** Puts the workspace, or one file, back as it was before the task started (asks first; undoable). */
    restoreBeforeTask(taskId: number, path?: string): Promise<void> {
        return this.restorer.restoreBeforeTask(taskId, path);
    }

    openDiff(taskId: number, path: string): Promise<unknown> {
        return runSharedCommand(this.commands, SharedCommands.CHANGES_OPEN_DIFF, { taskId, path });
    }

    /** Whether a task's commit can be opened (source control, which opens it, is there). */
    get canOpenCommit(): boolean {
        return this.commands.isEnabled(SharedCommands.GIT_OPEN_COMMIT.id);
    }

    /** The commit's changes, as source control shows them. */
    openCommit(sha: string): Promise<unknown> {
        return runSharedCommand(this.commands, SharedCommands.GIT_OPEN_COMMIT, { sha });
    }

    /** Expands the task and marks it; false (and a message) when the task changed no file. */
    async reveal(taskId: number): Promise<boolean> {
        try {
            const detail = await this.service.get(taskId);
            if (!this.summaries.some(s => s.taskId === taskId)) {
                // Older than the listed page: shown all the same.
                this.setSummaries([...this.summaries, detail]);
            }
            this.details.set(taskId, detail);
        } catch (error) {
            this.messages.info(nls.localize(`${K}no-change-set`, 'Task #{0} has no changes to review: {1}', taskId, messageOf(error)));
            return false;
        }
        this.expandedTasks.add(taskId);
        this.revealedTask = taskId;
        this.fire();
        return true;
    }

    /** Re-reads the list, and the details of the expanded tasks (of `taskId` alone when given). */
    async refresh(taskId?: number): Promise<void> {
        const generation = ++this.listGeneration;
        try {
            const list = await this.service.list();
            if (generation !== this.listGeneration) {
                return;
            }
            const revealedOutside = this.summaries.filter(s => s.taskId === this.revealedTask && !list.some(l => l.taskId === s.taskId));
            this.setSummaries([...list, ...revealedOutside]);
            this.failure = undefined;
        } catch (error) {
            if (generation === this.listGeneration) {
                this.failure = messageOf(error);
            }
        } finally {
            this.loaded = true;
            this.fire();
        }
        const expanded = taskId === undefined ? [...this.expandedTasks] : this.expandedTasks.has(taskId) ? [taskId] : [];
        await Promise.all(expanded.map(id => this.loadDetail(id)));
    }

    /** Accepts or rejects a hunk, a file or the whole task, with progress; says what conflicted or failed. */
    async review(request: ReviewRequest): Promise<void> {
        if (this.running.has(request.taskId)) {
            return;
        }
        this.running.set(request.taskId, request);
        this.fire();
        try {
            const result = await this.progress.withProgress(ChangeLabels.progress(request), 'window', () => this.service.review(request));
            this.report(request, result);
        } catch (error) {
            this.messages.error(ChangeLabels.escapeMarkdown(`${ChangeLabels.failed(request)}: ${messageOf(error)}`));
        } finally {
            this.running.delete(request.taskId);
            this.fire();
        }
        // The backend announces the review too; reading now shows the outcome without waiting for it.
        await this.refresh(request.taskId);
    }

    /**
     * Asks for a comment on a file or one of its hunks and sends it back to the task's agent as a follow-up task (with
     * the hunk as the task left it); says which task it became.
     */
    async comment(taskId: number, path: string, hunk?: ChangeHunk): Promise<void> {
        const agent = ChangeLabels.agentName(this.summaries.find(s => s.taskId === taskId)?.agentId ?? '');
        const text = await this.quickInput.input({
            title: hunk
                ? nls.localize(`${K}comment-title`, 'Comment for {0} on {1}, {2}', agent, path, hunkLocation(hunk))
                : nls.localize(`${K}comment-file-title`, 'Comment for {0} on {1}', agent, path),
            prompt: hunk
                ? nls.localize(`${K}comment-prompt`, 'Sent back to {0} as a follow-up task of task #{1}, with these lines as context. Enter to send.', agent, taskId)
                : nls.localize(`${K}comment-file-prompt`, 'Sent back to {0} as a follow-up task of task #{1}, about this file. Enter to send.', agent, taskId),
            validateInput: async value => (value.trim() === '' ? nls.localize(`${K}comment-empty`, 'Write the comment first.') : undefined),
        });
        if (text === undefined || text.trim() === '') {
            return;
        }
        try {
            const comment = await this.progress.withProgress(nls.localize(`${K}comment-sending`, 'Sending the comment to {0}…', agent), 'window',
                () => this.service.comment({ taskId, path, ...(hunk ? { hunk: hunk.index } : {}), text }));
            this.messages.info(nls.localize(`${K}comment-sent`, 'Sent to {0} as follow-up task #{1}.', agent, comment.followUpTaskId ?? '?'));
        } catch (error) {
            this.messages.error(ChangeLabels.escapeMarkdown(nls.localize(`${K}comment-failed`, 'Could not send the comment: {0}', messageOf(error))));
        }
    }

    protected report(request: ReviewRequest, result: ReviewResult): void {
        for (const subtask of result.subtasks ?? []) {
            this.report({ taskId: subtask.taskId, decision: request.decision }, subtask);
        }
        for (const file of result.files) {
            const key = fileKey(request.taskId, file.path);
            if (file.outcome === 'applied') {
                this.conflicts.delete(key);
                continue;
            }
            const text = ChangeLabels.conflict(request, file);
            this.conflicts.set(key, text);
            this.showConflict(request.taskId, file, text);
        }
    }

    protected async showConflict(taskId: number, file: Extract<ReviewFileOutcome, { outcome: 'conflict' }>, text: string): Promise<void> {
        const openDiff = nls.localize(`${K}open-diff`, 'Open Diff');
        if (await this.messages.warn(ChangeLabels.escapeMarkdown(text), openDiff) === openDiff) {
            await this.openDiff(taskId, file.path);
        }
    }

    /** A listed task's new status, in place: nothing else of its change set changed. */
    protected setTaskStatus(taskId: number, taskStatus: string): void {
        if (this.summaries.some(s => s.taskId === taskId && s.taskStatus !== taskStatus)) {
            this.setSummaries(this.summaries.map(s => (s.taskId === taskId ? { ...s, taskStatus } : s)));
            this.fire();
        }
    }

    protected setSummaries(summaries: readonly ChangeSetSummary[]): void {
        this.summaries = summaries;
        this.grouped = groupByAgent(summaries);
        this.subtaskSets = subtasksByParent(summaries);
    }

    protected async loadDetail(taskId: number): Promise<void> {
        const generation = (this.detailGenerations.get(taskId) ?? 0) + 1;
        this.detailGenerations.set(taskId, generation);
        try {
            const detail = await this.service.get(taskId);
            if (this.detailGenerations.get(taskId) === generation) {
                this.details.set(taskId, detail);
                this.fire();
            }
        } catch (error) {
            if (this.detailGenerations.get(taskId) === generation && this.expandedTasks.has(taskId)) {
                this.messages.error(nls.localize(`${K}load-task-failed`, 'Could not read the changes of task #{0}: {1}', taskId, messageOf(error)));
            }
        }
    }
}
