import * as assert from 'node:assert/strict';
import { ExitCode } from '../cli/cli-command';
import { main } from './main';
import { ada, busMessage, changeSet, lockInfo, taskInfo, workflowRun } from './test-support/api-fixtures';
import { captureOutput } from './test-support/capture-output';
import { FakeStudio, RecordedRequest } from './test-support/fake-studio';

const token = 'ctk_terminal-secret-0123456789';

describe('coditect against the studio\'s HTTP API', () => {
    let studio: FakeStudio;
    let url: string;
    beforeEach(async () => {
        studio = new FakeStudio();
        url = await studio.start();
    });
    afterEach(() => studio.close());

    const run = (...argv: string[]) => captureOutput(() => main(argv, { CODITECT_API_URL: url, CODITECT_TOKEN: token }));

    /** The one request a command made, checked to carry the terminal's token and ask for JSON. */
    function onlyRequest(): RecordedRequest {
        assert.equal(studio.requests.length, 1, JSON.stringify(studio.requests.map(r => `${r.method} ${r.path}`)));
        return signed(studio.requests[0]);
    }

    function signed(request: RecordedRequest): RecordedRequest {
        assert.equal(request.headers.authorization, `Bearer ${token}`);
        assert.equal(request.headers.accept, 'application/json');
        return request;
    }

    it('whoami: GET /coditect/api/whoami, as a sentence or as the API\'s JSON', async () => {
        studio.answer('GET', '/coditect/api/whoami', { status: 200, body: ada });
        const text = await run('whoami');
        assert.equal(text.code, ExitCode.ok, text.stderr);
        assert.equal(text.stdout, 'Ada (user:ada), admin, signed in through this terminal\n');
        const request = onlyRequest();
        assert.equal(request.method, 'GET');
        assert.equal(request.path, '/coditect/api/whoami');
        assert.equal(request.body, undefined);
        const json = await run('whoami', '--json');
        assert.equal(json.stdout, `${JSON.stringify(ada, undefined, 2)}\n`);
    });

    it('puts the API under a base URL that has a path of its own', async () => {
        studio.answer('GET', '/studio/coditect/api/whoami', { status: 200, body: ada });
        const result = await captureOutput(() => main(['whoami'], { CODITECT_API_URL: `${url}/studio/`, CODITECT_TOKEN: token }));
        assert.equal(result.code, ExitCode.ok, result.stderr);
        assert.equal(onlyRequest().path, '/studio/coditect/api/whoami');
    });

    it('locks: one line per lock, or No locks.', async () => {
        const expiresAt = Date.now() + 250_000;
        studio.answer('GET', '/coditect/api/locks', { status: 200, body: { locks: [lockInfo({ expiresAt })], waiters: [] } }, { status: 200, body: { locks: [], waiters: [] } });
        const result = await run('locks');
        assert.equal(result.code, ExitCode.ok, result.stderr);
        assert.match(result.stdout, /^src\/a\.ts {2}exclusive {2}Gemini \(agent:gemini\) {2}expires in 4m (9|10)s\n$/);
        assert.equal(onlyRequest().path, '/coditect/api/locks');
        assert.equal((await run('locks')).stdout, 'No locks.\n');
    });

    it('lock: POST /coditect/api/locks with the mode, wait and lease asked for', async () => {
        const lock = lockInfo({ mode: 'shared' });
        studio.answer('POST', '/coditect/api/locks', { status: 201, body: lock });
        const result = await run('lock', './src/a.ts', '--shared', '--wait', '30s', '--ttl', '5m');
        assert.equal(result.code, ExitCode.ok, result.stderr);
        assert.equal(result.stdout, 'Locked src/a.ts (shared) until 10:42:13; unlock it with: coditect unlock src/a.ts\n');
        const request = onlyRequest();
        assert.equal(request.method, 'POST');
        assert.equal(request.headers['content-type'], 'application/json');
        assert.deepEqual(request.body, { path: 'src/a.ts', mode: 'shared', waitMs: 30_000, ttlMs: 300_000 });
    });

    it('lock: an exclusive 30-minute lease by default, no wait of its own; --json prints the lock', async () => {
        studio.answer('POST', '/coditect/api/locks', { status: 201, body: lockInfo() });
        const result = await run('lock', 'src/a.ts', '--json');
        assert.deepEqual(JSON.parse(result.stdout), lockInfo());
        assert.deepEqual(onlyRequest().body, { path: 'src/a.ts', mode: 'exclusive', ttlMs: 1_800_000 });
    });

    it('lock: a conflict is the studio\'s sentence and exit 1; a bad request exit 2', async () => {
        studio.answer('POST', '/coditect/api/locks',
            { status: 409, body: { error: 'src/a.ts is locked by Gemini (agent:gemini) until 10:50.', holders: [] } },
            { status: 400, body: { error: '"path" must stay inside the workspace.' } });
        const conflict = await run('lock', 'src/a.ts');
        assert.equal(conflict.code, ExitCode.failed);
        assert.equal(conflict.stderr, 'coditect lock: src/a.ts is locked by Gemini (agent:gemini) until 10:50.\n');
        assert.equal(conflict.stdout, '');
        const bad = await run('lock', '../x');
        assert.equal(bad.code, ExitCode.usage);
        assert.equal(bad.stderr, 'coditect lock: "path" must stay inside the workspace.\n');
    });

    describe('unlock', () => {
        const mine = lockInfo({ id: 'lk_mine', path: 'src/b.ts', owner: { id: 'user:ada', kind: 'human', displayName: 'Ada' } });
        const theirs = lockInfo({ id: 'lk_theirs' });
        beforeEach(() => {
            studio.answer('GET', '/coditect/api/whoami', { status: 200, body: ada });
            studio.answer('GET', '/coditect/api/locks', { status: 200, body: { locks: [theirs, mine], waiters: [] } });
            studio.answer('DELETE', '/coditect/api/locks/lk_mine', { status: 204 });
            studio.answer('DELETE', '/coditect/api/locks/lk_theirs', { status: 204 });
        });

        it('releases the caller\'s lock on a path: DELETE /coditect/api/locks/<id>', async () => {
            const result = await run('unlock', 'src/b.ts');
            assert.equal(result.code, ExitCode.ok, result.stderr);
            assert.equal(result.stdout, 'Unlocked src/b.ts (exclusive).\n');
            const deletes = studio.requests.filter(r => r.method === 'DELETE');
            assert.deepEqual(deletes.map(r => r.path), ['/coditect/api/locks/lk_mine']);
            studio.requests.forEach(signed);
        });

        it('releases a lock by its id, and prints what it released with --json', async () => {
            const result = await run('unlock', 'lk_theirs', '--json');
            assert.equal(result.code, ExitCode.ok, result.stderr);
            assert.deepEqual(JSON.parse(result.stdout), { released: [theirs] });
            assert.deepEqual(studio.requests.filter(r => r.method === 'DELETE').map(r => r.path), ['/coditect/api/locks/lk_theirs']);
        });

        it('says whose lock it is and which are the caller\'s when they hold none on the path; deletes nothing', async () => {
            const result = await run('unlock', 'src/a.ts');
            assert.equal(result.code, ExitCode.failed);
            assert.equal(result.stderr, 'coditect unlock: You hold no lock on src/a.ts (Gemini (agent:gemini) holds it); your locks: src/b.ts (exclusive).\n');
            assert.equal(studio.requests.filter(r => r.method === 'DELETE').length, 0);
        });
    });

    it('tasks: GET /coditect/api/tasks?agent=&limit=, one line per task', async () => {
        studio.answer('GET', '/coditect/api/tasks', { status: 200, body: { tasks: [taskInfo(), taskInfo({ id: 13, status: 'queued', title: 'Fix the build' })] } });
        const result = await run('tasks', '--agent', '@claude', '--limit', '5');
        assert.equal(result.code, ExitCode.ok, result.stderr);
        assert.equal(result.stdout, '#12  claude  running  Write the notes\n#13  claude  queued   Fix the build\n');
        const request = onlyRequest();
        assert.deepEqual(request.query, { agent: 'claude', limit: '5' });
        const all = await run('tasks', '--json');
        assert.deepEqual(studio.requests[1].query, {}, 'no filter asked for, none sent');
        assert.equal(JSON.parse(all.stdout).tasks.length, 2);
    });

    it('task: POST /coditect/api/tasks with the agent, the prompt\'s words and the priority', async () => {
        studio.answer('POST', '/coditect/api/tasks', { status: 201, body: taskInfo({ status: 'queued' }) });
        const result = await run('task', '@claude', 'Write', 'the', 'notes', '--priority', '2');
        assert.equal(result.code, ExitCode.ok, result.stderr);
        assert.equal(result.stdout, 'Queued task #12 for claude.\n');
        assert.deepEqual(onlyRequest().body, { agent: 'claude', prompt: 'Write the notes', priority: 2 });
        await run('task', 'claude', '--', '--fix', 'it');
        assert.deepEqual(studio.requests[1].body, { agent: 'claude', prompt: '--fix it' });
        studio.answer('POST', '/coditect/api/tasks', { status: 201, body: taskInfo({ status: 'queued', budgetUsd: '2.50' }) });
        const budgeted = await run('task', '@claude', 'Split', 'the', 'work', '--budget', '2.5');
        assert.equal(budgeted.stdout, 'Queued task #12 for claude. It and the tasks it delegates may spend $2.50 together.\n');
        assert.deepEqual(studio.requests[2].body, { agent: 'claude', prompt: 'Split the work', budgetUsd: '2.5' });
    });

    it('send: POST /coditect/api/bus/messages to an agent or on a topic', async () => {
        studio.answer('POST', '/coditect/api/bus/messages',
            { status: 201, body: busMessage({ id: 5, topic: 'agent/gemini', to: 'gemini', recipients: ['gemini'] }) },
            { status: 201, body: busMessage({ id: 6, recipients: [] }) });
        const direct = await run('send', '@gemini', 'Please', 'review', 'src/a.ts');
        assert.equal(direct.stdout, 'Sent message #5 to gemini.\n');
        assert.deepEqual(onlyRequest().body, { to: 'gemini', text: 'Please review src/a.ts' });
        const published = await run('send', '--topic', 'reviews', 'Ready', 'for', 'review');
        assert.equal(published.stdout, 'Published #6 on reviews to no agent (nobody subscribes to reviews).\n');
        assert.deepEqual(studio.requests[1].body, { topic: 'reviews', text: 'Ready for review' });
    });

    it('bus publish: the same as send --topic', async () => {
        const message = busMessage({ id: 6, recipients: ['claude', 'gemini'] });
        studio.answer('POST', '/coditect/api/bus/messages', { status: 201, body: message });
        const result = await run('bus', 'publish', 'reviews', 'Ready');
        assert.equal(result.stdout, 'Published #6 on reviews to claude, gemini.\n');
        assert.deepEqual(onlyRequest().body, { topic: 'reviews', text: 'Ready' });
        const json = await run('bus', 'publish', 'reviews', 'Ready', '--json');
        assert.deepEqual(JSON.parse(json.stdout), message);
    });

    it('bus subscribe --from-now --count 2: starts after the newest message and prints the next two over two polls', async () => {
        studio.answer('GET', '/coditect/api/bus/messages',
            { status: 200, body: { messages: [busMessage({ id: 5 })] } },
            { status: 200, body: { messages: [busMessage({ id: 6, text: 'first' })] } },
            { status: 200, body: { messages: [busMessage({ id: 7, from: 'claude', text: 'second' })] } });
        const result = await run('bus', 'subscribe', 'reviews', '--from-now', '--count', '2');
        assert.equal(result.code, ExitCode.ok, result.stderr);
        assert.equal(result.stdout, '#6 10:42:13 gemini -> reviews: first\n#7 10:42:13 claude -> reviews: second\n');
        studio.requests.forEach(signed);
        assert.deepEqual(studio.requests.map(r => r.query), [
            { topic: 'reviews', limit: '1' },
            { topic: 'reviews', after: '5', limit: '100' },
            { topic: 'reviews', after: '6', limit: '100' },
        ]);
    });

    it('bus subscribe on a topic without messages yet: follows it from its first one, never asking for after=0', async () => {
        studio.answer('GET', '/coditect/api/bus/messages',
            { status: 200, body: { messages: [] } },
            { status: 200, body: { messages: [busMessage({ id: 9, text: 'first ever' })] } });
        const result = await run('bus', 'subscribe', 'reviews', '--from-now', '--count', '1');
        assert.equal(result.code, ExitCode.ok, result.stderr);
        assert.equal(result.stdout, '#9 10:42:13 gemini -> reviews: first ever\n');
        assert.deepEqual(studio.requests.map(r => r.query), [{ topic: 'reviews', limit: '1' }, { topic: 'reviews', limit: '100' }]);
    });

    it('bus subscribe --json: the last messages first, then new ones, one JSON object per line, ending at --count', async () => {
        const backlog = [busMessage({ id: 3 }), busMessage({ id: 4 })];
        studio.answer('GET', '/coditect/api/bus/messages',
            { status: 200, body: { messages: backlog } },
            { status: 200, body: { messages: [busMessage({ id: 5 }), busMessage({ id: 6 })] } });
        const result = await run('bus', 'subscribe', 'build/*', '--count', '3', '--json');
        assert.equal(result.code, ExitCode.ok, result.stderr);
        assert.deepEqual(result.stdout.trimEnd().split('\n').map(line => JSON.parse(line).id), [3, 4, 5]);
        assert.deepEqual(studio.requests.map(r => r.query), [{ topic: 'build/*', limit: '20' }, { topic: 'build/*', after: '4', limit: '100' }]);
    });

    it('changes: GET /coditect/api/changes?agent=&limit=, one line per change set', async () => {
        studio.answer('GET', '/coditect/api/changes', { status: 200, body: { changeSets: [changeSet()] } });
        const result = await run('changes', '--agent', 'claude', '--limit', '10');
        assert.equal(result.stdout, '#12 claude "Write notes" 3 file(s) +10 -2 pending\n');
        assert.deepEqual(onlyRequest().query, { agent: 'claude', limit: '10' });
    });

    it('workflow list and run: GET /coditect/api/workflows, POST /coditect/api/workflows/<name>/runs { input }', async () => {
        const workflows = { workflows: [{ name: 'code-review', description: 'Codex implements a change, Claude reviews it', file: '.coditect/workflows/code-review.md', steps: [] }], problems: [], runs: [] };
        studio.answer('GET', '/coditect/api/workflows', { status: 200, body: workflows });
        studio.answer('POST', '/coditect/api/workflows/code-review/runs', { status: 201, body: workflowRun() });
        const list = await run('workflow', 'list');
        assert.equal(list.stdout, 'code-review  Codex implements a change, Claude reviews it\n');
        const started = await run('workflow', 'run', 'code-review', 'Add', 'a', '--', '--verbose', 'flag');
        assert.equal(started.code, ExitCode.ok, started.stderr);
        assert.equal(started.stdout, 'Started code-review run #3: implement (codex) → review (claude) + tests (gemini) → approve (claude).\n');
        const request = signed(studio.requests[1]);
        assert.equal(request.method, 'POST');
        assert.deepEqual(request.body, { input: 'Add a --verbose flag' });
        const json = await run('workflow', 'list', '--json');
        assert.deepEqual(JSON.parse(json.stdout), workflows);
    });

    it('says the token ended on a 401, without ever printing the token', async () => {
        studio.answer('GET', '/coditect/api/locks', { status: 401, body: { error: 'This terminal\'s token is not valid (any more).' } });
        const result = await run('locks');
        assert.equal(result.code, ExitCode.failed);
        assert.equal(result.stderr, 'coditect locks: This terminal\'s token is not valid (any more).\nThe terminal\'s token ends when the terminal closes; open a new terminal.\n');
        assert.ok(!result.stderr.includes(token) && !result.stdout.includes(token));
    });

    it('names the studio\'s status when it answers with something other than the API\'s JSON', async () => {
        studio.answer('GET', '/coditect/api/tasks', { status: 500, body: '<html>Internal error</html>' });
        const result = await run('tasks');
        assert.equal(result.code, ExitCode.failed);
        assert.equal(result.stderr, 'coditect tasks: The studio answered 500 Internal Server Error.\n');
    });

    it('says the studio does not answer when nothing listens at its address', async () => {
        await studio.close();
        const result = await run('whoami');
        assert.equal(result.code, ExitCode.failed);
        assert.equal(result.stderr, `coditect whoami: The studio at ${url} does not answer (ECONNREFUSED); is it running?\n`);
        studio = new FakeStudio();
        await studio.start();
    });
});
