import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForValue } from '../common/test-support/wait-for-value';
import { parsePrometheusText, PrometheusSample, sampleValue } from '../telemetry/test-support/prometheus-text';
import { call, finish, OrchestratorHarness as Harness } from './test-support/orchestrator-harness';

describe('The workspace\'s metrics', function () {
    this.timeout(60_000);
    let h: Harness;
    beforeEach(() => {
        h = new Harness();
    });
    afterEach(async () => {
        await h.dispose();
    });

    const scrape = async (): Promise<PrometheusSample[]> => parsePrometheusText(await h.core.metrics.scrape());

    it('counts tasks, model requests, tokens, cost, lock holds and database writes as an agent works, with bounded labels only', async () => {
        fs.mkdirSync(path.join(h.ws, 'src'));
        fs.writeFileSync(path.join(h.ws, 'src/a.ts'), 'export const a = 1;\n');
        await h.start();
        const task = await h.done(h.submit('claude', 'rename a to b in the secret-named-prompt', () => [
            call('edit_file', { path: 'src/a.ts', old_text: 'const a', new_text: 'const b' }),
            finish('renamed'),
        ]));
        assert.equal(task.status, 'done');

        const samples = await scrape();
        const claude = { agent: 'claude' };
        const model = { vendor: 'anthropic', model: 'claude-sonnet-4-5' };
        assert.equal(sampleValue(samples, 'coditect_agent_tasks_started_total', claude), 1);
        assert.equal(sampleValue(samples, 'coditect_agent_tasks_completed_total', claude), 1);
        assert.equal(sampleValue(samples, 'coditect_agent_tasks_failed_total', claude), undefined, 'no failure was counted');
        assert.equal(sampleValue(samples, 'coditect_agent_task_start_latency_seconds_count', claude), 1);
        assert.equal(sampleValue(samples, 'coditect_agent_task_duration_seconds_count', { ...claude, outcome: 'done' }), 1);
        assert.equal(sampleValue(samples, 'coditect_provider_requests_total', model), 2, 'two model turns');
        assert.equal(sampleValue(samples, 'coditect_provider_request_duration_seconds_count', model), 2);
        // The same tokens and money the cost ledger holds.
        const usage = h.core.databases.get('metrics').get<{ input: number; output: number }>('SELECT SUM(input_tokens) AS input, SUM(output_tokens) AS output FROM token_usage')!;
        assert.equal(sampleValue(samples, 'coditect_provider_tokens_total', { ...model, direction: 'input' }), usage.input);
        assert.equal(sampleValue(samples, 'coditect_provider_tokens_total', { ...model, direction: 'output' }), usage.output);
        assert.ok(sampleValue(samples, 'coditect_provider_cost_usd_total', model)! > 0, 'priced at the default prices');
        assert.equal(sampleValue(samples, 'coditect_agent_state', { ...claude, state: 'idle' }), 1);
        assert.equal(sampleValue(samples, 'coditect_agent_state', { ...claude, state: 'executing' }), 0);
        assert.equal(sampleValue(samples, 'coditect_agent_queue_depth', claude), 0);
        assert.ok(sampleValue(samples, 'coditect_lock_hold_seconds_count', { end: 'released' })! >= 1, 'the edit\'s lock was held and released');
        assert.ok(sampleValue(samples, 'coditect_sqlite_write_duration_seconds_count', { database: 'tasks' })! >= 2, 'the task was written when queued and when done');
        assert.ok(sampleValue(samples, 'coditect_data_disk_size_bytes')! > 0);
        assert.ok(sampleValue(samples, 'coditect_data_disk_free_bytes')! <= sampleValue(samples, 'coditect_data_disk_size_bytes')!);
        assert.equal(sampleValue(samples, 'coditect_workspace_info', { version: JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version }), 1);

        // Labels never carry a path, a prompt or a task id: only the bounded values the catalogue names.
        const labelValues = samples.flatMap(s => Object.values(s.labels));
        for (const leak of [h.ws, h.root, 'src/a.ts', 'secret-named-prompt']) {
            assert.ok(!labelValues.some(v => v.includes(leak)), `no label value contains ${leak}`);
        }
        const bounded = new Set(['agent', 'state', 'outcome', 'vendor', 'model', 'kind', 'direction', 'scope', 'period', 'end', 'reason', 'mode', 'database', 'version', 'le']);
        assert.deepEqual([...new Set(samples.flatMap(s => Object.keys(s.labels)))].filter(name => !bounded.has(name)), [], 'only bounded label names');
    });

    it('counts a vendor\'s error by kind, the failed task, and a bus message\'s delivery into the recipient\'s turn', async () => {
        await h.start();
        const failed = await h.done(h.submit('gemini', 'a bad request', () => [{ error: { kind: 'bad-request', message: 'the model rejected the request' } }]));
        assert.equal(failed.status, 'failed');
        const sender = await h.done(h.submit('claude', 'tell codex', () => [call('send_message', { to: 'codex', text: 'the build is green' }), finish('told')]));
        assert.equal(sender.status, 'done');
        const reader = await h.done(h.submit('codex', 'read your messages', () => [finish('read')]));
        assert.equal(reader.status, 'done');

        const samples = await waitForValue('the delivery counted', async () => {
            const now = await scrape();
            return sampleValue(now, 'coditect_bus_delivery_latency_seconds_count') === 1 ? now : undefined;
        });
        assert.equal(sampleValue(samples, 'coditect_provider_errors_total', { vendor: 'google', kind: 'bad-request' }), 1);
        assert.equal(sampleValue(samples, 'coditect_agent_tasks_failed_total', { agent: 'gemini' }), 1);
        assert.equal(sampleValue(samples, 'coditect_agent_task_duration_seconds_count', { agent: 'gemini', outcome: 'failed' }), 1);
        assert.equal(sampleValue(samples, 'coditect_bus_messages_total', { kind: 'direct' }), 1);
    });

    it('reads the budgets at each scrape: a used-up one is 1 while it holds the agents', async () => {
        await h.start();
        const before = await scrape();
        assert.equal(sampleValue(before, 'coditect_budget_exhausted', { scope: 'workspace', period: 'day' }), undefined, 'no budget set');
        h.core.costs.setBudget({ scope: 'workspace', period: 'day' }, '0.000001', 'user:ada');
        const task = await h.done(h.submit('claude', 'spend', () => [finish('spent')]));
        assert.equal(task.status, 'done');
        const after = await waitForValue('the budget counted as exhausted', async () => {
            const now = await scrape();
            return sampleValue(now, 'coditect_budget_exhausted', { scope: 'workspace', period: 'day' }) === 1 ? now : undefined;
        });
        assert.equal(after.filter(s => s.name === 'coditect_budget_exhausted').length, 1, 'one series per budget');
    });
});
