import * as assert from 'node:assert/strict';
import { CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { ProgressService } from '@theia/core/lib/common/progress-service';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { Container } from '@theia/core/shared/inversify';
import { SharedCommands } from '@coditect/studio-platform/common';
import type { ChangeComment, ChangeSetDetail, ChangeSetSummary, CommentRequest, ReviewRequest, ReviewResult } from '../common/change-review-protocol';
import { ChangeReviewService } from '../common/change-review-protocol';
import { ChangeReviewClientImpl } from './change-review-client-impl';
import { ChangesModel } from './changes-model';
import { CheckpointRestorer } from './checkpoint-restorer';
import { RestoreConfirmation } from './restore-confirmation';

const summary = (taskId: number, agentId: string): ChangeSetSummary => ({
    taskId, agentId, title: `task ${taskId}`, taskStatus: 'running', review: 'pending', createdAt: taskId, updatedAt: taskId, added: 1, removed: 1, comments: 0, overlapsWith: [],
    files: [{ path: 'src/a.ts', status: 'modified', origin: 'tool', added: 1, removed: 1, hunks: 1, review: 'pending', lastChangedAt: taskId }],
});

const detail = (taskId: number): ChangeSetDetail => ({
    ...summary(taskId, 'claude'), commentList: [],
    files: [{
        ...summary(taskId, 'claude').files[0], diff: '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,1 +1,1 @@\n-old\n+new\n',
        hunkList: [{ index: 0, oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, review: 'pending' }],
    }],
});

/** A change review backend answering from fields the test sets, recording what it was asked. */
class FakeChangeReviewService implements ChangeReviewService {
    sets: ChangeSetSummary[] = [summary(1, 'claude'), summary(2, 'gemini'), summary(3, 'claude')];
    nextResult: ReviewResult | Error = { taskId: 1, files: [], review: 'accepted' };
    readonly reviews: ReviewRequest[] = [];
    gets = 0;
    async list() { return this.sets; }
    async get(taskId: number) {
        this.gets++;
        if (!this.sets.some(s => s.taskId === taskId)) {
            throw new Error(`No change set for task #${taskId}.`);
        }
        return detail(taskId);
    }
    async content() { return { exists: true, content: '' }; }
    async rootUri() { return 'file:///w'; }
    async review(request: ReviewRequest) {
        this.reviews.push(request);
        if (this.nextResult instanceof Error) {
            throw this.nextResult;
        }
        return this.nextResult;
    }
    readonly comments: CommentRequest[] = [];
    async comment(request: CommentRequest): Promise<ChangeComment> {
        this.comments.push(request);
        return { id: 1, taskId: request.taskId, path: request.path, hunk: request.hunk, text: request.text, by: { id: 'user:t', displayName: 'T' }, at: 1, followUpTaskId: 7 };
    }
    async checkpoints() { return []; }
    async lineOrigins() { return undefined; }
    async restoreCheckpoint(): Promise<never> { throw new Error('not in this test'); }
    dispose() { /* nothing held */ }
    setClient() { /* the test fires the client itself */ }
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('ChangesModel', () => {
    let service: FakeChangeReviewService;
    let client: ChangeReviewClientImpl;
    let warnings: string[];
    let errors: string[];
    let commands: { id: string; arg: unknown }[];
    let infos: string[];
    let answer: string | undefined;

    function createModel(): ChangesModel {
        const container = new Container();
        container.bind(ChangeReviewService).toConstantValue(service);
        container.bind(ChangeReviewClientImpl).toConstantValue(client);
        container.bind(MessageService).toConstantValue({
            warn: async (text: string) => { warnings.push(text); return undefined; },
            error: async (text: string) => { errors.push(text); return undefined; },
            info: async (text: string) => { infos.push(text); return undefined; },
        } as unknown as MessageService);
        container.bind(ProgressService).toConstantValue({ withProgress: (_text: string, _location: string, task: () => Promise<unknown>) => task() } as unknown as ProgressService);
        container.bind(CommandService).toConstantValue({ executeCommand: async (id: string, arg: unknown) => { commands.push({ id, arg }); } });
        container.bind(QuickInputService).toConstantValue({ input: async () => answer } as unknown as QuickInputService);
        container.bind(RestoreConfirmation).toConstantValue({ confirm: async () => false });
        container.bind(CheckpointRestorer).toSelf();
        container.bind(ChangesModel).toSelf();
        return container.get(ChangesModel);
    }

    beforeEach(() => {
        service = new FakeChangeReviewService();
        client = new ChangeReviewClientImpl();
        warnings = [];
        infos = [];
        answer = undefined;
        errors = [];
        commands = [];
    });

    it('lists the change sets by agent once read, and reads a task\'s files when it is expanded', async () => {
        const model = createModel();
        assert.equal(model.ready, false);
        await settle();
        assert.equal(model.ready, true);
        assert.deepEqual(model.groups.map(g => [g.agentId, g.changeSets.map(s => s.taskId)]), [['claude', [3, 1]], ['gemini', [2]]]);
        model.toggleTask(3);
        await settle();
        assert.equal(model.detail(3)?.files[0].hunkList.length, 1);
        assert.deepEqual(model.preview(model.detail(3)!.files[0], model.detail(3)!.files[0].hunkList[0]).added, ['new']);
        model.dispose();
    });

    it('re-reads on the backend\'s events and follows a task\'s status without re-reading', async () => {
        const model = createModel();
        await settle();
        service.sets = [...service.sets, summary(4, 'codex')];
        client.onChangeSetsChanged({ kind: 'recorded', taskId: 4, paths: ['src/a.ts'] });
        await settle();
        assert.equal(model.groups[0].agentId, 'codex');
        client.onTaskStatusChanged(3, 'done');
        assert.equal(model.groups.flatMap(g => g.changeSets).find(s => s.taskId === 3)?.taskStatus, 'done');
        model.dispose();
    });

    it('names a conflict\'s file, reason and lines in a warning and marks the file; nothing else is said', async () => {
        const model = createModel();
        await settle();
        service.nextResult = {
            taskId: 1, review: 'pending',
            files: [{ path: 'src/a.ts', outcome: 'conflict', reason: 'Changed since, at line 1.', conflicts: [{ line: 1, current: 'mine', reviewed: 'new', wanted: 'old' }] }],
        };
        await model.review({ taskId: 1, path: 'src/a.ts', hunk: 0, decision: 'reject' });
        assert.deepEqual(service.reviews, [{ taskId: 1, path: 'src/a.ts', hunk: 0, decision: 'reject' }]);
        assert.equal(warnings.length, 1);
        assert.equal(warnings[0], 'Could not reject hunk 1 of src/a.ts: src/a.ts was left as it is. Changed since, at line 1. Line 1 now reads "mine"; the decision wanted "old".');
        assert.ok(model.conflictOf(1, 'src/a.ts'));
        assert.deepEqual(errors, []);

        // A review that applies clears the mark.
        service.nextResult = { taskId: 1, review: 'accepted', files: [{ path: 'src/a.ts', outcome: 'applied', review: 'accepted', wrote: false }] };
        await model.review({ taskId: 1, path: 'src/a.ts', decision: 'accept' });
        assert.equal(model.conflictOf(1, 'src/a.ts'), undefined);
        model.dispose();
    });

    it('shows the service\'s error, and runs one review per task at a time', async () => {
        const model = createModel();
        await settle();
        service.nextResult = new Error('Not allowed: change.review');
        const first = model.review({ taskId: 1, decision: 'accept' });
        assert.deepEqual(model.reviewRunning(1), { taskId: 1, decision: 'accept' });
        await model.review({ taskId: 1, decision: 'reject' });
        await first;
        assert.equal(service.reviews.length, 1);
        assert.equal(model.reviewRunning(1), undefined);
        assert.deepEqual(errors, ['Could not accept task #1: Not allowed: change.review']);
        model.dispose();
    });

    it('opens a diff through the shared command, and reveals only tasks that have a change set', async () => {
        const model = createModel();
        await settle();
        await model.openDiff(2, 'src/a.ts');
        assert.deepEqual(commands, [{ id: SharedCommands.CHANGES_OPEN_DIFF.id, arg: { taskId: 2, path: 'src/a.ts' } }]);
        assert.equal(await model.reveal(2), true);
        assert.equal(model.revealed, 2);
        assert.equal(model.isExpanded(2), true);
        assert.equal(await model.reveal(9), false);
        assert.equal(model.revealed, 2);
        model.dispose();
    });

    it('sends a comment on a hunk as the person wrote it and says which follow-up task it became; a cancelled one sends nothing', async () => {
        const model = createModel();
        await settle();
        const hunk = detail(1).files[0].hunkList[0];
        await model.comment(1, 'src/a.ts', hunk);
        assert.deepEqual(service.comments, [], 'cancelled: nothing sent');
        answer = 'Use the old name.';
        await model.comment(1, 'src/a.ts', hunk);
        assert.deepEqual(service.comments, [{ taskId: 1, path: 'src/a.ts', hunk: 0, text: 'Use the old name.' }]);
        assert.deepEqual(infos, ['Sent to Claude as follow-up task #7.']);
        model.dispose();
    });
});
