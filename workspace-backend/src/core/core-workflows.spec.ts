import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForValue } from '../common/test-support/wait-for-value';
import { personPrincipal } from '../policy';
import { finish, OrchestratorHarness as Harness } from './test-support/orchestrator-harness';

const admin = personPrincipal({ id: 'user:ada', displayName: 'Ada', role: 'admin' });

describe('Orchestrator: workflows', function () {
    this.timeout(30_000);
    let h: Harness;
    beforeEach(() => {
        h = new Harness();
    });
    afterEach(async () => {
        await h.dispose();
    });

    const writeWorkflow = (name: string, steps: string[]) => {
        fs.mkdirSync(path.join(h.ws, '.coditect', 'workflows'), { recursive: true });
        fs.writeFileSync(path.join(h.ws, '.coditect', 'workflows', `${name}.md`), `---\ndescription: ${name} for the spec\nsteps:\n${steps.join('\n')}\n---\n`);
    };
    const workflowEvents = (runId: number) => h.events.flatMap(e => e.type === 'workflow' && e.run.id === runId ? [e.run] : []);
    const split = [
        '  - { id: plan, agent: claude, prompt: "plan {{input}}" }',
        '  - { id: server, agent: gemini, prompt: server part }',
        '  - { id: client, agent: codex, prompt: client part, after: [plan] }',
        '  - { id: join, agent: claude, prompt: join the parts, after: [server, client] }',
    ];

    it('runs the steps in order, the ones after the same step in parallel, each given what the steps before it reported', async () => {
        await h.start();
        writeWorkflow('split', split);
        h.scripts.set('plan cart', () => [finish('plan: server then client')]);
        h.scripts.set('server part', () => [{ delayMs: 400, ...finish('server done') }]);
        h.scripts.set('client part', () => [{ delayMs: 400, ...finish('client done') }]);
        h.scripts.set('join the parts', () => [{ echoPrompt: true, ...finish('joined') }]);
        const run = h.orchestrator.startWorkflow(admin, 'split', 'cart');
        assert.deepEqual(run.steps.map(s => [s.id, s.status]), [['plan', 'running'], ['server', 'waiting'], ['client', 'waiting'], ['join', 'waiting']]);
        const ended = await waitForValue('the run to end', () => workflowEvents(run.id).find(r => r.status !== 'running'), 20_000);
        assert.equal(ended.status, 'done', ended.error);
        const tasks = new Map(ended.steps.map(s => [s.id, h.orchestrator.getTask(s.taskId!)!]));
        const [server, client] = [tasks.get('server')!, tasks.get('client')!];
        assert.ok(server.startedAt! < client.finishedAt! && client.startedAt! < server.finishedAt!, 'server and client ran at the same time');
        assert.equal(tasks.get('join')!.parentTaskId, server.id, 'a step sits under the first step it follows');
        assert.deepEqual(tasks.get('plan')!.workflow, { runId: run.id, name: 'split', step: 'plan' });
        assert.equal(tasks.get('join')!.title, `split #${run.id} · join: cart`);
        assert.equal(tasks.get('join')!.submittedBy, 'user:ada', 'the steps are the person\'s tasks');
        const turn = h.events.find(e => e.type === 'model-turn' && e.taskId === tasks.get('join')!.id);
        assert.match(turn?.type === 'model-turn' ? turn.text : '', /step "join" of workflow "split", run #\d+, for: cart\. The steps it follows reported:\n- server: server done\n- client: client done/);
        assert.deepEqual(h.orchestrator.workflows.list().map(r => [r.id, r.status]), [[run.id, 'done']]);
    });

    it('fails the run when a step is cancelled, cancelling the steps still going; refuses an unknown workflow or agent with what to fix', async () => {
        await h.start();
        writeWorkflow('split', split);
        h.scripts.set('plan cart', () => [finish('planned')]);
        h.scripts.set('server part', () => [{ delayMs: 20_000, ...finish('never') }]);
        h.scripts.set('client part', () => [{ delayMs: 20_000, ...finish('never') }]);
        const run = h.orchestrator.startWorkflow(admin, 'split', 'cart');
        const client = await waitForValue('the client step running', () => h.orchestrator.workflows.get(run.id)!.steps.find(s => s.id === 'client' && s.status === 'running'), 10_000);
        h.orchestrator.cancelTask(client.taskId!, 'not needed');
        const ended = await waitForValue('the run to fail', () => workflowEvents(run.id).find(r => r.status !== 'running'), 10_000);
        assert.equal(ended.status, 'failed');
        assert.match(ended.error!, /^Step "client" \(codex, task #\d+\) cancelled: not needed/);
        const server = ended.steps.find(s => s.id === 'server')!;
        assert.equal((await h.done(h.orchestrator.getTask(server.taskId!)!)).status, 'cancelled');
        assert.equal(h.orchestrator.workflows.get(run.id)!.steps.find(s => s.id === 'join')!.status, 'waiting');

        assert.throws(() => h.orchestrator.startWorkflow(admin, 'nope', ''), /There is no workflow "nope" in \.coditect\/workflows; workflows: split\./);
        writeWorkflow('ghost', ['  - { id: a, agent: ghost, prompt: boo }']);
        assert.throws(() => h.orchestrator.startWorkflow(admin, 'ghost', ''), /step "a" names the agent "ghost", which this workspace does not have \(agents: .*claude.*\)/);
    });

    it('goes on after a restart from what its steps did, and a person can cancel it', async () => {
        await h.start();
        writeWorkflow('split', split);
        h.scripts.set('plan cart', () => [finish('planned')]);
        h.scripts.set('server part', () => [{ delayMs: 1500, ...finish('server done') }]);
        h.scripts.set('client part', () => [{ delayMs: 1500, ...finish('client done') }]);
        h.scripts.set('join the parts', () => [{ delayMs: 20_000, ...finish('never') }]);
        const run = h.orchestrator.startWorkflow(admin, 'split', 'cart');
        await waitForValue('server and client running', () => h.orchestrator.workflows.get(run.id)!.steps.filter(s => s.status === 'running').length === 2, 10_000);
        await h.core.stop();
        await h.start();
        const joining = await waitForValue('the join step running after the restart', () => h.orchestrator.workflows.get(run.id)!.steps.find(s => s.id === 'join' && s.status === 'running'), 20_000);
        assert.deepEqual(h.orchestrator.workflows.get(run.id)!.steps.map(s => s.status), ['done', 'done', 'done', 'running']);
        const cancelled = h.orchestrator.workflows.cancel(run.id, 'Ada changed her mind');
        assert.equal(cancelled.status, 'cancelled');
        assert.equal((await h.done(h.orchestrator.getTask(joining.taskId!)!)).status, 'cancelled');
        assert.throws(() => h.orchestrator.workflows.cancel(run.id), /has already ended \(cancelled\)/);
        assert.equal(h.orchestrator.listTasks('claude').filter(t => t.workflow?.step === 'join').length, 1, 'no step was queued twice');
    });
});
