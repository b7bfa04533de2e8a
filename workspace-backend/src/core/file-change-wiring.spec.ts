import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LockOwner } from '../locks/lock-types';
import { scriptedProviderFactory, ScriptedTurnSpec } from '../orchestrator/test-support/scripted-provider-factory';
import type { TimelineEvent } from '../timeline/timeline-types';
import { WorkspaceCore } from './workspace-core';
import { waitForValue } from '../common/test-support/wait-for-value';

/*
 * The watcher as the core wires it: a scripted agent's command and tool write, a terminal's change
 * to a file another agent holds. Real processes, a real folder, the real timeline.
 */

const call = (name: string, args: Record<string, unknown>): ScriptedTurnSpec => ({ toolCalls: [{ name, arguments: args }], usage: { inputTokens: 10, outputTokens: 5 } });
const gemini: LockOwner = { id: 'agent:gemini', kind: 'agent', displayName: 'Gemini' };

describe('file changes in the workspace core', function () {
    this.timeout(180_000);
    let root: string;
    let ws: string;
    let core: WorkspaceCore;
    const saved = process.env.STUDIO_REPLICA_URL;

    const events = (): TimelineEvent[] => {
        core.timeline.flush();
        const session = core.timeline.currentSessionId!;
        return core.timeline.page(session, {}, 0, 5000).events.map(e => core.timeline.event(e.seq));
    };
    const fileChangeOf = (p: string) => events().find(e => e.kind === 'file-change' && e.path === p);

    before(async () => {
        process.env.STUDIO_REPLICA_URL = 'off';
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'core-file-changes-'));
        ws = path.join(root, 'ws');
        fs.mkdirSync(ws);
        core = new WorkspaceCore({ workspaceDir: ws, dataDir: path.join(root, 'data') }, {
            orchestrator: {
                providerFactory: scriptedProviderFactory(() => [
                    call('run_command', { command: 'echo from-command > cmd.txt', timeout_ms: 20_000 }),
                    call('write_file', { path: 'tool.txt', content: 'from the tool\n' }),
                    call('finish', { summary: 'done' }),
                ]),
                restartBackoff: { initialMs: 50, maxMs: 200 },
            },
        });
        await core.start();
    });

    after(async () => {
        await core?.stop();
        if (saved === undefined) {
            delete process.env.STUDIO_REPLICA_URL;
        } else {
            process.env.STUDIO_REPLICA_URL = saved;
        }
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('records an agent\'s command\'s change in its lane, and its tool write once (as a file-edit)', async () => {
        const task = core.orchestrator.submitTask('claude', { prompt: 'work' });
        const done = await core.orchestrator.waitForTask(task.id);
        assert.equal(done.status, 'done', JSON.stringify(done.result));
        // Changes seen within the settle time after a command exits are the command's (running-commands.ts): wait it out.
        await new Promise(resolve => setTimeout(resolve, 2_500));
        // The terminal's change after the task is the sign that the watcher's passes have reached it.
        execFileSync(process.execPath, ['-e', 'require("fs").writeFileSync("after.txt", "x")'], { cwd: ws });
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
        fs.writeFileSync(path.join(ws, 'held.txt'), 'gemini\'s\n');
        // Seen before the lock is taken: the file's creation is no change to a held file.
        await waitForValue('held.txt\'s creation recorded', () => fileChangeOf('held.txt'));
        const lock = await core.locks.acquire({ path: 'held.txt', mode: 'exclusive', owner: gemini });
        execFileSync('/bin/sh', ['-c', 'echo outside >> held.txt'], { cwd: ws });
        const mark = await waitForValue('the lock marked', () => core.locks.get(lock.id)?.changedOutside);
        assert.equal(mark.by, 'a terminal or another process');
        const inbox = core.orchestrator.bus.peekInbox('gemini');
        assert.equal(inbox.length, 1);
        assert.match(inbox[0].text, /held\.txt, which you hold a lock on, was changed outside your lock by a terminal or another process .*Read it again/);
        const recorded = await waitForValue('the mark in the timeline', () => events().find(e => e.kind === 'lock' && e.data.change === 'changed-outside'));
        assert.equal(recorded.agentId, 'gemini');
        assert.match(recorded.summary, /held\.txt, locked by Gemini, was changed by a terminal or another process/);
        assert.deepEqual(events().filter(e => e.kind === 'file-change' && e.path === 'held.txt').map(e => [e.data.author, e.data.change]),
            [['terminal', 'created'], ['terminal', 'updated']]);
    });

    it('stops with the watcher, its marks and notices, the agents and the rest, leaving nothing unfinished', async () => {
        assert.deepEqual(await core.stop(), []);
    });
});
