import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DemoVendors, startDemoVendors } from './demo-vendors';
import { WorkspaceCore } from './workspace-core';
import { realProviderFactory } from '../orchestrator/provider-factory';
import type { Vendor } from '../providers/model-provider';
import { DemoEdits } from '../providers/testing/fixtures/demo-edits';
import { fixtureFor } from '../providers/testing/fixtures';
import type { FixtureStream } from '../providers/testing/fixture';
import type { LedgerEntryRow } from '../costs/ledger-repository';
import { PriceTable } from '../costs/price-table';
import { costOf } from '../costs/price-types';

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

describe('cost ledger in the workspace core', function () {
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
            // Every agent is listed; the role agents, which had no task, at nothing.
            const spent = dashboard.byAgent.filter(a => a.entries > 0);
            assert.deepEqual(spent.map(a => a.agentId).sort(), ['claude', 'codex', 'gemini', 'kimi']);
            assert.ok(spent.every(a => BigInt(a.costPico) > 0n && a.entries === 3));
            assert.equal(dashboard.byAgent.length, 9);
            assert.equal(dashboard.topTasks.length, 4);
            assert.equal(dashboard.topTasks[0].title, ended.find(t => t.id === dashboard.topTasks[0].taskId)!.title);
        });
    });
});
