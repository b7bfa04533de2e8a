import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DefaultPrices } from './default-prices';
import { parsePriceFile, parsePriceOverrides, PriceFileError } from './price-file';
import { PriceFileWatcher } from './price-file-watcher';
import { priceNameCandidates, PriceTable } from './price-table';
import { costOf } from './price-types';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('PriceTable', () => {
    it('ships a positive price for every kind of token', () => {
        assert.ok(DefaultPrices.every(p => p.input > 0n && p.output > 0n && p.cacheRead > 0n && p.cacheWrite > 0n));
    });

    it('looks a usage up by the price in effect at its time: o3 before and after its price cut', () => {
        const table = new PriceTable();
        const before = table.priceAt('o3', Date.parse('2025-06-09T23:59:59Z'))!;
        const after = table.priceAt('o3', day('2025-06-10'))!;
        assert.equal(before.point.input, 10_000_000n);
        assert.equal(after.point.input, 2_000_000n);
        assert.equal(table.priceAt('o3', day('2025-01-01')), undefined, 'before its first price o3 is uncosted');
        assert.deepEqual(table.schedule('o3').map(i => [i.from, i.to, i.price?.input]), [
            [0, day('2025-04-16'), undefined],
            [day('2025-04-16'), day('2025-06-10'), 10_000_000n],
            [day('2025-06-10'), undefined, 2_000_000n],
        ]);
    });

    it('leaves an unknown model uncosted (no price, never zero)', () => {
        const table = new PriceTable();
        assert.equal(table.priceAt('my-local-llama', Date.now()), undefined);
        assert.deepEqual(table.schedule('my-local-llama').map(i => i.price), [undefined]);
    });

    it('prices dated snapshots and prefixed names as their family unless the snapshot has its own price', () => {
        assert.deepEqual(priceNameCandidates('claude-sonnet-4-5-20250929'), ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5']);
        assert.deepEqual(priceNameCandidates('models/gemini-2.0-flash-001'), ['models/gemini-2.0-flash-001', 'gemini-2.0-flash-001', 'gemini-2.0-flash']);
        assert.deepEqual(priceNameCandidates('gpt-5-2025-08-07'), ['gpt-5-2025-08-07', 'gpt-5']);
        const table = new PriceTable();
        const t = day('2026-01-01');
        assert.equal(table.priceAt('claude-sonnet-4-5-20250929', t)?.pricedAs, 'claude-sonnet-4-5');
        assert.equal(table.priceAt('gpt-5-2025-08-07', t)?.pricedAs, 'gpt-5');
        // Never a different model: gpt-5-turbo is not a snapshot of gpt-5.
        assert.equal(table.priceAt('gpt-5-turbo', t), undefined);
        table.setLayer('file', parsePriceFile(JSON.stringify({ models: { 'claude-sonnet-4-5-20250929': { input: 1, output: 2 } } })).points);
        assert.equal(table.priceAt('claude-sonnet-4-5-20250929', t)?.pricedAs, 'claude-sonnet-4-5-20250929');
    });

    it('lets the file beat the defaults and the preference beat the file, from their dates on', () => {
        const table = new PriceTable();
        let changes = 0;
        table.onChange(() => changes++);
        table.setLayer('file', parsePriceFile(JSON.stringify({ models: { 'claude-sonnet-4-5': { from: '2026-03-01', input: 2.7, output: 13.5, cacheRead: 0.27, cacheWrite: 3.375 } } })).points);
        table.setLayer('preference', parsePriceOverrides({ 'claude-sonnet-4-5': [{ from: '2026-06-01', input: 2, output: 10 }] }));
        assert.equal(changes, 2);
        const at = (iso: string) => table.priceAt('claude-sonnet-4-5', day(iso))!;
        assert.deepEqual([at('2026-01-15').source, at('2026-01-15').point.input], ['default', 3_000_000n]);
        assert.deepEqual([at('2026-04-15').source, at('2026-04-15').point.input], ['file', 2_700_000n]);
        assert.deepEqual([at('2026-07-15').source, at('2026-07-15').point.input, at('2026-07-15').point.cacheRead], ['preference', 2_000_000n, 2_000_000n]);
        const before = table.fingerprint('claude-sonnet-4-5');
        table.setLayer('preference', []);
        assert.notEqual(table.fingerprint('claude-sonnet-4-5'), before);
        assert.equal(table.fingerprint('gpt-5'), new PriceTable().fingerprint('gpt-5'));
    });

    it('costs a request exactly, long prompts at the long-context price', () => {
        const sonnet = new PriceTable().priceAt('claude-sonnet-4-5', day('2026-01-01'))!.point;
        // 20 input x $3 + 2100 cache write x $3.75 + 40 output x $15, per million tokens.
        assert.equal(costOf({ input: 20, cacheRead: 0, cacheWrite: 2100, output: 40, reasoning: 0 }, sonnet), 8_535_000_000n);
        // A 250k-token prompt is billed at $6 / $22.50.
        assert.equal(costOf({ input: 250_000, cacheRead: 0, cacheWrite: 0, output: 1000, reasoning: 0 }, sonnet), 250_000n * 6_000_000n + 1000n * 22_500_000n);
    });
});

describe('prices.json', () => {
    it('reads models, histories and infrastructure rates', () => {
        const file = parsePriceFile(JSON.stringify({
            models: {
                'my-model': [{ input: '0.5', output: 1 }, { from: '2026-12-01T09:00:00Z', input: 0.25, output: 0.5, cacheRead: 0.05, note: 'discount' }],
                'free-model': { input: 0, output: 0 },
            },
            infrastructure: { vcpuHourUsd: 0.0475, storageGbMonthUsd: '0.17', vcpus: 2, storageGb: 20 },
        }));
        assert.deepEqual(file.points.map(p => [p.model, p.from, p.input, p.cacheRead, p.cacheWrite]), [
            ['my-model', 0, 500_000n, 500_000n, 500_000n],
            ['my-model', Date.parse('2026-12-01T09:00:00Z'), 250_000n, 50_000n, 250_000n],
            ['free-model', 0, 0n, 0n, 0n],
        ]);
        assert.deepEqual(file.infrastructure, { vcpuHourPico: 47_500_000_000n, storageGbMonthPico: 170_000_000_000n, vcpus: 2, storageGb: 20 });
    });

    it('names every problem with its place and what to write instead', () => {
        const problems = (json: unknown) => {
            try {
                parsePriceFile(typeof json === 'string' ? json : JSON.stringify(json));
            } catch (error) {
                assert.ok(error instanceof PriceFileError);
                return error.message;
            }
            assert.fail('expected a PriceFileError');
        };
        assert.match(problems('{ "models": '), /\.coditect\/prices\.json is not valid: it is not JSON/);
        assert.match(problems([]), /must be a JSON object with "models"/);
        assert.match(problems({ model: {} }), /unknown key "model" \(known: models, infrastructure\)/);
        const many = problems({ models: { m: [{ input: -1, output: 2, cache_read: 1 }, { from: '1 March', input: 1, output: 1 }, { output: 1 }] } });
        assert.match(many, /models\.m\[0\] has unknown key "cache_read" \(known: from, input, output, cacheRead, cacheWrite, longContext, note\)/);
        assert.match(many, /models\.m\[0\]\.input \(USD per million tokens\) must be a non-negative decimal/);
        assert.match(many, /models\.m\[1\]\.from must be a date like "2026-12-01"/);
        assert.match(many, /models\.m\[2\]\.input is missing/);
        assert.match(problems({ models: { m: [{ input: 1, output: 1 }, { input: 2, output: 2 }] } }), /two prices from the same time/);
        assert.match(problems({ models: { m: { input: 1, output: 1, longContext: { input: 2, output: 2 } } } }), /longContext\.aboveTokens must be a whole number/);
        assert.match(problems({ infrastructure: { vcpuHour: 1 } }), /infrastructure has unknown keys "vcpuHour"/);
        assert.throws(() => parsePriceOverrides({ m: 3 }), /coditect\.costs\.priceOverrides\.m must be an object like \{"input": 3, "output": 15\}/);
    });

    it('keeps the last good prices while the file is broken, and says why', () => {
        const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'prices-'));
        const watcher = new PriceFileWatcher(ws);
        const prices = () => watcher.prices;
        try {
            watcher.start();
            assert.equal(watcher.prices, undefined);
            fs.writeFileSync(watcher.file, JSON.stringify({ models: { m: { input: 1, output: 2 } } }));
            watcher.refresh();
            assert.equal(prices()?.points.length, 1);
            fs.writeFileSync(watcher.file, '{ "models": { "m": { "input": "lots" } } }');
            watcher.refresh();
            assert.equal(prices()?.points[0].input, 1_000_000n);
            assert.match(watcher.error!, /models\.m\.input .* not "lots".*The last valid prices stay in use until it is fixed/);
            fs.rmSync(watcher.file);
            watcher.refresh();
            assert.deepEqual([prices(), watcher.error], [undefined, undefined]);
        } finally {
            watcher.dispose();
            fs.rmSync(ws, { recursive: true, force: true });
        }
    });
});
