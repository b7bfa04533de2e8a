import * as assert from 'node:assert/strict';
import { CostsHarness } from './cost-test-support';
import type { BudgetEvent } from './cost-types';

/** $3 of claude-sonnet-4-5 output (200,000 tokens at $15 per million; prompts stay under the long-context price). */
const threeDollars = { outputTokens: 200_000 };

describe('budgets', function () {
    this.timeout(30_000);

    describe('thresholds, pauses and resumes (recorded agents)', () => {
        let h: CostsHarness;
        let events: BudgetEvent[];
        beforeEach(() => {
            h = new CostsHarness();
            events = [];
        });
        afterEach(async () => {
            await h.dispose();
        });
        const spend = (agentId: string, taskId: number, usage = threeDollars) => {
            h.usage(agentId, taskId, 'claude-sonnet-4-5', usage);
            h.agents.usageRecorded();
        };
        const kinds = () => events.map(e => `${e.kind}${e.threshold ? ` ${e.threshold}` : ''}`);

        it('warns once at 50, 75 and 90% (the highest crossed), pauses at 100%, and resumes when raised', () => {
            const costs = h.start();
            costs.onBudgetEvent(e => events.push(e));
            costs.setBudget({ scope: 'agent', agentId: 'claude', period: 'day' }, '10', 'Ada');
            spend('claude', 1, { outputTokens: 340_000 }); // $5.10: 51%
            spend('claude', 1, { outputTokens: 20_000 }); // $5.40: nothing new
            spend('claude', 2, { outputTokens: 200_000 }); // $8.40: 84%
            spend('claude', 2, { outputTokens: 40_000 }); // $9.00: 90%
            spend('gemini', 3); // another agent's spend: not Claude's budget
            assert.deepEqual(kinds(), ['changed', 'warning 50', 'warning 75', 'warning 90']);
            assert.equal(events[1].message, 'Claude\'s daily budget: 50% used ($5.10 of $10.00).');
            assert.deepEqual([events[1].taskId, events[1].spentPico, events[1].limitPico], [1, '5100000000000', '10000000000000']);
            assert.deepEqual(h.agents.calls, []);

            spend('claude', 2, { outputTokens: 80_000 }); // $10.20
            assert.deepEqual(kinds().slice(4), ['exceeded 100']);
            assert.deepEqual(events[4].agentIds, ['claude']);
            assert.equal(events[4].message, 'Claude\'s daily budget is used up ($10.20 of $10.00): Claude pauses after its current step.');
            assert.deepEqual(h.agents.calls, ['pause claude: paused (budget): Claude\'s daily budget is used up ($10.20 of $10.00)']);
            const status = costs.budgetStatuses()[0];
            assert.deepEqual([status.level, status.percent, status.pausedAgents, status.label], ['exceeded', 102, ['claude'], 'Claude, daily']);

            costs.setBudget({ scope: 'agent', agentId: 'claude', period: 'day' }, 20, 'Ada');
            assert.deepEqual(kinds().slice(5), ['changed', 'resumed', 'warning 50']);
            assert.equal(events[6].message, 'Claude resumes: Claude\'s daily budget was raised to $20.00.');
            assert.deepEqual(h.agents.calls.slice(1), ['resume claude: resumed (budget): Claude\'s daily budget was raised to $20.00']);
            assert.equal(costs.budgetStatuses()[0].level, 'warning');
        });

        it('a workspace budget pauses every agent; the next month resumes them; a restart repeats nothing', async () => {
            h.clock = Date.parse('2026-11-30T22:00:00Z');
            let costs = h.start();
            costs.onBudgetEvent(e => events.push(e));
            costs.setBudget({ scope: 'workspace', period: 'month' }, 5, 'Ada');
            spend('claude', 1);
            spend('gemini', 2);
            assert.deepEqual(kinds(), ['changed', 'warning 50', 'exceeded 100']);
            assert.deepEqual(events[2].agentIds, ['claude', 'gemini', 'codex', 'kimi']);
            assert.deepEqual(h.agents.agents.map(a => a.state), ['paused', 'paused', 'paused', 'paused']);
            assert.match(h.agents.calls[0], /^pause claude: paused \(budget\): The workspace's monthly budget is used up \(\$6\.00 of \$5\.00\)$/);

            // A restart: the budget still holds them, and nothing is announced again.
            costs.dispose();
            costs = h.start();
            costs.onBudgetEvent(e => events.push(e));
            assert.equal(events.length, 3);

            h.clock = Date.parse('2026-12-01T00:00:05Z');
            costs.budgets.evaluate({ kind: 'rollover' });
            assert.deepEqual(kinds().slice(3), ['resumed']);
            assert.deepEqual(events[3].agentIds, ['claude', 'gemini', 'codex', 'kimi']);
            assert.equal(events[3].message, 'Claude, Gemini, Codex, Kimi resume: the workspace\'s monthly budget has a new month.');
            assert.deepEqual(h.agents.agents.map(a => a.state), ['idle', 'idle', 'idle', 'idle']);
            assert.equal(costs.budgetStatuses()[0].spentPico, '0');
        });

        it('removing a budget resumes what it paused; bad budgets are refused with what to do', () => {
            const costs = h.start();
            costs.onBudgetEvent(e => events.push(e));
            costs.setBudget({ scope: 'agent', agentId: 'kimi', period: 'month' }, '1.50', 'Ada');
            spend('kimi', 9);
            assert.equal(h.agents.agents.find(a => a.id === 'kimi')!.state, 'paused');
            costs.removeBudget({ scope: 'agent', agentId: 'kimi', period: 'month' }, 'Ada');
            assert.deepEqual(kinds(), ['changed', 'exceeded 100', 'removed', 'resumed']);
            assert.equal(events[3].message, 'Kimi resumes: Kimi\'s monthly budget was removed.');
            assert.throws(() => costs.setBudget({ scope: 'agent', agentId: 'nobody', period: 'day' }, 1, 'Ada'), /There is no agent "nobody"; agents: claude, gemini, codex, kimi\./);
            assert.throws(() => costs.setBudget({ scope: 'workspace', period: 'day' }, 0, 'Ada'), /more than \$0; to lift a budget, remove it/);
            assert.throws(() => costs.setBudget({ scope: 'workspace', period: 'day' }, '-3', 'Ada'), /must be a non-negative decimal/);
            assert.throws(() => costs.setBudget({ scope: 'workspace', period: 'week' as 'day' }, 1, 'Ada'), /"day" or "month", not "week"/);
            assert.throws(() => costs.setBudget({ scope: 'workspace', period: 'day' }, 2_000_000, 'Ada'), /at most \$1,000,000\.00/);
            assert.throws(() => costs.removeBudget({ scope: 'workspace', period: 'day' }, 'Ada'), /Workspace has no budget to remove/);
        });

        it('does not count uncosted tokens against a budget, and says they exist', () => {
            const costs = h.start();
            costs.setBudget({ scope: 'workspace', period: 'day' }, 1, 'Ada');
            h.usage('codex', 1, 'mystery-model', { inputTokens: 50_000_000 });
            h.agents.usageRecorded();
            const status = costs.budgetStatuses()[0];
            assert.deepEqual([status.spentPico, status.uncostedTokens, status.level], ['0', 50_000_000, 'ok']);
            assert.deepEqual(h.agents.calls, []);
        });
    });
});
