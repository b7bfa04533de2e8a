import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForValue } from '../common/test-support/wait-for-value';
import { MessageTaskPrompt } from '../orchestrator/agent-collaboration';
import type { OrchestratorEvent } from '../orchestrator/orchestrator-types';
import { personPrincipal } from '../policy';
import { briefStates, call, finish, OrchestratorHarness as Harness } from './test-support/orchestrator-harness';

const admin = personPrincipal({ id: 'user:ada', displayName: 'Ada', role: 'admin' });

describe('Orchestrator', function () {
    this.timeout(30_000);
    let h: Harness;
    beforeEach(() => {
        h = new Harness();
    });
    afterEach(async () => {
        await h.dispose();
    });

    it('creates the four vendor agents, each idle in its own process, and the role agents, idle with none yet, and reports in health', async () => {
        await h.start();
        const agents = h.orchestrator.listAgents();
        assert.deepEqual(agents.map(a => [a.id, a.name, a.vendor, a.state, a.process]), [
            ['claude', 'Claude', 'anthropic', 'idle', 'always'], ['code-reviewer', 'CodeReviewer', 'anthropic', 'idle', 'on-demand'],
            ['codex', 'Codex', 'openai', 'idle', 'always'], ['doc-generator', 'DocGenerator', 'google', 'idle', 'on-demand'],
            ['file-organizer', 'FileOrganizer', 'moonshot', 'idle', 'on-demand'], ['gemini', 'Gemini', 'google', 'idle', 'always'],
            ['kimi', 'Kimi', 'moonshot', 'idle', 'always'], ['prior-session-agent', 'PriorSession', 'anthropic', 'idle', 'on-demand'],
            ['test-writer', 'TestWriter', 'google', 'idle', 'on-demand'],
        ]);
        const vendorAgents = agents.filter(a => a.process === 'always');
        assert.equal(new Set(vendorAgents.map(a => a.pid)).size, 4, 'one process each');
        assert.ok(vendorAgents.every(a => a.pid !== undefined));
        assert.ok(agents.filter(a => a.process === 'on-demand').every(a => a.pid === undefined && a.description), 'role agents start their process for a task');
        assert.ok(fs.existsSync(path.join(h.ws, '.coditect/agents/claude.json')));
        assert.ok(fs.existsSync(path.join(h.ws, '.coditect/agents/code-reviewer.json')));
        const health = (await h.core.refreshHealth()).components.find(c => c.id === 'orchestrator')!;
        assert.equal(health.status, 'ok');
        assert.match(health.detail, /9 agents, 0 running, 0 need a key, 0 in error/);
    });

    it('shows agents without an API key as needing one, keeps their tasks queued, and starts them the moment an admin sets the key', async () => {
        await h.start({ real: true });
        const claude = h.orchestrator.getAgent('claude')!;
        assert.equal(claude.state, 'needs-key');
        assert.equal(claude.keyVariable, 'ANTHROPIC_API_KEY');
        assert.match(claude.lastError!, /ANTHROPIC_API_KEY is not set\. An admin adds it with "Set Provider Key…"/);
        const health = h.orchestrator.health();
        assert.equal(health.status, 'ok', 'a missing key is setup, not a fault');
        assert.match(health.detail, /9 need a key, 0 in error.*Claude needs a key \(ANTHROPIC_API_KEY\)/);

        // Gemini's key arrives with nothing queued: it is idle at once (and has its process).
        h.core.providerKeys.set(admin, 'GEMINI_API_KEY', 'AIzaStudioKey0123456789');
        assert.equal(h.orchestrator.getAgent('gemini')!.state, 'idle');
        await waitForValue('gemini\'s process forked', () => h.orchestrator.getAgent('gemini')!.pid !== undefined);

        // Claude has a task waiting: it starts the moment the key is set, without a restart.
        const task = h.orchestrator.submitTask('claude', { prompt: 'hello' });
        assert.equal(h.orchestrator.getTask(task.id)!.status, 'queued');
        h.core.providerKeys.set(admin, 'ANTHROPIC_API_KEY', 'sk-ant-studio-0123456789');
        assert.notEqual(h.orchestrator.getTask(task.id)!.status, 'queued');
        assert.ok(h.states('claude').includes('loading'));
        h.orchestrator.cancelTask(task.id);
        await h.orchestrator.waitForTask(task.id);

        // Removing the key the agent used takes it back to needing one.
        h.core.providerKeys.remove(admin, 'GEMINI_API_KEY');
        assert.equal(h.orchestrator.getAgent('gemini')!.state, 'needs-key');
        assert.equal(h.orchestrator.getAgent('kimi')!.state, 'needs-key', 'an agent with another key is untouched');
    });

    it('refuses an agent\'s write to the workspace settings, which hold each agent\'s endpoint', async () => {
        await h.start();
        const task = h.submit('claude', 'redirect gemini', () => [
            call('write_file', { path: '.theia/settings.json', content: '{"coditect.agents":{"gemini":{"baseUrl":"http://evil.invalid"}}}' }),
            finish('tried'),
        ]);
        assert.equal((await h.done(task)).status, 'done');
        const result = (h.events.find(e => e.type === 'tool-call' && e.phase === 'finished') as Extract<OrchestratorEvent, { type: 'tool-call' }>).result!;
        assert.equal(result.isError, true);
        assert.match(result.content, /\.theia\/settings\.json holds the workspace's settings .* agents may read it but not write it/);
        assert.ok(!fs.existsSync(path.join(h.ws, '.theia/settings.json')));
    });

    it('masks a provider key in a tool result before the model, the events or the UI see it', async () => {
        const planted = `planted-key-${Math.random().toString(36).slice(2)}`;
        const saved = process.env.OPENAI_API_KEY;
        process.env.OPENAI_API_KEY = planted;
        try {
            fs.writeFileSync(path.join(h.ws, 'notes.txt'), `the key is ${planted}\nAuthorization: Bearer abcdefghijklmnop\n`);
            await h.start();
            const task = h.submit('claude', 'read the notes', () => [call('read_file', { path: 'notes.txt' }), finish('read')]);
            assert.equal((await h.done(task)).status, 'done');
            const result = (h.events.find(e => e.type === 'tool-call' && e.phase === 'finished') as Extract<OrchestratorEvent, { type: 'tool-call' }>).result!.content;
            assert.ok(!result.includes(planted), result);
            assert.ok(!result.includes('abcdefghijklmnop'), result);
            assert.match(result, /the key is \*\*\*/);
        } finally {
            if (saved === undefined) {
                delete process.env.OPENAI_API_KEY;
            } else {
                process.env.OPENAI_API_KEY = saved;
            }
        }
    });

    it('runs a task: tools in the backend, edits through the lock manager, usage per task, transitions logged', async () => {
        fs.mkdirSync(path.join(h.ws, 'src'));
        fs.writeFileSync(path.join(h.ws, 'src/a.ts'), 'export const a = 1;\n');
        await h.start();
        const task = h.submit('claude', 'rename a to b', () => [
            { text: 'Let me look.', ...call('list_files', { path: 'src' }) },
            call('read_file', { path: 'src/a.ts' }),
            call('search', { pattern: 'const a' }),
            call('edit_file', { path: 'src/a.ts', old_text: 'const a', new_text: 'const b' }),
            call('write_file', { path: 'src/new.ts', content: 'new\n' }),
            call('read_file', { path: '../outside.txt' }),
            finish('renamed a to b'),
        ]);
        const done = await h.done(task);
        assert.equal(done.status, 'done', JSON.stringify(done));
        assert.equal(done.result?.summary, 'renamed a to b');
        assert.equal(fs.readFileSync(path.join(h.ws, 'src/a.ts'), 'utf8'), 'export const b = 1;\n');
        assert.equal(fs.readFileSync(path.join(h.ws, 'src/new.ts'), 'utf8'), 'new\n');
        const results = h.events.filter(e => e.type === 'tool-call' && e.phase === 'finished') as Extract<OrchestratorEvent, { type: 'tool-call' }>[];
        assert.deepEqual(results.map(r => [r.call.name, r.result!.isError]), [
            ['list_files', false], ['read_file', false], ['search', false], ['edit_file', false], ['write_file', false], ['read_file', true],
        ]);
        assert.equal(results[0].result!.content, 'src/a.ts');
        assert.match(results[2].result!.content, /src\/a\.ts:1:export const a = 1;/);
        assert.match(results[5].result!.content, /not a path inside the workspace/);
        assert.deepEqual(h.states('claude'), ['loading', 'executing', 'idle']);
        const logged = h.orchestrator.transitions('claude').map(t => `${t.from}->${t.to}`);
        assert.deepEqual(logged, ['stopped->idle', 'idle->loading', 'loading->executing', 'executing->idle']);
        assert.deepEqual(h.core.databases.get('metrics').all('SELECT agent_id, task_id, model, input_tokens, output_tokens FROM token_usage WHERE task_id = ? LIMIT 1', task.id),
            [{ agent_id: 'claude', task_id: task.id, model: 'claude-sonnet-4-5', input_tokens: 10, output_tokens: 5 }]);
        assert.equal(h.orchestrator.getAgent('claude')!.tokensUsed, 7 * 15);
        assert.equal(h.core.locks.list().length, 0, 'locks taken for edits are released');
        const metrics = h.orchestrator.metrics('claude');
        assert.equal(metrics.tasksDone, 1);
        assert.ok(h.events.some(e => e.type === 'model-turn' && e.text === 'Let me look.'));
    });

    it('runs tasks by priority, FIFO within a priority; re-prioritises and cancels while queued', async () => {
        await h.start();
        h.orchestrator.pauseAgent('claude');
        const order: string[] = [];
        const t = (name: string, priority: number) => h.submit('claude', name, () => [finish(name)], priority);
        const low1 = t('low-1', 0);
        const high1 = t('high-1', 5);
        const low2 = t('low-2', 0);
        const high2 = t('high-2', 5);
        const mid = t('mid', 1);
        const dropped = t('dropped', 9);
        assert.deepEqual(h.orchestrator.listTasks('claude').map(x => x.prompt), ['dropped', 'high-1', 'high-2', 'mid', 'low-1', 'low-2']);
        assert.equal(h.orchestrator.cancelTask(dropped.id).status, 'cancelled');
        h.orchestrator.reprioritise(low2.id, 3);
        h.orchestrator.onEvent(e => e.type === 'task' && e.change === 'started' && order.push(e.task.prompt));
        h.orchestrator.resumeAgent('claude');
        await Promise.all([low1, high1, low2, high2, mid].map(x => h.done(x)));
        assert.deepEqual(order, ['high-1', 'high-2', 'low-2', 'mid', 'low-1']);
        assert.throws(() => h.orchestrator.reprioritise(low1.id, 1), /only a queued task/);
    });

    it('keeps queued tasks across a restart, and re-queues a running one without spending its attempt', async () => {
        await h.start();
        h.orchestrator.pauseAgent('gemini');
        const queued = h.submit('gemini', 'later', () => [finish('ran after restart')]);
        let runs = 0;
        const running = h.submit('claude', 'slow', () => ++runs === 1 ? [{ delayMs: 20_000, ...finish('never') }] : [finish('second run')]);
        await waitForValue('claude executing', () => h.orchestrator.getAgent('claude')!.state === 'executing', ...briefStates);
        await h.core.stop();

        await h.start();
        assert.equal(h.orchestrator.getAgent('gemini')!.state !== 'paused', true, 'a restart starts agents idle');
        const again = await h.done(running);
        assert.equal(again.status, 'done');
        assert.equal(again.result?.summary, 'second run');
        assert.equal(again.attempts, 1, 'the interrupted attempt was refunded');
        assert.equal((await h.done(queued)).result?.summary, 'ran after restart');
        const log = h.orchestrator.transitions('claude').map(t => `${t.from}->${t.to}`);
        assert.ok(log.includes('executing->stopped') && log.includes('stopped->idle'), log.join(' '));
    });

    it('pauses after the current step: the turn\'s tool calls finish, then the task is checkpointed; a task that ends in the step ends, then the agent pauses', async () => {
        await h.start();
        const first = h.submit('claude', 'two steps', attempt => attempt === 1 && !h.events.some(e => e.type === 'agent-state' && e.to === 'paused')
            ? [{ delayMs: 300, toolCalls: [{ name: 'list_files', arguments: { path: '' } }, { name: 'list_files', arguments: { path: '' } }] }, finish('not reached')]
            : [finish('resumed and done')]);
        await waitForValue('claude executing', () => h.orchestrator.getAgent('claude')!.state === 'executing', ...briefStates);
        h.orchestrator.pauseAgent('claude', 'paused (budget): test', { afterStep: true });
        await waitForValue('claude paused', () => h.orchestrator.getAgent('claude')!.state === 'paused', ...briefStates);
        const calls = h.events.filter(e => e.type === 'tool-call' && e.phase === 'finished' && e.taskId === first.id);
        assert.equal(calls.length, 2, 'both tool calls of the step ran');
        assert.equal(h.events.filter(e => e.type === 'usage' && e.taskId === first.id).length, 1, 'no second model call');
        assert.deepEqual([h.orchestrator.getTask(first.id)!.status, h.orchestrator.getTask(first.id)!.attempts], ['queued', 0]);
        assert.equal(h.orchestrator.transitions('claude').pop()!.reason, 'paused (budget): test');
        h.orchestrator.resumeAgent('claude', 'resumed (budget): test');
        assert.equal((await h.done(first)).result?.summary, 'resumed and done');

        const second = h.submit('claude', 'one step', () => [{ delayMs: 300, ...finish('finished within the step') }]);
        const queued = h.submit('claude', 'queued behind', () => [finish('after the resume')]);
        await waitForValue('claude executing', () => h.orchestrator.getAgent('claude')!.state === 'executing', ...briefStates);
        h.orchestrator.pauseAgent('claude', 'paused (budget): again', { afterStep: true });
        assert.equal((await h.done(second)).status, 'done');
        await waitForValue('claude paused', () => h.orchestrator.getAgent('claude')!.state === 'paused', ...briefStates);
        assert.equal(h.orchestrator.getTask(queued.id)!.status, 'queued', 'the next task waits for the resume');
        h.orchestrator.resumeAgent('claude');
        assert.equal((await h.done(queued)).result?.summary, 'after the resume');
    });

    it('cancels a running task through the abort signal', async () => {
        await h.start();
        const task = h.submit('codex', 'long', () => [{ delayMs: 20_000, ...finish('never') }]);
        await waitForValue('codex executing', () => h.orchestrator.getAgent('codex')!.state === 'executing', ...briefStates);
        const t = Date.now();
        h.orchestrator.cancelTask(task.id, 'changed my mind');
        const ended = await h.done(task);
        assert.equal(ended.status, 'cancelled');
        assert.equal(ended.result?.error, 'changed my mind');
        assert.ok(Date.now() - t < 1000, 'the loop stopped at once, without a kill');
        assert.equal(h.orchestrator.getAgent('codex')!.state, 'idle');
        assert.equal(h.orchestrator.metrics('codex').restarts, 0);
    });

    it('delegates a sub-task to another agent and waits for its result; refuses delegating to itself', async () => {
        await h.start();
        h.scripts.set('write the tests', () => [call('write_file', { path: 'a.spec.ts', content: 'test' }), finish('tests written')]);
        const parent = h.submit('claude', 'feature', () => [
            call('delegate', { agent: 'claude', prompt: 'x' }),
            call('delegate', { agent: 'gemini', prompt: 'write the tests' }),
            finish('feature done'),
        ]);
        const ended = await h.done(parent);
        assert.equal(ended.status, 'done');
        const results = (h.events.filter(e => e.type === 'tool-call' && e.phase === 'finished') as Extract<OrchestratorEvent, { type: 'tool-call' }>[])
            .filter(e => e.call.name === 'delegate').map(e => e.result!);
        assert.match(results[0].content, /wait for itself/);
        assert.match(results[1].content, /Gemini finished task \d+: tests written/);
        assert.ok(h.events.some(e => e.type === 'agent-state' && e.agentId === 'claude' && e.waitingOn?.kind === 'reply'));
        const sub = h.orchestrator.listTasks('gemini')[0];
        assert.equal(sub.parentTaskId, parent.id);
        assert.equal(sub.fromAgentId, 'claude');
    });

    it('delegates to several agents in parallel and waits for all, or for the first (cancelling the rest), and a stopped parent cancels its children', async () => {
        await h.start();
        h.scripts.set('part A', () => [{ delayMs: 600, ...finish('A done') }]);
        h.scripts.set('part B', () => [{ delayMs: 600, ...finish('B done') }]);
        h.scripts.set('quick', () => [finish('quick answer')]);
        h.scripts.set('slow', () => [{ delayMs: 20_000, ...finish('never') }]);
        const both = h.submit('claude', 'split the work', () => [
            call('delegate', { tasks: [{ agent: 'gemini', prompt: 'part A' }, { agent: 'codex', prompt: 'part B' }] }), finish('both parts done'),
        ]);
        assert.equal((await h.done(both)).status, 'done');
        const result = (id: number) => (h.events.filter(e => e.type === 'tool-call' && e.phase === 'finished' && e.taskId === id && e.call.name === 'delegate') as
            Extract<OrchestratorEvent, { type: 'tool-call' }>[])[0].result!;
        assert.match(result(both.id).content, /^Gemini finished task \d+: A done\nCodex finished task \d+: B done$/);
        const [a, b] = [h.orchestrator.listTasks('gemini')[0], h.orchestrator.listTasks('codex')[0]];
        assert.ok(a.startedAt! < b.finishedAt! && b.startedAt! < a.finishedAt!, 'the two parts ran at the same time');
        assert.ok(h.events.some(e => e.type === 'agent-state' && e.agentId === 'claude' && /waiting for all of Gemini \(task \d+\) and Codex \(task \d+\)/.test(e.waitingOn?.message ?? '')));

        const race = h.submit('claude', 'ask two', () => [
            call('delegate', { tasks: [{ agent: 'kimi', prompt: 'slow' }, { agent: 'gemini', prompt: 'quick' }], wait: 'first' }), finish('took the first'),
        ]);
        assert.equal((await h.done(race)).status, 'done');
        assert.match(result(race.id).content, /^Gemini finished task \d+: quick answer$/);
        const loser = h.orchestrator.listTasks('kimi').find(t => t.prompt === 'slow')!;
        assert.equal((await h.done(loser)).status, 'cancelled');

        const parent = h.submit('claude', 'wait for slow ones', () => [call('delegate', { tasks: [{ agent: 'kimi', prompt: 'slow' }, { agent: 'codex', prompt: 'slow' }] }), finish('never')]);
        await waitForValue('both children running or queued', () => ['kimi', 'codex'].every(agent => h.orchestrator.listTasks(agent).some(t => t.parentTaskId === parent.id)), 10_000, 20);
        h.orchestrator.cancelTask(parent.id);
        const children = ['kimi', 'codex'].map(agent => h.orchestrator.listTasks(agent).find(t => t.parentTaskId === parent.id)!);
        assert.deepEqual((await Promise.all(children.map(child => h.done(child)))).map(child => child.status), ['cancelled', 'cancelled']);
    });

    it('refuses a delegation it cannot make, saying what to send', async () => {
        await h.start();
        const task = h.submit('claude', 'bad delegations', () => [
            call('delegate', { tasks: [] }), call('delegate', { tasks: [{ agent: 'nobody', prompt: 'x' }] }), call('delegate', { agent: 'gemini', prompt: 'x', wait: 'some' }), finish('gave up'),
        ]);
        await h.done(task);
        const results = (h.events.filter(e => e.type === 'tool-call' && e.phase === 'finished' && e.taskId === task.id) as Extract<OrchestratorEvent, { type: 'tool-call' }>[]).map(e => e.result!);
        assert.ok(results.every(r => r.isError));
        assert.match(results[0].content, /delegate needs either "agent" and "prompt" \(one sub-task\) or "tasks"/);
        assert.match(results[1].content, /There is no agent "nobody"; agents: claude, code-reviewer, codex, doc-generator, file-organizer, gemini, kimi, prior-session-agent, test-writer\./);
        assert.match(results[2].content, /"wait" must be "all" .* or "first"/);
        assert.deepEqual(h.orchestrator.listTasks('gemini'), [], 'nothing was queued');
    });

    it('delivers direct messages to the agent on its next turn', async () => {
        await h.start();
        const sender = h.submit('kimi', 'tell claude', () => [call('send_message', { to: 'claude', text: 'use tabs' }), finish('sent')]);
        await h.done(sender);
        assert.ok(h.events.some(e => e.type === 'message' && e.message.from === 'kimi' && e.message.to === 'claude'));
        // Claude's next task gets the message in its first prompt.
        const listener = h.submit('claude', 'listen', () => [{ echoPrompt: true, ...finish('heard') }]);
        await h.done(listener);
        const turn = h.events.find(e => e.type === 'model-turn' && e.taskId === listener.id);
        assert.match(turn?.type === 'model-turn' ? turn.text : '', /listen\n\nMessages received:\n- from kimi: use tabs/);
        assert.equal(h.orchestrator.bus.pending('claude').length, 0, 'consumed by the task');
    });

    it('delivers a topic to its subscribers: one that starts tasks for its messages reads it in a task of its own and acknowledges it', async () => {
        await h.start();
        h.writeDefinition('gemini', { subscribes: ['reviews/*'], onMessage: 'start-task' });
        h.writeDefinition('codex', { subscribes: ['reviews/*'] });
        h.orchestrator.definitions.refresh();
        h.scripts.set(MessageTaskPrompt, () => [{ echoPrompt: true, ...finish('reviewed') }]);
        const sender = h.submit('claude', 'ask for a review', () => [call('send_message', { topic: 'reviews/src', text: 'please review src/a.ts' }), finish('asked')]);
        await h.done(sender);
        const started = await waitForValue('a task for gemini\'s message', () => h.orchestrator.listTasks('gemini').find(t => t.prompt === MessageTaskPrompt), 10_000, 20);
        assert.equal(started.fromAgentId, 'claude');
        assert.equal((await h.done(started)).status, 'done');
        const turn = h.events.find(e => e.type === 'model-turn' && e.taskId === started.id);
        assert.match(turn?.type === 'model-turn' ? turn.text : '', /Messages received:\n- from claude on reviews\/src: please review src\/a\.ts/);
        assert.equal(h.orchestrator.bus.pending('gemini').length, 0);
        // Codex subscribes but waits for its next task; Claude, the sender, gets nothing.
        assert.deepEqual(h.orchestrator.bus.pending('codex').map(m => m.text), ['please review src/a.ts']);
        assert.deepEqual(h.orchestrator.listTasks('codex'), []);
        assert.deepEqual(h.orchestrator.bus.pending('claude'), []);
    });

    it('keeps a message no turn has read through a restart, and hands it to the next task', async () => {
        await h.start();
        h.orchestrator.sendMessage('user:ada', 'kimi', 'the API moved to v2');
        await h.core.stop();
        await h.start();
        assert.deepEqual(h.orchestrator.bus.pending('kimi').map(m => m.text), ['the API moved to v2']);
        const task = h.submit('kimi', 'update the client', () => [{ echoPrompt: true, ...finish('updated') }]);
        await h.done(task);
        const turn = h.events.find(e => e.type === 'model-turn' && e.taskId === task.id);
        assert.match(turn?.type === 'model-turn' ? turn.text : '', /- from user:ada: the API moved to v2/);
    });

    it('does not let two agents that start tasks for messages answer each other forever', async () => {
        await h.start();
        h.writeDefinition('gemini', { onMessage: 'start-task' });
        h.writeDefinition('kimi', { onMessage: 'start-task' });
        h.orchestrator.definitions.refresh();
        const replies: number[] = [];
        h.scripts.set(MessageTaskPrompt, (_attempt, definition) => {
            replies.push(Date.now());
            const other = definition.id === 'gemini' ? 'kimi' : 'gemini';
            // Kimi answers once Gemini's task is over, so the answer finds Gemini idle.
            return [{ delayMs: definition.id === 'kimi' ? 1000 : 0, ...call('send_message', { to: other, text: `hi from ${definition.id}` }) }, finish('answered')];
        });
        h.orchestrator.sendMessage('user:ada', 'gemini', 'say hi to kimi');
        await waitForValue('gemini and kimi idle with the answers read or waiting', () =>
            replies.length >= 2 && ['gemini', 'kimi'].every(a => h.orchestrator.listTasks(a).every(t => t.status === 'done')) ? true : undefined, 15_000, 50);
        await new Promise(resolve => setTimeout(resolve, 3000));
        // Gemini's task (the person's message) and Kimi's (Gemini's), and no third: Kimi's answer waits for
        // Gemini's next turn, or (on a loaded machine, where Gemini's task can outlast Kimi's second) was read
        // by Gemini's task still running. Either way it started no task.
        assert.equal(replies.length, 2, `the exchange stopped after one answer (${replies.length} message tasks)`);
        assert.deepEqual(['gemini', 'kimi'].map(a => h.orchestrator.listTasks(a).length), [1, 1]);
        assert.ok(h.orchestrator.bus.recent(50).some(m => m.text === 'hi from kimi' && m.recipients.includes('gemini')), 'Kimi answered Gemini');
        assert.ok(h.orchestrator.bus.pending('gemini').every(m => m.text === 'hi from kimi'), 'nothing else waits for Gemini');
    });

    it('retries a killed task before a message waiting for its agent starts a task of its own; the retry reads the message', async () => {
        await h.start();
        h.writeDefinition('gemini', { onMessage: 'start-task' });
        h.orchestrator.definitions.refresh();
        h.scripts.set(MessageTaskPrompt, () => [finish('a task for the message')]);
        const task = h.submit('gemini', 'long work', attempt => attempt === 1 ? [{ delayMs: 20_000, ...finish('never') }] : [{ echoPrompt: true, ...finish('retried') }]);
        await waitForValue('gemini executing', () => h.orchestrator.getAgent('gemini')!.state === 'executing', ...briefStates);
        h.orchestrator.sendMessage('user:ada', 'gemini', 'mind the v2 API');
        process.kill(h.orchestrator.getAgent('gemini')!.pid!, 'SIGKILL');
        const ended = await h.done(task);
        assert.equal(ended.status, 'done');
        assert.equal(ended.attempts, 2);
        const turn = h.events.find(e => e.type === 'model-turn' && e.taskId === task.id && /mind the v2 API/.test(e.text));
        assert.ok(turn, 'the retried task read the message');
        assert.deepEqual(h.orchestrator.listTasks('gemini').map(t => t.id), [task.id], 'no task of its own for the message');
        assert.deepEqual(h.orchestrator.bus.pending('gemini'), []);
    });

    it('runs the workspace\'s hooks: after an edit (its output to the agent), before a command (a failing one refuses it), and at the finish (a failing one sends the agent back to work)', async () => {
        await h.start();
        fs.writeFileSync(path.join(h.ws, '.coditect', 'settings.json'), JSON.stringify({
            hooks: {
                PostToolUse: [{ matcher: 'write_file|edit_file', hooks: [{ type: 'command', command: 'echo "lint of $CODITECT_TOOL_PATH by $CODITECT_AGENT_ID: clean"' }] }],
                PreToolUse: [{ matcher: 'run_command', hooks: [{ type: 'command', command: 'echo "no commands in this workspace" >&2; exit 2' }] }],
                Stop: [{ hooks: [{ type: 'command', command: 'test -f DONE || { echo "write DONE first"; exit 1; }' }] }],
            },
        }));
        const task = h.submit('claude', 'hooked work', () => [
            call('write_file', { path: 'a.ts', content: 'export const a = 1;\n' }),
            call('run_command', { command: 'touch ran.txt' }),
            finish('too early'),
            call('write_file', { path: 'DONE', content: 'yes\n' }),
            finish('done now'),
        ]);
        const ended = await h.done(task);
        assert.equal(ended.status, 'done');
        assert.equal(ended.result?.summary, 'done now');
        const results = (h.events.filter(e => e.type === 'tool-call' && e.phase === 'finished' && e.taskId === task.id) as Extract<OrchestratorEvent, { type: 'tool-call' }>[])
            .map(e => [e.call.name, e.result!.isError, e.result!.content] as const);
        assert.match(results[0][2], /The PostToolUse hook `echo .*` \(exit code 0\):\nlint of a\.ts by claude: clean/);
        assert.equal(results[1][1], true);
        assert.match(results[1][2], /The PreToolUse hook .* refused this run_command call \(exit code 2\):\nno commands in this workspace/);
        assert.equal(fs.existsSync(path.join(h.ws, 'ran.txt')), false, 'the refused command never ran');
        assert.deepEqual([results[2][0], results[2][1]], ['finish', true]);
        assert.match(results[2][2], /The Stop hook .* says the task is not done \(exit code 1\):\nwrite DONE first/);
        assert.deepEqual(results.map(r => [r[0], r[1]]), [['write_file', false], ['run_command', true], ['finish', true], ['write_file', false], ['finish', false]]);
    });

    it('restarts an agent SIGKILLed mid-task, retries its task, and the others finish meanwhile', async () => {
        await h.start();
        const victim = h.submit('claude', 'victim', attempt => attempt === 1 ? [{ delayMs: 20_000, ...finish('never') }] : [finish('survived')]);
        const others = ['gemini', 'codex', 'kimi'].map(a => h.submit(a, `work of ${a}`, () => [{ delayMs: 300, ...call('list_files', {}) }, finish(`${a} done`)]));
        await waitForValue('claude executing', () => h.orchestrator.getAgent('claude')!.state === 'executing', ...briefStates);
        const pid = h.orchestrator.getAgent('claude')!.pid!;
        process.kill(pid, 'SIGKILL');
        const ended = await h.done(victim);
        assert.equal(ended.status, 'done');
        assert.equal(ended.attempts, 2);
        assert.match(ended.lastError!, /killed by SIGKILL/);
        for (const other of others) {
            assert.equal((await h.done(other)).status, 'done');
        }
        const claude = h.orchestrator.getAgent('claude')!;
        assert.notEqual(claude.pid, pid);
        assert.equal(claude.restarts, 1);
        assert.ok(h.states('claude').includes('error'));
        assert.ok(h.events.some(e => e.type === 'restart' && e.agentId === 'claude' && e.taskId === victim.id));
        assert.deepEqual(['gemini', 'codex', 'kimi'].map(a => h.orchestrator.metrics(a).restarts), [0, 0, 0]);
    });

    it('fails a task whose agent crashes on every attempt, with the reason', async () => {
        await h.start();
        const task = h.submit('kimi', 'crashes', () => [{ exitCode: 3 }]);
        const ended = await h.done(task);
        assert.equal(ended.status, 'failed');
        assert.equal(ended.attempts, 2);
        assert.match(ended.result!.error!, /exited with code 3 \(attempt 2 of 2\)/);
        await waitForValue('kimi back to idle', () => h.orchestrator.getAgent('kimi')!.state === 'idle', ...briefStates);
    });

    it('kills an agent whose event loop hangs (no heartbeat) and one stuck past its time limit, and retries', async () => {
        // Limits a healthy agent process meets even on a loaded machine (a restarted process boots within them).
        await h.start({ heartbeatTimeoutMs: 3000 });
        h.writeDefinition('codex', { limits: { taskTimeoutMs: 6000 } });
        h.orchestrator.definitions.refresh();
        const busy = h.submit('claude', 'busy', attempt => attempt === 1 ? [{ hang: 'busy' }] : [finish('unstuck')]);
        const stuck = h.submit('codex', 'stuck', attempt => attempt === 1 ? [{ hang: 'forever' }] : [finish('unstuck too')]);
        const [a, b] = await Promise.all([h.done(busy), h.done(stuck)]);
        assert.equal(a.status, 'done');
        assert.match(a.lastError!, /hung: the agent process sent no heartbeat/);
        assert.equal(b.status, 'done');
        assert.match(b.lastError!, /hung: task \d+ passed its time limit of 6000 ms/);
    });

    it('lets four agents edit the same files under locks with no edit lost, and shows who they wait for', async () => {
        fs.mkdirSync(path.join(h.ws, 'src'));
        const files = ['src/a.ts', 'src/b.ts'];
        files.forEach(f => fs.writeFileSync(path.join(h.ws, f), '// END\n'));
        await h.start();
        const edits = 6;
        const agents = ['claude', 'gemini', 'codex', 'kimi'];
        const tasks = agents.map(agent => h.submit(agent, `edits of ${agent}`, () => [
            ...Array.from({ length: edits }, (_, i) => call('edit_file', { path: files[i % 2], old_text: '// END', new_text: `${agent}-${i}\n// END` })),
            finish('edited'),
        ]));
        for (const t of tasks) {
            assert.equal((await h.done(t)).status, 'done');
        }
        const lines = files.flatMap(f => fs.readFileSync(path.join(h.ws, f), 'utf8').split('\n').filter(l => l && l !== '// END'));
        assert.equal(lines.length, agents.length * edits, 'every edit landed');
        assert.equal(new Set(lines).size, lines.length);

        // A lock held by someone else: the agent waits, and says for whom.
        const gemini = { id: 'user:gemini-fan', kind: 'human' as const, displayName: 'Gemini' };
        const held = await h.core.locks.acquire({ path: 'src/a.ts', mode: 'exclusive', owner: gemini });
        const waiting = h.submit('claude', 'blocked edit', () => [call('edit_file', { path: 'src/a.ts', old_text: '// END', new_text: 'late\n// END' }), finish('ok')]);
        await waitForValue('claude waiting', () => h.orchestrator.getAgent('claude')!.state === 'waiting', ...briefStates);
        assert.equal(h.orchestrator.getAgent('claude')!.waitingOn?.message, 'waiting for lock on src/a.ts held by Gemini');
        h.core.locks.release(held.id, gemini);
        assert.equal((await h.done(waiting)).status, 'done');
        assert.match(fs.readFileSync(path.join(h.ws, 'src/a.ts'), 'utf8'), /late\n\/\/ END/);
    });

    it('waits out a rate limit, then resumes; an auth error fails the task and the agent needs a key, until one is set', async () => {
        await h.start();
        const task = h.submit('gemini', 'limited', () => [
            { error: { kind: 'rate-limit', message: 'slow down', retryAfterMs: 300 } },
            finish('after the wait'),
        ]);
        const ended = await h.done(task);
        assert.equal(ended.status, 'done');
        const waits = h.events.filter(e => e.type === 'agent-state' && e.agentId === 'gemini' && e.to === 'waiting') as Extract<OrchestratorEvent, { type: 'agent-state' }>[];
        assert.equal(waits.length, 1);
        assert.equal(waits[0].waitingOn?.kind, 'rate-limit');
        assert.deepEqual(h.states('gemini'), ['loading', 'executing', 'waiting', 'executing', 'idle']);

        const refused = h.submit('kimi', 'bad key', () => [{ error: { kind: 'auth', message: 'invalid key; set a valid key in MOONSHOT_API_KEY', keyVariable: 'MOONSHOT_API_KEY' } }]);
        const failed = await h.done(refused);
        assert.equal(failed.status, 'failed');
        assert.equal(failed.attempts, 1, 'an auth error is not retried');
        const kimi = h.orchestrator.getAgent('kimi')!;
        assert.equal(kimi.state, 'needs-key', 'a refused key is fixed as a missing one is');
        assert.match(kimi.lastError!, /MOONSHOT_API_KEY/);
        const next = h.submit('kimi', 'after fix', () => [finish('fine')]);
        assert.equal(h.orchestrator.getTask(next.id)!.status, 'queued', 'held until the key changes or the user resumes');
        h.core.providerKeys.set(admin, 'MOONSHOT_API_KEY', 'sk-moonshot-new-key-0123');
        assert.equal((await h.done(next)).status, 'done');
    });

    it('reports an invalid definition and keeps running the last good one; a fixed file reloads between tasks', async () => {
        await h.start();
        const file = path.join(h.ws, '.coditect/agents/claude.json');
        const good = fs.readFileSync(file, 'utf8');
        fs.writeFileSync(file, '{ "name": "Claude", "vendor": "nobody" }');
        h.orchestrator.definitions.refresh();
        const invalid = h.events.find(e => e.type === 'definition' && e.change.kind === 'invalid');
        assert.ok(invalid, 'an invalid-definition event');
        assert.match(invalid.type === 'definition' && invalid.change.kind === 'invalid' ? invalid.change.error : '', /"vendor" must be one of/);
        const health = (await h.core.refreshHealth()).components.find(c => c.id === 'orchestrator')!;
        assert.equal(health.status, 'degraded');
        assert.match(health.detail, /invalid definition .coditect\/agents\/claude.json/);
        assert.match(h.orchestrator.getAgent('claude')!.definitionError!, /vendor/);
        const t1 = h.submit('claude', 'still works', (_, d) => [finish(d.model)]);
        assert.equal((await h.done(t1)).result?.summary, 'claude-sonnet-4-5');

        fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(good), model: 'claude-opus-4-1' }));
        const t2 = h.submit('claude', 'new model', (_, d) => [finish(d.model)]);
        assert.equal((await h.done(t2)).result?.summary, 'claude-opus-4-1');
        assert.equal(h.orchestrator.getAgent('claude')!.definitionError, undefined);
        assert.equal((await h.core.refreshHealth()).components.find(c => c.id === 'orchestrator')!.status, 'ok');
    });
});
