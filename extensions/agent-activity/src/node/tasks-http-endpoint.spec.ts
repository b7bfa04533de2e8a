import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentPrincipal, personPrincipal, Principal } from '@coditect/workspace-backend';
import { JsonApiTestServer, startJsonApiTestServer } from '@coditect/studio-platform/test-support';
import { BusHttpEndpoint } from './bus-http-endpoint';
import { BUS_HTTP_PATH } from '../common/bus-protocol';
import { TASKS_HTTP_PATH, TasksHttpEndpoint, WORKFLOWS_HTTP_PATH, WorkflowsHttpEndpoint } from './tasks-http-endpoint';

const dev = personPrincipal({ id: 'user:dev', displayName: 'Dev', role: 'developer' });
const bot = agentPrincipal('my-bot', 'My Bot');
const principals: Record<string, Principal> = { dev, bot };

const pairWorkflow = '---\ndescription: two steps\nsteps:\n  - { id: write, agent: claude, prompt: "write {{input}}" }\n  - { id: check, agent: code-reviewer, prompt: check it }\n---\n';

describe('TasksHttpEndpoint and WorkflowsHttpEndpoint: tasks and workflow runs as the request\'s credential', function () {
    this.timeout(60_000);
    let tasks: JsonApiTestServer;

    beforeEach(async () => {
        tasks = await startJsonApiTestServer({ endpoint: TasksHttpEndpoint, basePath: TASKS_HTTP_PATH, principals, prefix: 'tasks-http-', tasksPerMinute: 3 });
    });
    afterEach(() => tasks.close());

    it('queues a task in the caller\'s name and lists it, for one agent or all; says what is wrong with a bad request', async () => {
        const queued = await tasks.call('dev', 'POST', '', { agent: 'claude', prompt: 'add tests for src/cart.ts', priority: 2 });
        assert.equal(queued.status, 201);
        assert.deepEqual([queued.body.agentId, queued.body.submittedBy, queued.body.priority, queued.body.status], ['claude', 'user:dev', 2, 'queued']);
        const byBot = await tasks.call('bot', 'POST', '', { agent: 'gemini', prompt: 'lint' });
        assert.equal(byBot.body.submittedBy, 'agent:my-bot');

        assert.deepEqual((await tasks.call('dev', 'GET', '?agent=claude')).body.tasks.map((t: { id: number }) => t.id), [queued.body.id]);
        assert.deepEqual((await tasks.call('dev', 'GET', '')).body.tasks.map((t: { id: number }) => t.id).sort((a: number, b: number) => a - b), [queued.body.id, byBot.body.id].sort((a, b) => a - b));

        const noPrompt = await tasks.call('dev', 'POST', '', { agent: 'claude' });
        assert.equal(noPrompt.status, 400);
        assert.match(noPrompt.body.error, /"prompt"/);
        const unknown = await tasks.call('dev', 'POST', '', { agent: 'nobody', prompt: 'x' });
        assert.equal(unknown.status, 404);
        assert.match(unknown.body.error, /There is no agent "nobody"; known agents: .*code-reviewer/);
        assert.equal((await tasks.call('dev', 'GET', '?agent=nobody')).status, 404);
        assert.equal((await tasks.call('dev', 'GET', '?limit=zero')).status, 400);
        assert.equal((await tasks.call('nobody', 'GET', '')).status >= 401, true, 'no credential, no tasks');
    });

    it('gives a task a budget for itself and what it delegates, and says what is wrong with one that is not an amount', async () => {
        const budgeted = await tasks.call('dev', 'POST', '', { agent: 'claude', prompt: 'a bounded fan-out', budgetUsd: '2.5' });
        assert.equal(budgeted.status, 201);
        assert.equal(budgeted.body.budgetUsd, '2.50');
        const badBudget = await tasks.call('dev', 'POST', '', { agent: 'claude', prompt: 'x', budgetUsd: 'lots' });
        assert.equal(badBudget.status, 400);
        assert.match(badBudget.body.error, /budgetUsd \(USD\) must be a non-negative decimal/);
        const notAnAmount = await tasks.call('bot', 'POST', '', { agent: 'claude', prompt: 'x', budgetUsd: [1] });
        assert.equal(notAnAmount.status, 400);
        assert.match(notAnAmount.body.error, /"budgetUsd" must be an amount in USD/);
    });

    it('holds a person to their task rate, saying when to try again', async () => {
        for (let i = 0; i < 3; i++) {
            assert.equal((await tasks.call('dev', 'POST', '', { agent: 'kimi', prompt: `task ${i}` })).status, 201);
        }
        const refused = await tasks.call('dev', 'POST', '', { agent: 'kimi', prompt: 'one too many' });
        assert.equal(refused.status, 429);
        assert.match(refused.body.error, /Dev has submitted 3 tasks in the last minute.*try again in \d+ s/);
    });
});

