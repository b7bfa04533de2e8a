import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DemoVendors, startDemoVendors } from '../core/demo-vendors';
import { WorkspaceCore } from '../core/workspace-core';
import { realProviderFactory } from '../orchestrator/provider-factory';
import type { Vendor } from '../providers/model-provider';
import { DemoEdits } from '../providers/testing/fixtures/demo-edits';
import { fixtureFor } from '../providers/testing/fixtures';
import type { FixtureStream } from '../providers/testing/fixture';
import { CostCalendar } from './cost-calendar';
import { CostsHarness } from './cost-test-support';
import type { LedgerEntryRow } from './ledger-repository';
import { PriceTable } from './price-table';
import { costOf } from './price-types';

const demoProject = path.resolve(__dirname, '../../../test/fixtures/demo-workspace');
type Raw = Record<string, unknown>;

/** The usage each vendor reported in each turn of its edit-conversation recording, as sent on the wire. */
function reportedUsage(vendor: Vendor): Raw[] {
    return fixtureFor(vendor, 'edit-conversation').turns.map(turn => {
        const events = (turn.response as FixtureStream).events;
        if (vendor === 'anthropic') {
            const start = (events.find(e => e.type === 'message_start')!.message as Raw).usage as Raw;
            const delta = events.filter(e => e.type === 'message_delta').pop()!.usage as Raw;
            return { ...start, output_tokens: delta.output_tokens };
        }
        if (vendor === 'google') {
            return events.filter(e => e.usageMetadata).pop()!.usageMetadata as Raw;
        }
        if (vendor === 'openai') {
            // The Responses API: usage arrives with response.completed.
            return (events.find(e => e.type === 'response.completed')!.response as Raw).usage as Raw;
        }
        return events.filter(e => e.usage).pop()!.usage as Raw;
    });
}

const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Each vendor's own accounting, checked against one ledger entry: every reported token is in the ledger once. */
function assertMatchesReport(vendor: Vendor, entry: LedgerEntryRow, raw: Raw): void {
    const where = `${vendor} usage ${entry.id}`;
    switch (vendor) {
        case 'anthropic':
            // input_tokens excludes the cache; both cache counts are reported beside it.
            assert.equal(entry.input, n(raw.input_tokens), where);
            assert.equal(entry.cacheRead, n(raw.cache_read_input_tokens), where);
            assert.equal(entry.cacheWrite, n(raw.cache_creation_input_tokens), where);
            assert.equal(entry.output, n(raw.output_tokens), where);
            break;
        case 'openai': {
            // Responses API: input_tokens includes cached and cache-write tokens; output_tokens includes reasoning.
            const details = raw.input_tokens_details as Raw;
            assert.equal(entry.input + entry.cacheRead + entry.cacheWrite, n(raw.input_tokens), where);
            assert.equal(entry.cacheRead, n(details.cached_tokens), where);
            assert.equal(entry.cacheWrite, n(details.cache_write_tokens), where);
            assert.equal(entry.output, n(raw.output_tokens), where);
            assert.equal(entry.reasoning, n((raw.output_tokens_details as Raw).reasoning_tokens), where);
            assert.equal(entry.input + entry.cacheRead + entry.cacheWrite + entry.output, n(raw.total_tokens), where);
            break;
        }
        case 'moonshot':
            // OpenAI's convention, cache hits at the top level.
            assert.equal(entry.input + entry.cacheRead, n(raw.prompt_tokens), where);
            assert.equal(entry.cacheRead, n(raw.cached_tokens), where);
            assert.equal(entry.output, n(raw.completion_tokens), where);
            assert.equal(entry.input + entry.cacheRead + entry.output, n(raw.total_tokens), where);
            break;
        case 'google':
            // promptTokenCount includes the cache; thoughts are billed as output but reported apart.
            assert.equal(entry.input + entry.cacheRead, n(raw.promptTokenCount) + n(raw.toolUsePromptTokenCount), where);
            assert.equal(entry.cacheRead, n(raw.cachedContentTokenCount), where);
            assert.equal(entry.output, n(raw.candidatesTokenCount) + n(raw.thoughtsTokenCount), where);
            assert.equal(entry.reasoning, n(raw.thoughtsTokenCount), where);
            assert.equal(entry.input + entry.cacheRead + entry.output, n(raw.totalTokenCount), where);
            break;
    }
}

