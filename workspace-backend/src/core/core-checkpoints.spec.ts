import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForValue } from '../common/test-support/wait-for-value';
import { ScriptedCore, toolCall } from './test-support/scripted-core';

/*
 * The workspace journal as the core wires it: an agent's command's changes in its task's change
 * set (a rename paired), and checkpoints that put the workspace back as it was before the task,
 * undoably. Real agent processes running real shell commands, a real watcher, real databases.
 */

const ada = { id: 'user:ada', displayName: 'Ada' };

describe('the workspace journal and checkpoints in the core', function () {
    this.timeout(180_000);
    const suite = ScriptedCore.perSuite('core-checkpoints-', () => [
        toolCall('read_file', { path: 'readme.txt' }),
        toolCall('edit_file', { path: 'app.ts', old_text: 'const b = 2;', new_text: 'const b = 3;' }),
        toolCall('run_command', { command: 'printf "built\\n" > out.txt && printf "one\\ntwo!\\n" > notes.txt && mv old.txt moved.txt' }),
        toolCall('finish', { summary: 'done' }),
    ], ws => {
        fs.writeFileSync(path.join(ws, 'app.ts'), 'const a = 1;\nconst b = 2;\n');
        fs.writeFileSync(path.join(ws, 'notes.txt'), 'one\ntwo\n');
        fs.writeFileSync(path.join(ws, 'old.txt'), 'to be moved\n');
        fs.writeFileSync(path.join(ws, 'readme.txt'), 'first\nsecond\nthird\n');
    });
    const read = (file: string) => (fs.existsSync(path.join(suite.ws, file)) ? fs.readFileSync(path.join(suite.ws, file), 'utf8') : undefined);
    const workspace = () => Object.fromEntries(['app.ts', 'notes.txt', 'old.txt', 'moved.txt', 'out.txt'].map(f => [f, read(f)]));
    let taskId = 0;

    it('records a task\'s command changes in its change set beside its tool\'s, a rename as one', async () => {
        taskId = suite.core.orchestrator.submitTask('claude', { prompt: 'build', title: 'Build it' }).id;
        const done = await suite.core.orchestrator.waitForTask(taskId);
        assert.equal(done.status, 'done', JSON.stringify(done.result));
        const set = await waitForValue('the command\'s four changes in the change set', () => {
            const found = suite.core.changes.list().find(s => s.taskId === taskId);
            return found && found.files.length === 5 && found;
        });
        assert.deepEqual(set.files.map(f => [f.path, f.status, f.origin, f.renamedFrom]), [
            ['app.ts', 'modified', 'tool', undefined],
            ['moved.txt', 'added', 'command', 'old.txt'],
            ['notes.txt', 'modified', 'command', undefined],
            ['old.txt', 'deleted', 'command', undefined],
            ['out.txt', 'added', 'command', undefined],
        ]);
        const notes = suite.core.changes.get(taskId).files.find(f => f.path === 'notes.txt')!;
        assert.match(notes.diff, /-two\n\+two!\n/);
    });

    it('follows each line back to who wrote it: the task\'s tool, its command, or the workspace as it was', async () => {
        const app = await suite.core.checkpoints.lineOrigins('app.ts');
        assert.deepEqual(app?.map(l => [l.by, l.taskId]), [['the workspace as the studio found it', undefined], ['Claude (agent tool)', taskId]]);
        const notes = await suite.core.checkpoints.lineOrigins('notes.txt');
        assert.deepEqual(notes?.map(l => l.taskId), [undefined, taskId]);
        assert.match(notes![1].by, /^agent claude's command `printf/);
        assert.equal(await suite.core.checkpoints.lineOrigins('old.txt'), undefined, 'a file that is gone has no lines');
        await assert.rejects(suite.core.checkpoints.lineOrigins('../outside.txt'), /"\.\.\/outside\.txt" is not a path inside the workspace: it resolves to .*, outside /);
    });

    it('flags on the task\'s change set a person\'s edit of lines its agent had read, and where', async () => {
        fs.writeFileSync(path.join(suite.ws, 'readme.txt'), 'first\nSECOND\nthird\n');
        const set = await waitForValue('the edit flagged', () => suite.core.changes.list().find(s => s.taskId === taskId && s.editedAfterRead));
        assert.deepEqual(set.editedAfterRead!.map(e => [e.path, e.by, e.lines]), [['readme.txt', 'a terminal or another process', { start: 2, end: 2 }]]);
        assert.deepEqual(suite.core.changes.get(taskId).editedAfterRead, set.editedAfterRead);
    });

    it('puts a command\'s change back on reject, like a tool\'s', async () => {
        const result = await suite.core.changes.review({ taskId, path: 'notes.txt', decision: 'reject' }, ada);
        assert.deepEqual(result.files.map(f => f.outcome), ['applied']);
        assert.equal(read('notes.txt'), 'one\ntwo\n');
    });

    it('restores the workspace to before the task, and the restore\'s checkpoint undoes it', async () => {
        const checkpoints = suite.core.checkpoints;
        const before = checkpoints.list().find(c => c.taskId === taskId)!;
        assert.equal(before.kind, 'task');
        assert.equal(before.available, true);
        assert.match(before.label, /^Before task #\d+ \(claude\): Build it$/);
        const after = workspace();
        const restored = await checkpoints.restore({ checkpointId: before.id }, ada);
        assert.deepEqual(restored.files.map(f => [f.path, f.outcome]), [['app.ts', 'restored'], ['moved.txt', 'deleted'], ['old.txt', 'restored'], ['out.txt', 'deleted'], ['readme.txt', 'restored']]);
        assert.deepEqual(workspace(), { 'app.ts': 'const a = 1;\nconst b = 2;\n', 'notes.txt': 'one\ntwo\n', 'old.txt': 'to be moved\n', 'moved.txt': undefined, 'out.txt': undefined });
        assert.equal(read('readme.txt'), 'first\nsecond\nthird\n');
        assert.deepEqual(suite.core.locks.list(), [], 'the restore\'s locks are released');

        const undo = checkpoints.list().find(c => c.id === restored.undoCheckpointId)!;
        assert.deepEqual([undo.kind, undo.by], ['restore', 'user:ada']);
        await checkpoints.restore({ checkpointId: undo.id }, ada);
        assert.deepEqual(workspace(), after);
        const notes = await waitForValue('the restores in the timeline', () => {
            const found = suite.timelineEvents().filter(e => e.kind === 'note' && String(e.data.text).startsWith('Ada restored the workspace'));
            return found.length === 2 && found;
        });
        assert.equal(notes[0].data.undoCheckpointId, restored.undoCheckpointId);
    });

    it('restores one file only, and says why it cannot restore an unknown checkpoint', async () => {
        const before = suite.core.checkpoints.list().find(c => c.taskId === taskId)!;
        const result = await suite.core.checkpoints.restore({ checkpointId: before.id, path: 'app.ts' }, ada);
        assert.deepEqual(result.files, [{ path: 'app.ts', outcome: 'restored' }]);
        assert.equal(read('app.ts'), 'const a = 1;\nconst b = 2;\n');
        assert.equal(read('out.txt'), 'built\n', 'the other files stay');
        await assert.rejects(suite.core.checkpoints.restore({ checkpointId: 9999 }, ada), /There is no checkpoint #9999\. List them with GET \/coditect\/api\/checkpoints/);
        await assert.rejects(suite.core.checkpoints.restore({ checkpointId: before.id, path: '../outside.txt' }, ada), /is not a path inside the workspace/);
        assert.equal(read('app.ts'), 'const a = 1;\nconst b = 2;\n', 'nothing was written');
    });

    it('stops with nothing unfinished', async () => {
        assert.deepEqual(await suite.core.stop(), []);
    });
});
