import * as assert from 'node:assert/strict';
import { SharedCommands } from '@coditect/studio-platform/common';
import { ChangeReviewClientImpl } from './change-review-client-impl';
import { changesContainer, detail, FakeChangeReviewService, ModelSinks, newSinks, settle, summary } from './change-review-test-support';
import { ChangesModel } from './changes-model';

describe('ChangesModel', () => {
    let service: FakeChangeReviewService;
    let client: ChangeReviewClientImpl;
    let sinks: ModelSinks;

    const createModel = (): ChangesModel => changesContainer(service, client, sinks).get(ChangesModel);

    beforeEach(() => {
        service = new FakeChangeReviewService();
        client = new ChangeReviewClientImpl();
        sinks = newSinks();
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
        assert.equal(sinks.warnings.length, 1);
        assert.equal(sinks.warnings[0], 'Could not reject hunk 1 of src/a.ts: src/a.ts was left as it is. Changed since, at line 1. Line 1 now reads "mine"; the decision wanted "old".');
        assert.ok(model.conflictOf(1, 'src/a.ts'));
        assert.deepEqual(sinks.errors, []);

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
        assert.deepEqual(sinks.errors, ['Could not accept task #1: Not allowed: change.review']);
        model.dispose();
    });

    it('opens a diff through the shared command, and reveals only tasks that have a change set', async () => {
        const model = createModel();
        await settle();
        await model.openDiff(2, 'src/a.ts');
        assert.deepEqual(sinks.commands, [{ id: SharedCommands.CHANGES_OPEN_DIFF.id, arg: { taskId: 2, path: 'src/a.ts' } }]);
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
        sinks.answer = 'Use the old name.';
        await model.comment(1, 'src/a.ts', hunk);
        assert.deepEqual(service.comments, [{ taskId: 1, path: 'src/a.ts', hunk: 0, text: 'Use the old name.' }]);
        assert.deepEqual(sinks.infos, ['Sent to Claude as follow-up task #7.']);
        model.dispose();
    });

    it('sends a comment on a whole file without a hunk', async () => {
        const model = createModel();
        await settle();
        sinks.answer = 'Split this file in two.';
        await model.comment(1, 'src/a.ts');
        assert.deepEqual(service.comments, [{ taskId: 1, path: 'src/a.ts', text: 'Split this file in two.' }]);
        model.dispose();
    });
});
