import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempCluster } from '../database/test-support/temp-cluster';
import { WorkspacePaths } from '../policy/workspace-paths';
import { ChangeSets, InvalidReviewError, Reviewer, TaskWrite, UnknownChangeSetError } from './change-sets';
import { PlainReviewWriter } from './plain-review-writer';

const ada: Reviewer = { id: 'user:ada', displayName: 'Ada' };
const lines = (...items: string[]) => items.map(i => `${i}\n`).join('');

describe('ChangeSets: what each task changed, and its review', function () {
    this.timeout(60_000);
    const temp = TempCluster.perTest('coditect-changes-');
    let workspace: string;
    let changes: ChangeSets;
    let at = 1_000;
    let followUps: { agentId: string; prompt: string; title: string; submittedBy: string }[];

    beforeEach(() => {
        workspace = path.join(temp.root, 'workspace');
        fs.mkdirSync(workspace, { recursive: true });
        const cluster = temp.open();
        followUps = [];
        changes = new ChangeSets({
            db: cluster.get('sessions'), writer: new PlainReviewWriter(new WorkspacePaths(workspace)),
            taskStatuses: (from, to) => new Map(from <= 1 && 1 <= to ? [[1, 'done']] : []),
            submitFollowUp: task => followUps.push(task) + 100, secrets: () => ['sk-live-secret-value-1234'],
        });
    });
    afterEach(() => changes.dispose());

    /** An agent's write: the file on disk and its record, as the guarded writer and the capture do it. */
    function write(taskId: number, file: string, after: string | undefined, agentId = 'claude'): void {
        const absolute = path.join(workspace, file);
        const before = fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8') : undefined;
        if (after === undefined) {
            fs.rmSync(absolute);
        } else {
            fs.mkdirSync(path.dirname(absolute), { recursive: true });
            fs.writeFileSync(absolute, after);
        }
        const change: TaskWrite = { taskId, agentId, title: `task ${taskId}`, path: file, before, after, origin: 'tool', at: at++ };
        changes.record(change);
    }
    const read = (file: string) => (fs.existsSync(path.join(workspace, file)) ? fs.readFileSync(path.join(workspace, file), 'utf8') : undefined);
    const setOnDisk = (file: string, content: string) => fs.writeFileSync(path.join(workspace, file), content);

    it('keeps one change set per task: the content before its first change and after its last, listed newest first with line counts', () => {
        setOnDisk('a.ts', lines('one', 'two', 'three'));
        write(1, 'a.ts', lines('one', 'TWO', 'three'));
        write(1, 'a.ts', lines('one', 'TWO', 'three', 'four'));
        write(1, 'src/new.ts', lines('created'));
        write(2, 'a.ts', lines('zero', 'one', 'TWO', 'three', 'four'), 'gemini');

        const list = changes.list();
        assert.deepEqual(list.map(s => [s.taskId, s.agentId, s.title]), [[2, 'gemini', 'task 2'], [1, 'claude', 'task 1']]);
        const first = list[1];
        assert.equal(first.taskStatus, 'done');
        assert.equal(first.review, 'pending');
        assert.deepEqual(first.files.map(f => [f.path, f.status, f.added, f.removed, f.hunks]), [
            ['a.ts', 'modified', 2, 1, 2],
            ['src/new.ts', 'added', 1, 0, 1],
        ]);
        assert.deepEqual([first.added, first.removed], [3, 1]);
        assert.deepEqual(changes.list({ agentId: 'gemini' }).map(s => s.taskId), [2]);
        assert.deepEqual(changes.list({ beforeTaskId: 2 }).map(s => s.taskId), [1]);

        const detail = changes.get(1);
        const a = detail.files.find(f => f.path === 'a.ts')!;
        assert.match(a.diff, /^--- a\/a\.ts\n\+\+\+ b\/a\.ts\n@@ -1,3 \+1,4 @@\n one\n-two\n\+TWO\n three\n\+four\n$/m);
        assert.deepEqual(a.hunkList.map(h => [h.oldStart, h.oldLines, h.newStart, h.newLines, h.review]), [[2, 1, 2, 1, 'pending'], [4, 0, 4, 1, 'pending']]);
        assert.equal(changes.content(1, 'a.ts', 'before'), lines('one', 'two', 'three'));
        assert.equal(changes.content(1, 'src/new.ts', 'before'), undefined);
    });

    it('drops a file the task put back as it was, and the change set when nothing is left', () => {
        setOnDisk('a.ts', 'same\n');
        write(3, 'a.ts', 'changed\n');
        write(3, 'b.ts', 'new\n');
        write(3, 'a.ts', 'same\n');
        assert.deepEqual(changes.get(3).files.map(f => f.path), ['b.ts']);
        write(3, 'b.ts', undefined);
        assert.deepEqual(changes.list(), []);
        assert.throws(() => changes.get(3), UnknownChangeSetError);
    });

    it('rejecting a file restores exactly what was there (line endings, no final newline), deletes what the task created and brings back what it deleted', async () => {
        const original = 'first\r\nsecond\r\nno newline at end';
        setOnDisk('crlf.txt', original);
        setOnDisk('gone.txt', 'keep me\n');
        write(4, 'crlf.txt', 'first\r\nchanged\r\nno newline at end\n');
        write(4, 'made.txt', 'made\n');
        write(4, 'gone.txt', undefined);

        const result = await changes.review({ taskId: 4, decision: 'reject' }, ada);
        assert.deepEqual(result.files.map(f => [f.path, f.outcome]), [['crlf.txt', 'applied'], ['gone.txt', 'applied'], ['made.txt', 'applied']]);
        assert.equal(result.review, 'rejected');
        assert.equal(read('crlf.txt'), original);
        assert.equal(read('made.txt'), undefined);
        assert.equal(read('gone.txt'), 'keep me\n');
    });

    it('rejects one hunk and keeps the others; accepting it again puts the agent\'s lines back', async () => {
        setOnDisk('h.ts', lines('a', 'b', 'c', 'd', 'e', 'f', 'g'));
        write(5, 'h.ts', lines('a', 'B', 'c', 'd', 'e', 'F', 'g'));
        assert.equal(changes.get(5).files[0].hunks, 2);

        const rejected = await changes.review({ taskId: 5, path: 'h.ts', hunk: 1, decision: 'reject' }, ada);
        assert.deepEqual(rejected.files[0], { path: 'h.ts', outcome: 'applied', review: 'pending', wrote: true });
        assert.equal(read('h.ts'), lines('a', 'B', 'c', 'd', 'e', 'f', 'g'));
        await changes.review({ taskId: 5, path: 'h.ts', hunk: 0, decision: 'accept' }, ada);
        assert.deepEqual(changes.get(5).files[0].hunkList.map(h => h.review), ['accepted', 'rejected']);
        assert.equal(changes.list()[0].review, 'partly-accepted');

        await changes.review({ taskId: 5, path: 'h.ts', hunk: 1, decision: 'accept' }, ada);
        assert.equal(read('h.ts'), lines('a', 'B', 'c', 'd', 'e', 'F', 'g'));
        assert.equal(changes.list()[0].review, 'accepted');
    });

    it('merges a rejection with what changed the file since, and reports a conflict at the same lines without writing', async () => {
        setOnDisk('m.ts', lines('1', '2', '3', '4', '5', '6', '7', '8'));
        write(6, 'm.ts', lines('1', 'agent', '3', '4', '5', '6', '7', '8'));
        // Someone edits far from the agent's hunk: the rejection keeps their line.
        setOnDisk('m.ts', lines('1', 'agent', '3', '4', '5', '6', '7', 'person'));
        const merged = await changes.review({ taskId: 6, path: 'm.ts', decision: 'reject' }, ada);
        assert.equal(merged.files[0].outcome, 'applied');
        assert.equal(read('m.ts'), lines('1', '2', '3', '4', '5', '6', '7', 'person'));

        setOnDisk('c.ts', lines('x', 'y', 'z'));
        write(7, 'c.ts', lines('x', 'agent', 'z'));
        setOnDisk('c.ts', lines('x', 'person', 'z'));
        const conflicted = await changes.review({ taskId: 7, path: 'c.ts', decision: 'reject' }, ada);
        const outcome = conflicted.files[0];
        assert.equal(outcome.outcome, 'conflict');
        assert.ok(outcome.outcome === 'conflict');
        assert.match(outcome.reason, /c\.ts was changed since at the same lines \(line 2 now\)/);
        assert.deepEqual(outcome.conflicts, [{ line: 2, current: 'person\n', reviewed: 'agent\n', wanted: 'y\n' }]);
        assert.equal(read('c.ts'), lines('x', 'person', 'z'));
        assert.equal(changes.get(7).review, 'pending');

        // Rejecting a created file that was edited since would lose the edit: a conflict too.
        write(8, 'fresh.ts', 'agent\n');
        setOnDisk('fresh.ts', 'agent\nperson\n');
        const created = await changes.review({ taskId: 8, path: 'fresh.ts', decision: 'reject' }, ada);
        assert.equal(created.files[0].outcome, 'conflict');
        assert.equal(read('fresh.ts'), 'agent\nperson\n');
    });

    it('a later change by the task makes its file pending again', async () => {
        setOnDisk('p.ts', 'one\n');
        write(9, 'p.ts', 'two\n');
        await changes.review({ taskId: 9, decision: 'accept' }, ada);
        assert.equal(changes.get(9).review, 'accepted');
        write(9, 'p.ts', 'three\n');
        assert.equal(changes.get(9).review, 'pending');
    });

    it('sends a comment on a hunk back to the agent as a follow-up task with the hunk as context, secrets masked', () => {
        setOnDisk('k.ts', lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'));
        write(11, 'k.ts', lines('a', 'B', 'c', 'd', 'e', 'f', 'G1', 'G2', 'h'));
        const comment = changes.comment({ taskId: 11, path: 'k.ts', hunk: 1, text: '  Use one line here; the key sk-live-secret-value-1234 must not leak.\nThanks.  ' }, ada);
        assert.deepEqual([comment.taskId, comment.path, comment.hunk, comment.followUpTaskId, comment.by], [11, 'k.ts', 1, 101, ada]);
        assert.ok(!comment.text.includes('sk-live-secret-value-1234'));
        assert.equal(followUps.length, 1);
        const [task] = followUps;
        assert.deepEqual([task.agentId, task.submittedBy], ['claude', 'user:ada']);
        assert.match(task.title, /^Follow-up on #11: Use one line here; the key \S+ must not leak\.$/);
        assert.ok(!task.prompt.includes('sk-live-secret-value-1234') && !task.title.includes('sk-live-secret-value-1234'));
        assert.equal(task.prompt, [
            'Ada reviewed the changes of your task #11 ("task 11") and commented on k.ts, lines 7-8 (hunk 1):', '',
            comment.text, '', 'The hunk as your task left it:', '```diff', '-g', '+G1', '+G2', '```', '',
            'The file may have changed since: read it before editing. Address the comment, then finish with a summary of what you changed.',
        ].join('\n'));
        const detail = changes.get(11);
        assert.deepEqual(detail.commentList.map(c => [c.id, c.path, c.hunk, c.followUpTaskId]), [[comment.id, 'k.ts', 1, 101]]);
        assert.equal(changes.list()[0].comments, 1);

        changes.comment({ taskId: 11, text: 'Overall fine.' }, ada);
        assert.match(followUps[1].prompt, /commented on your change set as a whole:\n\nOverall fine\./);
        assert.throws(() => changes.comment({ taskId: 11, path: 'k.ts', text: '   ' }, ada), /Write the comment: its text is empty/);
        assert.throws(() => changes.comment({ taskId: 11, path: 'k.ts', hunk: 5, text: 'x' }, ada), /k\.ts has 2 hunk\(s\).*there is no hunk 5/);
        assert.throws(() => changes.comment({ taskId: 12, text: 'x' }, ada), UnknownChangeSetError);
        assert.equal(followUps.length, 2, 'a refused comment gives no task');
    });

    it('flags two tasks that changed the same lines one after the other, or the same file at the same time, and says where', () => {
        setOnDisk('o.ts', lines('1', '2', '3', '4', '5', '6', '7', '8', '9'));
        write(20, 'o.ts', lines('1', 'two', '3', '4', '5', '6', '7', '8', '9'));
        write(21, 'o.ts', lines('1', 'TWO', '3', '4', '5', '6', '7', '8', '9'), 'gemini');
        write(22, 'o.ts', lines('1', 'TWO', '3', '4', '5', '6', '7', 'eight', '9'), 'codex');
        const byTask = new Map(changes.list().map(s => [s.taskId, s]));
        assert.deepEqual(byTask.get(20)!.files[0].overlaps, [{ taskId: 21, agentId: 'gemini', kind: 'same-lines', lines: { start: 2, end: 2 } }]);
        assert.deepEqual(byTask.get(21)!.files[0].overlaps, [{ taskId: 20, agentId: 'claude', kind: 'same-lines', lines: { start: 2, end: 2 } }]);
        assert.deepEqual([byTask.get(20)!.overlapsWith, byTask.get(21)!.overlapsWith, byTask.get(22)!.overlapsWith], [[21], [20], []]);
        assert.equal(byTask.get(22)!.files[0].overlaps, undefined, 'line 8 is no line task 21 changed');

        setOnDisk('t.ts', lines('a', 'b'));
        write(30, 't.ts', lines('a', 'b', 'c'));
        write(31, 't.ts', lines('z', 'a', 'b', 'c'), 'gemini');
        write(30, 't.ts', lines('z', 'a', 'b', 'c', 'd'));
        const detail = changes.get(31);
        assert.deepEqual(detail.files[0].overlaps, [{ taskId: 30, agentId: 'claude', kind: 'interleaved' }]);
        assert.deepEqual(detail.overlapsWith, [30]);
    });

    it('says what was wrong with a review it cannot do', async () => {
        write(10, 'x.ts', 'x\n');
        await assert.rejects(changes.review({ taskId: 99, decision: 'reject' }, ada), (e: Error) => e instanceof UnknownChangeSetError && /Task #99 has no change set/.test(e.message));
        await assert.rejects(changes.review({ taskId: 10, path: 'y.ts', decision: 'reject' }, ada), /Task #10 did not change y\.ts/);
        await assert.rejects(changes.review({ taskId: 10, path: 'x.ts', hunk: 3, decision: 'reject' }, ada),
            (e: Error) => e instanceof InvalidReviewError && /x\.ts has 1 hunk\(s\).*there is no hunk 3/.test(e.message));
        await assert.rejects(changes.review({ taskId: 10, hunk: 0, decision: 'reject' }, ada), /give the path with the hunk/);
        await assert.rejects(changes.review({ taskId: 10, decision: 'maybe' as 'accept' }, ada), /Unknown decision "maybe"/);
        assert.equal(read('x.ts'), 'x\n');
    });

    it('shows a binary file without a line diff, accepts it, and sends its rejection to a checkpoint', async () => {
        const before = Buffer.from([137, 80, 78, 71, 0, 1]);
        const after = Buffer.from([137, 80, 78, 71, 0, 2, 3]);
        fs.writeFileSync(path.join(workspace, 'logo.png'), after);
        changes.record({ taskId: 4, agentId: 'codex', title: 'redraw', path: 'logo.png', before, after, origin: 'command', at: at++ });
        const file = changes.get(4).files[0];
        assert.deepEqual([file.binary, file.added, file.removed, file.hunks, file.diff], [true, 0, 0, 1, 'Binary files a/logo.png and b/logo.png differ\n']);
        assert.equal(changes.list()[0].files[0].binary, true, 'the listing says so from the stored counts');
        const rejected = await changes.review({ taskId: 4, decision: 'reject' }, ada);
        assert.equal(rejected.files[0].outcome, 'conflict');
        assert.match((rejected.files[0] as { reason: string }).reason, /binary file, which a review cannot merge; put it back as it was before task #4 from that task's checkpoint/);
        assert.deepEqual(fs.readFileSync(path.join(workspace, 'logo.png')), after);
        assert.equal((await changes.review({ taskId: 4, decision: 'accept' }, ada)).review, 'accepted');
    });
});