describe('cost ledger', function () {
    this.timeout(30_000);

    describe('against the four vendors\' recorded usage (real providers, fixture servers)', () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-ledger-vendors-'));
        const ws = path.join(root, 'ws');
        const savedEnv = { ...process.env };
        let vendors: DemoVendors | undefined;
        let core: WorkspaceCore | undefined;

        after(async () => {
            await core?.stop();
            await vendors?.stop();
            for (const key of Object.keys(process.env)) {
                if (!(key in savedEnv)) {
                    delete process.env[key];
                }
            }
            fs.rmSync(root, { recursive: true, force: true });
        });

        it('holds every token each vendor reported, exactly once, cached tokens included, priced exactly', async () => {
            fs.cpSync(demoProject, ws, { recursive: true });
            vendors = await startDemoVendors(ws);
            Object.assign(process.env, vendors.env, { STUDIO_REPLICA_URL: 'off' });
            core = new WorkspaceCore({ workspaceDir: ws, dataDir: path.join(root, 'data') }, { orchestrator: { providerFactory: realProviderFactory(process.env) } });
            await core.start();
            const recorded: string[] = [];
            core.costs.onCostRecorded(r => recorded.push(`${r.agentId}:${r.usageId}`));
            const all = Object.keys(DemoEdits) as Vendor[];
            const tasks = all.map(vendor => core!.orchestrator.submitTask(DemoEdits[vendor].agentId, { prompt: DemoEdits[vendor].prompt }));
            const ended = await Promise.all(tasks.map(t => core!.orchestrator.waitForTask(t.id)));
            assert.deepEqual(vendors.failures(), []);
            await core.costs.caughtUp();
            const ledger = core.costs.ledger.repository;
            const prices = new PriceTable();
            const entries = ledger.entries(0, Number.MAX_SAFE_INTEGER, undefined, 100);
            assert.equal(entries.length, 12);
            assert.equal(recorded.length, 12, 'every entry was announced live');
            all.forEach((vendor, i) => {
                assert.equal(ended[i].status, 'done', `${vendor}: ${ended[i].lastError}`);
                const mine = entries.filter(e => e.taskId === ended[i].id);
                const raw = reportedUsage(vendor);
                assert.equal(mine.length, raw.length, `${vendor}: one entry per model turn`);
                mine.forEach((entry, turn) => {
                    assertMatchesReport(vendor, entry, raw[turn]);
                    const price = prices.priceAt(entry.model, entry.at)!;
                    assert.ok(price, `${entry.model} is priced`);
                    assert.equal(entry.costPico, costOf({ input: entry.input, output: entry.output, cacheRead: entry.cacheRead, cacheWrite: entry.cacheWrite, reasoning: entry.reasoning }, price.point));
                });
                // The task's rollup is the sum of its entries, to the pico-dollar and the token.
                const task = ledger.topTasks(0, 10).find(t => t.taskId === ended[i].id)!;
                assert.equal(task.costPico, mine.reduce((sum, e) => sum + e.costPico!, 0n));
                assert.equal(task.tokens, mine.reduce((sum, e) => sum + e.input + e.cacheRead + e.cacheWrite + e.output, 0));
            });
            // Worked by hand from Anthropic's first turn: 20 input x $3 + 2100 cache write x $3.75 + 40 output x $15 per million.
            assert.equal(entries.find(e => e.agentId === 'claude')!.costPico, 8_535_000_000n);
            // Codex's second turn: 346 input x $1.25 + 2304 cache read x $0.125 + 140 output (64 of them reasoning) x $10.
            assert.equal(entries.filter(e => e.agentId === 'codex')[1].costPico, 346n * 1_250_000n + 2304n * 125_000n + 140n * 10_000_000n);
            const dashboard = core.costs.dashboard('today');
            assert.equal(BigInt(dashboard.today.costPico), entries.reduce((sum, e) => sum + e.costPico!, 0n));
            assert.deepEqual(dashboard.byAgent.map(a => a.agentId).sort(), ['claude', 'codex', 'gemini', 'kimi']);
            assert.ok(dashboard.byAgent.every(a => BigInt(a.costPico) > 0n && a.entries === 3));
            assert.equal(dashboard.topTasks.length, 4);
            assert.equal(dashboard.topTasks[0].title, ended.find(t => t.id === dashboard.topTasks[0].taskId)!.title);
        });
    });

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
