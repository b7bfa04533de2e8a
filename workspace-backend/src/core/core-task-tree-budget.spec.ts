import * as assert from 'node:assert/strict';
import { waitForValue } from '../common/test-support/wait-for-value';
import { call, finish, OrchestratorHarness as Harness } from './test-support/orchestrator-harness';

describe('a budget for a task and the tasks it delegates', function () {
    this.timeout(60_000);
    let h: Harness;
    beforeEach(() => {
        h = new Harness();
    });
    afterEach(async () => {
        await h.dispose();
    });

    it('cancels the whole tree, with the reason, once its tasks together spend the root\'s budget; the step that crossed it is paid for', async () => {
        await h.start();
        h.scripts.set('lead', () => [
            call('delegate', { tasks: [{ agent: 'gemini', prompt: 'spend' }, { agent: 'codex', prompt: 'take your time' }] }),
            finish('never reached'),
        ]);
        // Gemini 2.5 Pro: 20,000 output tokens at $10 a million is $0.20, twice the tree's budget.
        h.scripts.set('spend', () => [
            { usage: { inputTokens: 10, outputTokens: 20_000 }, toolCalls: [{ name: 'list_files', arguments: {} }] },
            { delayMs: 20_000, ...finish('never reached') },
        ]);
        h.scripts.set('take your time', () => [{ delayMs: 20_000, ...finish('never reached') }]);

        const root = h.orchestrator.submitTask('claude', { prompt: 'lead', budgetUsd: '0.10' });
        assert.equal(root.budgetUsd, '0.10');
        const ended = await h.done(root, 30_000);
        assert.equal(ended.status, 'cancelled');
        assert.match(ended.result?.error ?? '', /^the budget of \$0\.1000 for task #\d+ and the tasks it delegated is used up \(\$0\.2\d+ spent by 3 tasks\); give it again with a larger budget/);
        const children = await waitForValue('the delegated tasks to end', () => {
            const tree = h.orchestrator.taskTree(root.id)!;
            const tasks = tree.taskIds.filter(id => id !== root.id).map(id => h.orchestrator.getTask(id)!);
            return tasks.length === 2 && tasks.every(t => t.status !== 'queued' && t.status !== 'running') && tasks;
        }, 30_000);
        assert.deepEqual(children.map(t => [t.agentId, t.status]).sort(), [['codex', 'cancelled'], ['gemini', 'cancelled']]);
        assert.ok(children.every(t => /budget of \$0\.1000/.test(t.result?.error ?? '')), JSON.stringify(children.map(t => t.result)));
        await h.core.costs.caughtUp();
        const spent = h.core.costs.dashboard('today').byAgent.find(a => a.agentId === 'gemini')!;
        assert.ok(BigInt(spent.costPico) >= 200_000_000_000n, 'the step that crossed the budget is in the ledger');
    });

    it('leaves a tree under its budget alone, and refuses a budget that is not an amount, queuing nothing', async () => {
        await h.start();
        h.scripts.set('small', () => [finish('done cheaply')]);
        const cheap = h.orchestrator.submitTask('kimi', { prompt: 'small', budgetUsd: 5 });
        assert.equal((await h.done(cheap)).status, 'done');
        assert.equal(h.orchestrator.getTask(cheap.id)!.budgetUsd, '5.00');

        assert.throws(() => h.orchestrator.submitTask('kimi', { prompt: 'small', budgetUsd: 'lots' }), /budgetUsd \(USD\) must be a non-negative decimal number such as 3 or 0\.125, not "lots"/);
        assert.throws(() => h.orchestrator.submitTask('kimi', { prompt: 'small', budgetUsd: 0 }), /budgetUsd must be more than 0/);
        assert.equal(h.orchestrator.listTasks('kimi').length, 1, 'nothing was queued by a refused request');
    });
});
