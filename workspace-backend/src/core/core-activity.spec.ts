import * as assert from 'node:assert/strict';
import { waitForValue } from '../common/test-support/wait-for-value';
import { call, finish, OrchestratorHarness as Harness } from './test-support/orchestrator-harness';

describe('the workspace\'s activity: what keeps it awake for the fleet\'s auto-sleep', function () {
    this.timeout(60_000);
    let h: Harness;
    beforeEach(() => {
        h = new Harness();
    });
    afterEach(async () => {
        await h.dispose();
    });

    it('a running agent keeps it working; once its task ends it is not, and the end is its last activity', async () => {
        const core = await h.start();
        const idle = core.activity!.report();
        assert.deepEqual([idle.runningTasks, idle.queuedTasks, idle.working, idle.pausedByBudget], [0, 0, false, []]);

        h.scripts.set('take a while', () => [{ delayMs: 1500, ...call('list_files', {}) }, finish('looked')]);
        const task = h.orchestrator.submitTask('gemini', { prompt: 'take a while' });
        const busy = await waitForValue('the task running', () => {
            const report = core.activity!.report();
            return report.runningTasks === 1 && report;
        }, 20_000);
        assert.equal(busy.working, true);
        assert.ok(busy.lastActivityAt >= idle.lastActivityAt);

        await h.done(task);
        const after = core.activity!.report();
        assert.deepEqual([after.runningTasks, after.queuedTasks, after.working], [0, 0, false]);
        assert.ok(after.lastActivityAt >= h.orchestrator.getTask(task.id)!.finishedAt!, 'its end counts as activity');
    });

    it('an agent a used-up budget holds keeps nothing awake: its open task waits', async () => {
        const core = await h.start();
        // Claude Sonnet: 400,000 output tokens at $15 a million is $6, past a $5 daily budget.
        h.scripts.set('spend', () => [{ usage: { inputTokens: 10, outputTokens: 400_000 }, toolCalls: [{ name: 'list_files', arguments: {} }] }, finish('never reached')]);
        core.costs.setBudget({ scope: 'agent', agentId: 'claude', period: 'day' }, 5, 'Ada');
        h.orchestrator.submitTask('claude', { prompt: 'spend' });
        const held = await waitForValue('claude held by its budget', () => {
            const report = core.activity!.report();
            return report.pausedByBudget.includes('claude') && report;
        }, 20_000);
        assert.equal(held.runningTasks + held.queuedTasks, 1, 'its task is still open');
        assert.equal(held.working, false);
    });
});
