import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CostCalendar } from './cost-calendar';
import { CostsHarness } from './cost-test-support';

describe('cost ledger', function () {
    this.timeout(30_000);

    describe('on its own database', () => {
        let h: CostsHarness;
        beforeEach(() => {
            h = new CostsHarness();
        });
        afterEach(async () => {
            await h.dispose();
        });

        it('prices usage recorded before it started, then each new row live; a second catch-up adds nothing', async () => {
            for (let i = 0; i < 12_000; i++) {
                h.usage(i % 2 ? 'claude' : 'gemini', 1 + (i % 8), i % 2 ? 'claude-sonnet-4-5' : 'gemini-2.5-pro', { inputTokens: 100, outputTokens: 10, cacheReadTokens: i % 7 }, h.clock - 12_000 + i);
            }
            const costs = h.start();
            assert.ok(costs.ledger.backlog() > 0, 'a large backlog is priced in the background');
            assert.match(costs.dashboard().notices.join(' '), /Still pricing \d+ usage rows/);
            await costs.caughtUp();
            assert.equal(costs.ledger.backlog(), 0);
            const live: number[] = [];
            costs.onCostRecorded(r => live.push(r.usageId));
            h.usage('codex', 99, 'gpt-5-codex', { inputTokens: 1000, outputTokens: 100 });
            h.agents.usageRecorded();
            assert.deepEqual(live, [12_001]);
            h.agents.usageRecorded();
            assert.deepEqual(live, [12_001]);
            const raw = h.db.get<{ n: number; tokens: number }>('SELECT count(*) AS n, sum(input_tokens + output_tokens + cache_read_tokens) AS tokens FROM token_usage')!;
            const d = costs.dashboard('today');
            assert.deepEqual([d.today.entries, d.today.tokens], [raw.n, raw.tokens]);
            assert.equal(d.topTasks.reduce((sum, t) => sum + t.steps, 0), raw.n, 'every task is in the per-task rollup');
            // The rollups equal a plain aggregate of the entries.
            const direct = h.db.get<{ cost: string }>('SELECT CAST(sum(cost_pico) AS TEXT) AS cost FROM cost_ledger')!;
            assert.equal(d.today.costPico, direct.cost);
            assert.equal(d.byAgent.reduce((sum, a) => sum + BigInt(a.costPico), 0n), BigInt(direct.cost));
        });

        it('counts the tokens of a model without a price as uncosted, never as $0, and prices them once a price arrives', () => {
            const costs = h.start();
            h.usage('kimi', 7, 'kimi-k2.6', { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 300 });
            h.usage('kimi', 7, 'kimi-k2-0905-preview', { inputTokens: 1000, outputTokens: 200 });
            h.agents.usageRecorded();
            let d = costs.dashboard('today');
            const uncosted = d.byModel.find(m => m.model === 'kimi-k2.6')!;
            assert.deepEqual([uncosted.priced, uncosted.costPico, uncosted.uncostedTokens, uncosted.tokens], [false, '0', 1500, 1500]);
            assert.equal(d.today.uncostedTokens, 1500);
            assert.equal(h.db.get<{ c: number | null }>('SELECT cost_pico AS c FROM cost_ledger WHERE model = \'kimi-k2.6\'')!.c, null);
            assert.equal(costs.priceList().models.find(m => m.model === 'kimi-k2.6')?.current, undefined);

            fs.mkdirSync(path.join(h.ws, '.coditect'), { recursive: true });
            fs.writeFileSync(path.join(h.ws, '.coditect/prices.json'), JSON.stringify({ models: { 'kimi-k2.6': { input: 0.6, output: 2.5, cacheRead: 0.1 } } }));
            costs.priceFile.refresh();
            d = costs.dashboard('today');
            const priced = d.byModel.find(m => m.model === 'kimi-k2.6')!;
            assert.deepEqual([priced.priced, priced.priceSource, priced.uncostedTokens], [true, 'file', 0]);
            assert.equal(BigInt(priced.costPico), 1000n * 600_000n + 200n * 2_500_000n + 300n * 100_000n);
            assert.equal(d.today.uncostedTokens, 0);
            assert.equal(costs.priceList().models.find(m => m.model === 'kimi-k2.6')?.current?.source, 'file');
        });

        it('prices each entry at the price of its own time, and reprices when a dated price is added', () => {
            const costs = h.start();
            const morning = Date.parse('2026-11-21T08:00:00Z');
            const evening = Date.parse('2026-11-21T20:00:00Z');
            h.usage('codex', 1, 'gpt-5-codex', { inputTokens: 1_000_000 }, morning);
            h.usage('codex', 2, 'gpt-5-codex', { inputTokens: 1_000_000 }, evening);
            h.agents.usageRecorded();
            const cost = (taskId: number) => h.db.get<{ c: number }>('SELECT cost_pico AS c FROM cost_ledger WHERE task_id = ?', taskId)!.c;
            assert.deepEqual([cost(1), cost(2)], [1.25e12, 1.25e12]);
            costs.setPriceOverrides({ 'gpt-5-codex': { from: '2026-11-21T12:00:00Z', input: 1, output: 8 } }, 'admin');
            assert.deepEqual([cost(1), cost(2)], [1.25e12, 1e12]);
            assert.equal(costs.dashboard('today').today.costPico, String(2.25e12));
            // Kept in metrics.db: a new start (no browser connected) prices with them.
            costs.dispose();
            const again = h.start();
            assert.equal(again.priceList().overrides.updatedBy, 'admin');
            assert.equal(again.prices.priceAt('gpt-5-codex', evening)?.source, 'preference');
            assert.throws(() => again.setPriceOverrides({ 'gpt-5-codex': { input: 'cheap' } }, 'admin'), /coditect\.costs\.priceOverrides\.gpt-5-codex\.input .*not "cheap"/);
        });

        it('moves every entry to its day in a new cost time zone when the zone changes', () => {
            h.clock = Date.parse('2026-11-21T23:30:00Z');
            let costs = h.start();
            h.usage('claude', 1, 'claude-sonnet-4-5', { outputTokens: 1000 });
            h.agents.usageRecorded();
            assert.equal(costs.dashboard('today').today.entries, 1);
            costs.dispose();
            // 23:30 UTC on the 21st is 00:30 on the 22nd in Berlin: after the restart it belongs to the 22nd.
            costs = h.start({ calendar: new CostCalendar('Europe/Berlin') });
            assert.equal(h.db.get<{ day: number }>('SELECT day FROM cost_ledger')!.day, 20261122);
            assert.deepEqual(h.db.all('SELECT day, entries FROM cost_daily'), [{ day: 20261122, entries: 1 }]);
            assert.equal(costs.dashboard('today').today.entries, 1);
            assert.equal(costs.dashboard('today').timeZone, 'Europe/Berlin');
        });

        it('exports the range as CSV whose costs sum to the dashboard\'s total, with uncosted entries marked', async () => {
            const costs = h.start();
            h.usage('claude', 3, 'claude-sonnet-4-5', { inputTokens: 20, cacheWriteTokens: 2100, outputTokens: 40 });
            h.usage('gemini', 4, 'no-such-model', { inputTokens: 5 });
            h.usage('gemini', 4, '=cmd|calc', { inputTokens: 5 });
            h.agents.usageRecorded();
            let csv = '';
            const lines = await costs.exportCsv('month', async chunk => {
                csv += chunk;
            });
            const rows = csv.trim().split('\r\n');
            assert.equal(lines, 3);
            assert.match(rows[0], /^time_utc,day,kind,agent_id,agent_name,task_id,provider,model,input_tokens/);
            assert.match(rows[1], /,model,claude,Claude,3,test,claude-sonnet-4-5,20,0,2100,40,0,2160,0\.008535,claude-sonnet-4-5,default$/);
            assert.match(rows[2], /,no-such-model,5,0,0,0,0,5,,uncosted,$/);
            assert.match(rows[3], /,'=cmd\|calc,/, 'a formula-like name is defused');
        });
    });
});
