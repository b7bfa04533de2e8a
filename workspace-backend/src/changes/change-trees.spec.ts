import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempCluster } from '../database/test-support/temp-cluster';
import { WorkspacePaths } from '../policy/workspace-paths';
import { ChangeSets, InvalidReviewError, Reviewer, UnknownChangeSetError } from './change-sets';
import { PlainReviewWriter } from './plain-review-writer';
import type { DelegatedTask } from './task-forest';

const ada: Reviewer = { id: 'user:ada', displayName: 'Ada' };

describe('ChangeSets of delegated tasks: a child\'s change set rolls up into its parent\'s', function () {
    this.timeout(60_000);
    const temp = TempCluster.perTest('coditect-change-trees-');
    let workspace: string;
    let changes: ChangeSets;
    let tasks: DelegatedTask[];
    let at = 1_000;

    beforeEach(() => {
        workspace = path.join(temp.root, 'workspace');
        fs.mkdirSync(workspace, { recursive: true });
        tasks = [];
        changes = new ChangeSets({
            db: temp.open().get('sessions'), writer: new PlainReviewWriter(new WorkspacePaths(workspace)),
            // As the orchestrator answers: every task of the trees the given tasks are in.
            delegation: ids => {
                const rootOf = (id: number): number => {
                    const parent = tasks.find(t => t.id === id)?.parentTaskId;
                    return parent === undefined ? id : rootOf(parent);
                };
                const roots = new Set(ids.filter(id => tasks.some(t => t.id === id)).map(rootOf));
                return tasks.filter(t => roots.has(rootOf(t.id)));
            },
        });
    });
    afterEach(() => changes.dispose());

    const task = (id: number, agentId: string, parentTaskId?: number) =>
        tasks.push({ id, agentId, title: `${agentId}'s task ${id}`, status: 'done', enqueuedAt: id, ...(parentTaskId !== undefined ? { parentTaskId } : {}) });
    const read = (file: string) => (fs.existsSync(path.join(workspace, file)) ? fs.readFileSync(path.join(workspace, file), 'utf8') : undefined);
    function write(taskId: number, file: string, after: string | undefined): void {
        const absolute = path.join(workspace, file);
        const before = read(file);
        if (after === undefined) {
            fs.rmSync(absolute);
        } else {
            fs.mkdirSync(path.dirname(absolute), { recursive: true });
            fs.writeFileSync(absolute, after);
        }
        const agentId = tasks.find(t => t.id === taskId)!.agentId;
        changes.record({ taskId, agentId, title: `${agentId}'s task ${taskId}`, path: file, before, after, origin: 'tool', at: at++ });
    }

    /** A lead (10) that only delegates: to 11 (which delegates 13) and 12; task 14 is nobody's. */
    function team(): void {
        task(10, 'codex');
        task(11, 'test-writer', 10);
        task(12, 'doc-generator', 10);
        task(13, 'test-writer', 11);
        task(14, 'claude');
        write(11, 'test/a.test.ts', 'test a\n');
        write(12, 'docs/a.md', 'docs\nfor a\n');
        write(13, 'test/b.test.ts', 'test b\n');
        write(13, 'test/a.test.ts', 'test a\nand more\n');
        write(14, 'x.ts', 'x\n');
    }

    it('lists a lead that changed nothing itself once, just before its newest sub-task, with the whole tree rolled up; each sub-task names its parent', () => {
        team();
        const list = changes.list();
        assert.deepEqual(list.map(s => [s.taskId, s.parentTaskId]), [[14, undefined], [10, undefined], [13, 11], [12, 10], [11, 10]]);
        const lead = list[1];
        assert.deepEqual([lead.agentId, lead.title, lead.taskStatus, lead.files.length], ['codex', 'codex\'s task 10', 'done', 0]);
        // Files each once (test/a.test.ts by two tasks), lines summed over the sets.
        assert.deepEqual(lead.tree, { subtaskIds: [11, 12, 13], files: 3, added: 5, removed: 0, review: 'pending' });
        assert.deepEqual(list.find(s => s.taskId === 11)!.tree, { subtaskIds: [13], files: 2, added: 3, removed: 0, review: 'pending' });
        assert.equal(list.find(s => s.taskId === 12)!.tree, undefined);
        assert.equal(list[0].tree, undefined);

        // Paged: the lead is on the page of its newest sub-task only, and a page still ends with a change set.
        assert.deepEqual(changes.list({ limit: 2 }).map(s => s.taskId), [14, 10, 13]);
        assert.deepEqual(changes.list({ beforeTaskId: 13 }).map(s => s.taskId), [12, 11]);
        // One agent's sets: no one else's task is listed for them.
        assert.deepEqual(changes.list({ agentId: 'test-writer' }).map(s => [s.taskId, s.parentTaskId]), [[13, 11], [11, 10]]);

        const detail = changes.get(10);
        assert.deepEqual([detail.files, detail.commentList, detail.tree?.subtaskIds], [[], [], [11, 12, 13]]);
        assert.deepEqual(changes.get(11).tree?.subtaskIds, [13]);
        assert.throws(() => changes.get(99), UnknownChangeSetError);
    });

    it('rejects a whole tree, newest set first, so a file two of its tasks changed in turn goes back as it was; accepting brings it all back', async () => {
        fs.writeFileSync(path.join(workspace, 'shared.ts'), 'one\ntwo\nthree\n');
        task(20, 'codex');
        task(21, 'claude', 20);
        write(20, 'shared.ts', 'ONE\ntwo\nthree\n');
        write(21, 'shared.ts', 'ONE\ntwo\nTHREE\n');
        write(21, 'made.ts', 'made\n');

        const rejected = await changes.review({ taskId: 20, decision: 'reject', withSubtasks: true }, ada);
        assert.deepEqual([rejected.taskId, rejected.review, rejected.files.map(f => [f.path, f.outcome])], [20, 'rejected', [['shared.ts', 'applied']]]);
        assert.deepEqual(rejected.subtasks?.map(r => [r.taskId, r.files.map(f => f.outcome)]), [[21, ['applied', 'applied']]]);
        assert.equal(read('shared.ts'), 'one\ntwo\nthree\n');
        assert.equal(read('made.ts'), undefined);
        assert.equal(changes.list().find(s => s.taskId === 20)!.tree?.review, 'rejected');

        const accepted = await changes.review({ taskId: 20, decision: 'accept', withSubtasks: true }, ada);
        assert.equal(accepted.review, 'accepted');
        assert.equal(read('shared.ts'), 'ONE\ntwo\nTHREE\n');
        assert.equal(read('made.ts'), 'made\n');
    });

    it('decides a lead that changed nothing by its sub-tasks\' sets, and says what was wrong with a tree review it cannot do', async () => {
        team();
        const result = await changes.review({ taskId: 10, decision: 'reject', withSubtasks: true }, ada);
        assert.deepEqual([result.files, result.subtasks?.map(r => r.taskId), result.review], [[], [11, 12, 13], 'rejected']);
        assert.deepEqual(['test/a.test.ts', 'test/b.test.ts', 'docs/a.md', 'x.ts'].map(read), [undefined, undefined, undefined, 'x\n']);

        await assert.rejects(changes.review({ taskId: 10, path: 'docs/a.md', decision: 'accept', withSubtasks: true }, ada),
            (error: Error) => error instanceof InvalidReviewError && /decided whole: leave out the path/.test(error.message));
        await assert.rejects(changes.review({ taskId: 77, decision: 'accept', withSubtasks: true }, ada), UnknownChangeSetError);
        // Without withSubtasks, a lead with no set of its own has nothing to decide.
        await assert.rejects(changes.review({ taskId: 10, decision: 'accept' }, ada), UnknownChangeSetError);
    });
});
