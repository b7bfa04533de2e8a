import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForValue } from '../common/test-support/wait-for-value';
import type { ScriptedTurnSpec } from '../orchestrator/test-support/scripted-provider-factory';
import { scriptedProviderFactory } from '../orchestrator/test-support/scripted-provider-factory';
import { ScriptedCore, toolCall } from './test-support/scripted-core';
import { WorkspaceCore } from './workspace-core';

/*
 * Review before it lands, as the core wires it: Claude's definition says `"apply": "after-review"`,
 * Gemini's does not. Real agent processes run scripted turns over a real workspace folder and the
 * real databases; the core is stopped and started again over the same folders midway.
 */

const ada = { id: 'user:ada', displayName: 'Ada' };
const agentFile = (ws: string, id: string, fields: Record<string, unknown>) =>
    fs.writeFileSync(path.join(ws, '.coditect', 'agents', `${id}.json`), JSON.stringify({ name: id[0].toUpperCase() + id.slice(1), vendor: 'anthropic', model: 'claude-sonnet-4-5', ...fields }));

describe('an agent whose edits wait for review, in the workspace core', function () {
    this.timeout(180_000);
    let turns: ScriptedTurnSpec[] = [];
    const suite = ScriptedCore.perSuite('core-after-review-', () => turns, ws => {
        fs.writeFileSync(path.join(ws, 'app.ts'), 'const a = 1;\nconst b = 2;\n');
        fs.mkdirSync(path.join(ws, '.coditect', 'agents'), { recursive: true });
        agentFile(ws, 'claude', { apply: 'after-review' });
        agentFile(ws, 'gemini', {});
    });
    let restarted: WorkspaceCore | undefined;
    after(async () => {
        await restarted?.stop();
    });
    const core = () => restarted ?? suite.core;
    const onDisk = (file: string) => (fs.existsSync(path.join(suite.ws, file)) ? fs.readFileSync(path.join(suite.ws, file), 'utf8') : undefined);
    const run = async (agentId: string, title: string, script: ScriptedTurnSpec[]): Promise<number> => {
        turns = [...script, toolCall('finish', { summary: 'done' })];
        const task = core().orchestrator.submitTask(agentId, { prompt: title, title });
        const done = await core().orchestrator.waitForTask(task.id);
        assert.equal(done.status, 'done', JSON.stringify(done.result));
        return task.id;
    };
    let claudeTask = 0;

    it('keeps the agent\'s edits out of the workspace, in a change set waiting for review; the agent edits what it wrote', async () => {
        claudeTask = await run('claude', 'Refactor app', [
            toolCall('edit_file', { path: 'app.ts', old_text: 'const b = 2;', new_text: 'const b = 3;' }),
            toolCall('write_file', { path: 'src/util.ts', content: 'export const util = 1;\n' }),
            // Succeeds only if the writer reads the file from the agent's overlay: it is not in the workspace.
            toolCall('edit_file', { path: 'src/util.ts', old_text: 'util = 1', new_text: 'util = 2' }),
        ]);
        assert.deepEqual([onDisk('app.ts'), onDisk('src/util.ts')], ['const a = 1;\nconst b = 2;\n', undefined]);
        const set = core().changes.get(claudeTask);
        assert.deepEqual([set.apply, set.review], ['waiting', 'pending']);
        assert.deepEqual(set.files.map(f => [f.path, f.status]), [['app.ts', 'modified'], ['src/util.ts', 'added']]);
        assert.equal(core().changes.content(claudeTask, 'src/util.ts', 'after'), 'export const util = 2;\n');
        assert.deepEqual(core().locks.list(), [], 'the locks it wrote under are released');
        assert.deepEqual(suite.timelineEvents().filter(e => e.kind === 'file-edit').map(e => e.path), [], 'no workspace file changed, so the timeline has no edit');
    });

    it('lets the other agents work on the workspace as it is: theirs land at once', async () => {
        const geminiTask = await run('gemini', 'Bump a', [toolCall('edit_file', { path: 'app.ts', old_text: 'const b = 2;\n', new_text: 'const b = 2;\nconst c = 0;\n' })]);
        assert.equal(onDisk('app.ts'), 'const a = 1;\nconst b = 2;\nconst c = 0;\n', 'Gemini saw b = 2, not Claude\'s b = 3');
        assert.equal(core().changes.get(geminiTask).apply, undefined);
    });

    it('refuses to land a set whose file changed since, writing nothing and naming the file', async () => {
        const result = await core().changes.review({ taskId: claudeTask, decision: 'accept' }, ada);
        assert.deepEqual(result.files.map(f => [f.path, f.outcome]), [['app.ts', 'conflict']]);
        assert.equal(onDisk('src/util.ts'), undefined);
        assert.equal(core().changes.get(claudeTask).apply, 'waiting');
    });

    it('still has the waiting set and its overlay after a restart, and lands it whole once accepted', async () => {
        await suite.core.stop();
        restarted = new WorkspaceCore({ workspaceDir: suite.ws, dataDir: path.join(suite.root, 'data') }, {
            orchestrator: { providerFactory: scriptedProviderFactory(() => turns), restartBackoff: { initialMs: 50, maxMs: 200 } },
        });
        await restarted.start();
        assert.equal(core().changes.get(claudeTask).apply, 'waiting');
        assert.deepEqual(core().changes.overlays.entries(claudeTask).map(e => e.path), ['app.ts', 'src/util.ts']);

        fs.writeFileSync(path.join(suite.ws, 'app.ts'), 'const a = 1;\nconst b = 2;\n');
        // The landing takes the locks of all its files before it writes any: one held elsewhere holds it all back.
        const gemini = { id: 'agent:gemini', kind: 'agent' as const, displayName: 'Gemini' };
        const held = await core().locks.acquire({ path: 'src/util.ts', mode: 'exclusive', owner: gemini });
        let settled = false;
        const accepting = core().changes.review({ taskId: claudeTask, decision: 'accept' }, ada).finally(() => {
            settled = true;
        });
        await new Promise(resolve => setTimeout(resolve, 300));
        assert.equal(settled, false, 'the landing waits for Gemini\'s lock');
        assert.equal(onDisk('app.ts'), 'const a = 1;\nconst b = 2;\n', 'nothing is written while it waits');
        core().locks.release(held.id, gemini);
        const result = await accepting;
        assert.equal(result.review, 'accepted');
        assert.deepEqual([onDisk('app.ts'), onDisk('src/util.ts')], ['const a = 1;\nconst b = 3;\n', 'export const util = 2;\n']);
        assert.deepEqual([core().changes.get(claudeTask).apply, core().changes.overlays.entries(claudeTask)], ['applied', []]);
        assert.deepEqual(core().locks.list(), [], 'the reviewer\'s locks are released');
        const timeline = core().timeline;
        timeline.flush();
        const edits = timeline.page(timeline.currentSessionId!, {}, 0, 5000).events.map(e => timeline.event(e.seq)).filter(e => e.kind === 'file-edit');
        assert.deepEqual(edits.map(e => [e.path, e.data.by]), [['app.ts', 'Ada'], ['src/util.ts', 'Ada']], 'the landing is the reviewer\'s edit of each file');
        const origins = await core().checkpoints.lineOrigins('src/util.ts');
        assert.deepEqual(origins?.map(o => [o.by, o.taskId]), [['Ada (review)', claudeTask]], 'the landed line leads to the task that wrote it');
    });

    it('discards a rejected set without touching the workspace', async () => {
        const task = await run('claude', 'Notes', [toolCall('write_file', { path: 'notes.md', content: '# Notes\n' })]);
        assert.equal(core().changes.get(task).apply, 'waiting');
        await core().changes.review({ taskId: task, decision: 'reject' }, ada);
        assert.equal(onDisk('notes.md'), undefined);
        assert.deepEqual([core().changes.get(task).apply, core().changes.overlays.entries(task)], ['discarded', []]);
    });

    it('runs its commands on the workspace without its edits; what they change is in the same set, already in the workspace', async () => {
        const task = await run('claude', 'Build', [
            toolCall('edit_file', { path: 'app.ts', old_text: 'const a = 1;', new_text: 'const a = 5;' }),
            toolCall('run_command', { command: 'cat app.ts > seen.txt' }),
        ]);
        assert.equal(onDisk('seen.txt'), 'const a = 1;\nconst b = 3;\n', 'the command saw the workspace, not the agent\'s a = 5');
        const set = await waitForValue('the command\'s change in the task\'s change set', () => {
            const detail = core().changes.get(task);
            return detail.files.some(f => f.path === 'seen.txt') ? detail : undefined;
        });
        assert.deepEqual([set.apply, set.files.map(f => [f.path, f.origin])], ['waiting', [['app.ts', 'tool'], ['seen.txt', 'command']]]);
        const result = await core().changes.review({ taskId: task, decision: 'accept' }, ada);
        assert.equal(result.review, 'accepted');
        assert.deepEqual([onDisk('app.ts'), onDisk('seen.txt')], ['const a = 5;\nconst b = 3;\n', 'const a = 1;\nconst b = 3;\n']);
    });

    it('stops with nothing unfinished', async () => {
        assert.deepEqual(await core().stop(), []);
    });
});
