import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForValue } from '../common/test-support/wait-for-value';
import type { LockOwner } from '../locks/lock-types';
import { ScriptedCore, toolCall } from './test-support/scripted-core';

/*
 * Change sets as the core wires them: a scripted agent's tool writes recorded in its task's change
 * set with the git commit its command made, and a person's review writing under the file's lock,
 * seen by the timeline as the person's edit. Real agent processes, a real folder (a git
 * repository), the real databases.
 */

const gemini: LockOwner = { id: 'agent:gemini', kind: 'agent', displayName: 'Gemini' };
const ada = { id: 'user:ada', displayName: 'Ada' };

describe('change sets in the workspace core', function () {
    this.timeout(180_000);
    const suite = ScriptedCore.perSuite('core-changes-', () => [
        toolCall('edit_file', { path: 'app.ts', old_text: 'const b = 2;', new_text: 'const b = 3;' }),
        toolCall('write_file', { path: 'src/util.ts', content: 'export const util = true;\n' }),
        toolCall('run_command', { command: 'git add app.ts src && git commit -q -m "Refactor app"', timeout_ms: 20_000 }),
        toolCall('finish', { summary: 'done' }),
    ], ws => {
        fs.writeFileSync(path.join(ws, 'app.ts'), 'const a = 1;\nconst b = 2;\n');
        const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', ...args], { cwd: ws });
        git('init', '-q');
        git('add', 'app.ts');
        git('commit', '-q', '-m', 'Initial commit');
    });
    const events = () => suite.timelineEvents();

    it('records every file a task\'s tools changed in its change set, with the task\'s title and state, and the commit its command made', async () => {
        const task = suite.core.orchestrator.submitTask('claude', { prompt: 'refactor', title: 'Refactor app' });
        const done = await suite.core.orchestrator.waitForTask(task.id);
        assert.equal(done.status, 'done', JSON.stringify(done.result));
        const [set] = suite.core.changes.list();
        assert.deepEqual([set.taskId, set.agentId, set.title, set.taskStatus, set.review], [task.id, 'claude', 'Refactor app', 'done', 'pending']);
        assert.deepEqual(set.files.map(f => [f.path, f.status, f.origin, f.added, f.removed]), [['app.ts', 'modified', 'tool', 1, 1], ['src/util.ts', 'added', 'tool', 1, 0]]);
        const head = execFileSync('git', ['log', '-1', '--format=%H %an %s'], { cwd: suite.ws, encoding: 'utf8' }).trim();
        assert.deepEqual(set.commits?.map(c => `${c.sha} ${c.authorName} ${c.subject}`), [head]);
        assert.match(head, / Claude Refactor app$/, 'the agent made the commit');
    });

    it('writes a review under the file\'s lock, waiting for its holder, and the timeline records it as the reviewer\'s edit', async () => {
        const [set] = suite.core.changes.list();
        const lock = await suite.core.locks.acquire({ path: 'app.ts', mode: 'exclusive', owner: gemini });
        let settled = false;
        const review = suite.core.changes.review({ taskId: set.taskId, path: 'app.ts', decision: 'reject' }, ada).finally(() => {
            settled = true;
        });
        await new Promise(resolve => setTimeout(resolve, 300));
        assert.equal(settled, false, 'the review waits for Gemini\'s lock');
        assert.equal(fs.readFileSync(path.join(suite.ws, 'app.ts'), 'utf8'), 'const a = 1;\nconst b = 3;\n');
        suite.core.locks.release(lock.id, gemini);
        const result = await review;
        assert.deepEqual(result.files.map(f => f.outcome), ['applied']);
        assert.equal(fs.readFileSync(path.join(suite.ws, 'app.ts'), 'utf8'), 'const a = 1;\nconst b = 2;\n');
        assert.deepEqual(suite.core.locks.list(), [], 'the reviewer\'s lock is released');

        const edit = await waitForValue('the review\'s edit in the timeline', () => events().find(e => e.kind === 'file-edit' && e.path === 'app.ts' && e.data.by === 'Ada'));
        assert.equal(edit.data.change, 'modify');
        // The watcher saw the reviewer's claim: the write is not also a terminal's change.
        await new Promise(resolve => setTimeout(resolve, 1_500));
        assert.deepEqual(events().filter(e => e.kind === 'file-change' && e.path === 'app.ts').map(e => e.data.author), []);
        assert.equal(suite.core.changes.list()[0].review, 'pending', 'src/util.ts is still to review');
    });

    it('sends a comment back to the agent as a follow-up task that runs, linked to the change set', async () => {
        const [set] = suite.core.changes.list();
        const comment = suite.core.changes.comment({ taskId: set.taskId, path: 'src/util.ts', hunk: 0, text: 'Export a function, not a flag.' }, ada);
        const followUp = suite.core.orchestrator.getTask(comment.followUpTaskId!)!;
        assert.deepEqual([followUp.agentId, followUp.submittedBy, followUp.title], ['claude', 'user:ada', `Follow-up on #${set.taskId}: Export a function, not a flag.`]);
        assert.match(followUp.prompt, /commented on src\/util\.ts, line 1 \(hunk 0\):\n\nExport a function, not a flag\.\n\nThe hunk as your task left it:\n```diff\n\+export const util = true;\n```/);
        const done = await suite.core.orchestrator.waitForTask(followUp.id);
        assert.equal(done.status, 'done', JSON.stringify(done.result));
        assert.deepEqual(suite.core.changes.get(set.taskId).commentList.map(c => c.followUpTaskId), [followUp.id]);
    });

    it('stops with nothing unfinished', async () => {
        assert.deepEqual(await suite.core.stop(), []);
    });
});
