import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForValue } from '../common/test-support/wait-for-value';
import type { OrchestratorEvent } from '../orchestrator/orchestrator-types';
import { call, finish, OrchestratorHarness as Harness } from './test-support/orchestrator-harness';

type ToolCallEvent = Extract<OrchestratorEvent, { type: 'tool-call' }>;

describe('Orchestrator: role agents', function () {
    this.timeout(60_000);
    let h: Harness;
    beforeEach(() => {
        h = new Harness();
    });
    afterEach(async () => {
        await h.dispose();
    });

    const toolResults = (agentId: string, tool: string) => h.events.flatMap(e => e.type === 'tool-call' && e.phase === 'finished' && e.agentId === agentId && e.call.name === tool
        ? [(e as ToolCallEvent).result!] : []);

    it('starts a role agent\'s process for its task and stops it once idle, a clean stop that is no restart; the next task forks a new one', async () => {
        await h.start({ orchestrator: { onDemandIdleMs: 300 } });
        assert.equal(h.orchestrator.getAgent('code-reviewer')!.pid, undefined, 'no process before its first task');
        const first = h.submit('code-reviewer', 'review a', () => [{ delayMs: 300, ...finish('APPROVED') }]);
        const pid = await waitForValue('the reviewer\'s process', () => h.orchestrator.getAgent('code-reviewer')!.pid, 10_000);
        assert.equal((await h.done(first)).status, 'done');
        await waitForValue('the idle reviewer\'s process to stop', () => h.orchestrator.getAgent('code-reviewer')!.pid === undefined, 10_000);
        await waitForValue(`process ${pid} to exit`, () => {
            try {
                process.kill(pid, 0);
                return false;
            } catch (error) {
                return (error as NodeJS.ErrnoException).code === 'ESRCH';
            }
        }, 10_000);
        const second = h.submit('code-reviewer', 'review b', () => [finish('APPROVED again')]);
        assert.equal((await h.done(second)).status, 'done');
        const reviewer = h.orchestrator.getAgent('code-reviewer')!;
        assert.equal(reviewer.restarts, 0, 'stopping an idle process is not a crash');
        assert.equal(reviewer.state, 'idle');
        assert.equal(h.events.filter(e => e.type === 'restart').length, 0);
        assert.ok(h.orchestrator.getAgent('claude')!.pid, 'a vendor agent keeps its process');
    });

    it('refuses a tool outside a role agent\'s allow-list, saying which it has', async () => {
        await h.start();
        const task = h.submit('code-reviewer', 'edit while reviewing', () => [call('write_file', { path: 'a.ts', content: 'x' }), finish('tried')]);
        assert.equal((await h.done(task)).status, 'done');
        const [refused] = toolResults('code-reviewer', 'write_file');
        assert.equal(refused.isError, true);
        assert.match(refused.content, /The tool write_file is not allowed for CodeReviewer; allowed: list_files, read_file, search, run_command/);
        assert.equal(fs.existsSync(path.join(h.ws, 'a.ts')), false);
    });

    it('lets the prior-session agent read what an earlier run did from the timeline, filtered and paged, and says what is wrong with a bad request', async () => {
        await h.start();
        const edit = h.submit('claude', 'add the greeting', () => [call('write_file', { path: 'src/hello.ts', content: 'export const hello = 1;\n' }), finish('added hello')]);
        assert.equal((await h.done(edit)).status, 'done');
        await h.core.stop();

        await h.start();
        const ask = h.submit('prior-session-agent', 'what happened last time', () => [
            call('read_timeline', {}),
            call('read_timeline', { session: 'list' }),
            call('read_timeline', { path: 'src/hello.ts', kinds: ['file-edit'] }),
            call('read_timeline', { agent: 'claude', kinds: ['task'], limit: 1 }),
            call('read_timeline', { kinds: ['bogus'] }),
            call('read_timeline', { limit: -1 }),
            finish('Claude added src/hello.ts'),
        ]);
        assert.equal((await h.done(ask)).status, 'done');
        const [story, list, edits, paged, badKind, badLimit] = toolResults('prior-session-agent', 'read_timeline');
        assert.equal(story.isError, false, story.content);
        assert.match(story.content, /^Session \S+ "Studio run · ws" \(run, from .* to .*\)/);
        assert.match(story.content, /\[claude\] task \(task \d+\): .*add the greeting/);
        assert.match(story.content, /\[claude\] file-edit \(task \d+\): .*src\/hello\.ts/);
        assert.doesNotMatch(story.content, /model-turn|usage/, 'the story leaves out every turn and usage line');
        assert.match(list.content, /^Sessions, newest first:\n.*recording now/);
        assert.equal(list.content.split('\n').length, 3, 'this run and the one before');
        assert.match(edits.content, /Events 1-1 of 1 matching:\n#\d+ .*file-edit.*src\/hello\.ts/);
        assert.match(paged.content, /Events 1-1 of \d+ matching:/);
        assert.match(paged.content, /more: read again with from=1\./);
        assert.equal(badKind.isError, true);
        assert.match(badKind.content, /Unknown event kind "bogus"; use "all" or some of chat-message, task/);
        assert.equal(badLimit.isError, true);
        assert.match(badLimit.content, /"limit" must be a whole number of 0 or more/);
    });

    it('says there is no earlier session on a workspace\'s first run', async () => {
        await h.start();
        const ask = h.submit('prior-session-agent', 'anything before?', () => [call('read_timeline', {}), finish('nothing')]);
        assert.equal((await h.done(ask)).status, 'done');
        const [result] = toolResults('prior-session-agent', 'read_timeline');
        assert.equal(result.isError, true);
        assert.match(result.content, /There is no earlier session: this is the workspace's first run\. Ask for "current"/);
    });
});
