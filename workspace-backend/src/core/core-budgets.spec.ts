import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from './workspace-core';
import { waitForValue } from '../common/test-support/wait-for-value';
import type { OrchestratorEvent } from '../orchestrator/orchestrator-types';
import { ScriptedTurnSpec, scriptedProviderFactory } from '../orchestrator/test-support/scripted-provider-factory';
import type { BudgetEvent } from '../costs/cost-types';

/** $3 of claude-sonnet-4-5 output (200,000 tokens at $15 per million; prompts stay under the long-context price). */
const threeDollars = { outputTokens: 200_000 };

describe('budgets in the workspace core', function () {
    this.timeout(30_000);

    describe('the pause-after-step cycle with a scripted agent (real orchestrator)', () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'budgets-'));
        let core: WorkspaceCore | undefined;
        after(async () => {
            await core?.stop();
            delete process.env.STUDIO_REPLICA_URL;
            fs.rmSync(root, { recursive: true, force: true });
        });

        it('pauses Claude after the step that used its budget up (its tool calls done, no further model call), and raising the budget resumes it to finish', async () => {
            process.env.STUDIO_REPLICA_URL = 'off';
            const ws = path.join(root, 'ws');
            fs.mkdirSync(ws, { recursive: true });
            fs.writeFileSync(path.join(ws, 'notes.md'), 'hello\n');
            const script: ScriptedTurnSpec[] = [
                { text: 'Looking around.', toolCalls: [{ name: 'list_files', arguments: { path: '' } }], usage: threeDollars },
                { text: 'Reading.', toolCalls: [{ name: 'read_file', arguments: { path: 'notes.md' } }, { name: 'list_files', arguments: { path: '' } }], usage: threeDollars },
                { toolCalls: [{ name: 'finish', arguments: { summary: 'read the notes' } }], usage: { inputTokens: 1000, outputTokens: 10 } },
            ];
            core = new WorkspaceCore({ workspaceDir: ws, dataDir: path.join(root, 'data') }, {
                orchestrator: { providerFactory: scriptedProviderFactory(() => script), restartBackoff: { initialMs: 50, maxMs: 200 }, cancelGraceMs: 2000 },
            });
            await core.start();
            const orchestrator = core.orchestrator;
            const events: OrchestratorEvent[] = [];
            const budgetEvents: BudgetEvent[] = [];
            orchestrator.onEvent(e => events.push(e));
            core.costs.onBudgetEvent(e => budgetEvents.push(e));
            core.costs.setBudget({ scope: 'agent', agentId: 'claude', period: 'day' }, 5, 'Ada');

            const task = orchestrator.submitTask('claude', { prompt: 'read the notes', title: 'Read the notes' });
            await waitForValue('claude paused by its budget', () => orchestrator.getAgent('claude')!.state === 'paused', 20_000, 10);
            const claude = orchestrator.getAgent('claude')!;
            assert.equal(claude.state, 'paused');
            const pause = orchestrator.transitions('claude').pop()!;
            assert.equal(pause.reason, 'paused (budget): Claude\'s daily budget is used up ($6.00 of $5.00)');
            assert.deepEqual(budgetEvents.map(e => `${e.kind}${e.threshold ? ` ${e.threshold}` : ''}`), ['changed', 'warning 50', 'exceeded 100']);
            assert.deepEqual([budgetEvents[2].agentIds, budgetEvents[2].taskId], [['claude'], task.id]);
            // The step that crossed the budget finished: both its tool calls ran; no third model turn was asked for.
            const finished = events.filter(e => e.type === 'tool-call' && e.phase === 'finished') as Extract<OrchestratorEvent, { type: 'tool-call' }>[];
            assert.deepEqual(finished.map(e => `${e.step}:${e.call.name}`), ['1:list_files', '2:read_file', '2:list_files']);
            assert.equal(events.filter(e => e.type === 'usage').length, 2);
            // The task waits, re-queued with its attempt not spent.
            const waiting = orchestrator.getTask(task.id)!;
            assert.deepEqual([waiting.status, waiting.attempts], ['queued', 0]);
            const status = core.costs.budgetStatuses()[0];
            assert.deepEqual([status.level, status.pausedAgents], ['exceeded', ['claude']]);
            assert.ok(core.costs.dashboard('today').byAgent.find(a => a.agentId === 'claude')!.pausedForBudget);

            core.costs.setBudget({ scope: 'agent', agentId: 'claude', period: 'day' }, 20, 'Ada');
            const done = await orchestrator.waitForTask(task.id);
            assert.equal(done.status, 'done');
            assert.equal(done.result?.summary, 'read the notes');
            await core.costs.caughtUp();
            assert.ok(orchestrator.transitions('claude').some(t => t.from === 'paused' && t.to === 'idle' && t.reason === 'resumed (budget): Claude\'s daily budget was raised to $20.00'));
            assert.deepEqual(budgetEvents.slice(3).map(e => `${e.kind}${e.threshold ? ` ${e.threshold}` : ''}`), ['changed', 'resumed', 'warning 50']);
            // $6 before the pause, $6 and the finish turn after: every turn is in the ledger.
            assert.equal(core.costs.budgetStatuses()[0].spentPico, String(12n * 10n ** 12n + 1000n * 3_000_000n + 10n * 15_000_000n));
            assert.equal(orchestrator.getAgent('claude')!.state, 'idle');
        });

        it('brings an agent its budget paused back up paused after a restart, before it takes a step; raising the budget lets it work again', async () => {
            await core?.stop();
            process.env.STUDIO_REPLICA_URL = 'off';
            const ws = path.join(root, 'ws-restart');
            const data = path.join(root, 'data-restart');
            fs.mkdirSync(ws, { recursive: true });
            let dispatched = 0;
            const factory = scriptedProviderFactory(() => {
                dispatched++;
                return [
                    { text: 'Spending.', toolCalls: [{ name: 'list_files', arguments: { path: '' } }], usage: threeDollars },
                    { toolCalls: [{ name: 'finish', arguments: { summary: 'spent' } }], usage: threeDollars },
                ];
            });
            const options = { orchestrator: { providerFactory: factory, restartBackoff: { initialMs: 50, maxMs: 200 }, cancelGraceMs: 2000 } };
            core = new WorkspaceCore({ workspaceDir: ws, dataDir: data }, options);
            await core.start();
            core.costs.setBudget({ scope: 'agent', agentId: 'claude', period: 'day' }, 2, 'Ada');
            const first = core.orchestrator.submitTask('claude', { prompt: 'spend', title: 'Spend' });
            const second = core.orchestrator.submitTask('claude', { prompt: 'spend more', title: 'Spend more' });
            const orchestrator = core.orchestrator;
            await waitForValue('claude paused by its budget', () => orchestrator.getAgent('claude')!.state === 'paused', 20_000, 10);
            assert.equal(core.orchestrator.getAgent('claude')!.state, 'paused');
            assert.equal(dispatched, 1);
            await core.stop();

            core = new WorkspaceCore({ workspaceDir: ws, dataDir: data }, options);
            await core.start();
            const claude = core.orchestrator.getAgent('claude')!;
            assert.equal(claude.state, 'paused', 'held from the start, not paused after a step');
            assert.equal(core.orchestrator.transitions('claude').pop()!.reason, 'paused (budget): Claude\'s daily budget is used up ($3.00 of $2.00)');
            await new Promise(resolve => setTimeout(resolve, 500));
            assert.equal(dispatched, 1, 'no task was dispatched to the held agent');
            assert.deepEqual([first.id, second.id].map(id => core!.orchestrator.getTask(id)!.status), ['queued', 'queued']);
            assert.deepEqual(core.costs.budgetStatuses()[0].pausedAgents, ['claude']);

            core.costs.setBudget({ scope: 'agent', agentId: 'claude', period: 'day' }, 100, 'Ada');
            assert.equal((await core.orchestrator.waitForTask(first.id)).status, 'done');
            assert.equal((await core.orchestrator.waitForTask(second.id)).status, 'done');
        });
    });
});
