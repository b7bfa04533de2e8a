import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LockOwner } from '../locks/lock-types';
import { waitForValue } from '../common/test-support/wait-for-value';
import { ScriptedCore, toolCall } from './test-support/scripted-core';

/*
 * The watcher as the core wires it: a scripted agent's command and tool write, a terminal's change
 * to a file another agent holds. Real processes, a real folder, the real timeline.
 */

const gemini: LockOwner = { id: 'agent:gemini', kind: 'agent', displayName: 'Gemini' };

describe('file changes in the workspace core', function () {
    this.timeout(180_000);
    const suite = ScriptedCore.perSuite('core-file-changes-', () => [
        toolCall('run_command', { command: 'echo from-command > cmd.txt', timeout_ms: 20_000 }),
        toolCall('write_file', { path: 'tool.txt', content: 'from the tool\n' }),
        toolCall('finish', { summary: 'done' }),
    ]);
    const events = () => suite.timelineEvents();
    const fileChangeOf = (p: string) => events().find(e => e.kind === 'file-change' && e.path === p);

    it('records an agent\'s command\'s change in its lane, and its tool write once (as a file-edit)', async () => {
        const task = suite.core.orchestrator.submitTask('claude', { prompt: 'work' });
        const done = await suite.core.orchestrator.waitForTask(task.id);
        assert.equal(done.status, 'done', JSON.stringify(done.result));
        // Changes seen within the settle time after a command exits are the command's (running-commands.ts): wait it out.
        await new Promise(resolve => setTimeout(resolve, 2_500));
        // The terminal's change after the task is the sign that the watcher's passes have reached it.
        execFileSync(process.execPath, ['-e', 'require("fs").writeFileSync("after.txt", "x")'], { cwd: suite.ws });
        await waitForValue('after.txt recorded', () => fileChangeOf('after.txt'));
        const cmd = await waitForValue('cmd.txt recorded', () => fileChangeOf('cmd.txt'));
        assert.equal(cmd.agentId, 'claude');
        assert.equal(cmd.taskId, task.id);
        assert.equal(cmd.data.author, 'agent-command');
        assert.deepEqual(cmd.data.commands, [{ agentId: 'claude', taskId: task.id, command: 'echo from-command > cmd.txt' }]);
        assert.match(cmd.summary, /cmd\.txt by agent claude's command/);
        const all = events();
        assert.equal(all.filter(e => e.kind === 'file-edit' && e.path === 'tool.txt').length, 1);
        assert.deepEqual(all.filter(e => e.kind === 'file-change' && (e.path ?? '').startsWith('tool.txt')).map(e => e.summary), [], 'the tool write is not recorded twice');
        assert.equal(fileChangeOf('after.txt')!.data.author, 'terminal');
    });

    it('marks a lock a terminal changed, tells the agent holding it, and records it in the holder\'s lane', async () => {
        fs.writeFileSync(path.join(suite.ws, 'held.txt'), 'gemini\'s\n');
        // Seen before the lock is taken: the file's creation is no change to a held file.
        await waitForValue('held.txt\'s creation recorded', () => fileChangeOf('held.txt'));
        const lock = await suite.core.locks.acquire({ path: 'held.txt', mode: 'exclusive', owner: gemini });
        execFileSync('/bin/sh', ['-c', 'echo outside >> held.txt'], { cwd: suite.ws });
        const mark = await waitForValue('the lock marked', () => suite.core.locks.get(lock.id)?.changedOutside);
        assert.equal(mark.by, 'a terminal or another process');
        const inbox = suite.core.orchestrator.bus.pending('gemini');
        assert.equal(inbox.length, 1);
        assert.match(inbox[0].text, /held\.txt, which you hold a lock on, was changed outside your lock by a terminal or another process .*Read it again/);
        const recorded = await waitForValue('the mark in the timeline', () => events().find(e => e.kind === 'lock' && e.data.change === 'changed-outside'));
        assert.equal(recorded.agentId, 'gemini');
        assert.match(recorded.summary, /held\.txt, locked by Gemini, was changed by a terminal or another process/);
        assert.deepEqual(events().filter(e => e.kind === 'file-change' && e.path === 'held.txt').map(e => [e.data.author, e.data.change]),
            [['terminal', 'created'], ['terminal', 'updated']]);
    });

    it('stops with the watcher, its marks and notices, the agents and the rest, leaving nothing unfinished', async () => {
        assert.deepEqual(await suite.core.stop(), []);
    });
});