describe('WorkflowsHttpEndpoint', function () {
    this.timeout(60_000);
    let api: JsonApiTestServer;
    beforeEach(async () => {
        api = await startJsonApiTestServer({
            endpoint: WorkflowsHttpEndpoint, basePath: WORKFLOWS_HTTP_PATH, principals, prefix: 'workflows-http-',
            prepareWorkspace: dir => {
                fs.mkdirSync(path.join(dir, '.coditect', 'workflows'), { recursive: true });
                fs.writeFileSync(path.join(dir, '.coditect', 'workflows', 'pair.md'), pairWorkflow);
            },
        });
    });
    afterEach(() => api.close());

    it('lists the workflows and starts a run in the caller\'s name; refuses an unknown one and input that is not text', async () => {
        const listed = await api.call('dev', 'GET', '');
        assert.deepEqual(listed.body.workflows.map((w: { name: string }) => w.name), ['pair']);
        assert.deepEqual(listed.body.runs, []);
        const run = await api.call('dev', 'POST', '/pair/runs', { input: 'src/x.ts' });
        assert.equal(run.status, 201);
        assert.deepEqual([run.body.name, run.body.input, run.body.startedBy], ['pair', 'src/x.ts', 'user:dev']);
        assert.equal(api.core.orchestrator.listTasks('claude')[0].prompt.startsWith('write src/x.ts'), true);
        assert.equal((await api.call('dev', 'GET', '')).body.runs.length, 1);

        const unknown = await api.call('dev', 'POST', '/nope/runs', {});
        assert.equal(unknown.status, 404);
        assert.match(unknown.body.error, /There is no workflow "nope".*workflows: pair/);
        const badInput = await api.call('dev', 'POST', '/pair/runs', { input: 42 });
        assert.equal(badInput.status, 400);
        assert.match(badInput.body.error, /"input" must be text/);
    });
});

describe('BusHttpEndpoint: following a topic', function () {
    this.timeout(60_000);
    let api: JsonApiTestServer;
    beforeEach(async () => {
        api = await startJsonApiTestServer({ endpoint: BusHttpEndpoint, basePath: BUS_HTTP_PATH, principals, prefix: 'bus-http-' });
    });
    afterEach(() => api.close());

    it('gives the messages after an id on a topic or under a prefix, oldest first, whatever came between on other topics', async () => {
        const sent: number[] = [];
        for (const topic of ['build/web', 'reviews', 'build/api', 'reviews', 'builds']) {
            sent.push((await api.call('dev', 'POST', '/messages', { topic, text: `on ${topic}` })).body.id);
        }
        const texts = (answer: { body: { messages: { text: string }[] } }) => answer.body.messages.map(m => m.text);
        assert.deepEqual(texts(await api.call('dev', 'GET', '/messages?topic=build/*&after=0')), ['on build/web', 'on build/api']);
        assert.deepEqual(texts(await api.call('dev', 'GET', `/messages?topic=reviews&after=${sent[1]}`)), ['on reviews']);
        assert.deepEqual(texts(await api.call('dev', 'GET', `/messages?topic=*&after=${sent[3]}`)), ['on builds']);
        assert.deepEqual(texts(await api.call('dev', 'GET', '/messages?topic=reviews&limit=1')), ['on reviews'], 'the latest, without after');
        assert.deepEqual(texts(await api.call('dev', 'GET', `/messages?after=${sent[4]}`)), []);
        const bad = await api.call('dev', 'GET', '/messages?topic=bad topic');
        assert.equal(bad.status, 400);
        assert.match(bad.body.error, /is not a topic to follow/);
        assert.equal((await api.call('dev', 'GET', '/messages?after=-1')).status, 400);
    });
});
