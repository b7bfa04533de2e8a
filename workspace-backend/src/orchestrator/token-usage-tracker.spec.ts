import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from '../database/database-cluster';
import type { TokenUsage } from '../providers/token-usage';
import { TokenUsageRepository } from './agent-repository';
import { TokenUsageTracker } from './token-usage-tracker';

const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0): TokenUsage =>
    ({ inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens: 0 });

describe('TokenUsageTracker (metrics.db)', () => {
    let root: string;
    let cluster: DatabaseCluster;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'token-usage-'));
        cluster = new DatabaseCluster({ dataDir: root }).open();
    });
    afterEach(async () => {
        await cluster.close();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('answers each agent\'s running total, counting every token once, and records each call per task and model', () => {
        const tracker = new TokenUsageTracker(new TokenUsageRepository(cluster.get('metrics')));
        assert.equal(tracker.totalOf('claude'), 0);
        assert.equal(tracker.record({ agentId: 'claude', taskId: 1, provider: 'anthropic', model: 'm1', usage: usage(100, 20, 30, 5) }), 155);
        assert.equal(tracker.record({ agentId: 'claude', taskId: 2, provider: 'anthropic', model: 'm2', usage: usage(10, 1) }), 166);
        assert.equal(tracker.totalOf('claude'), 166);
        assert.equal(tracker.totalOf('gemini'), 0);
        assert.deepEqual(new TokenUsageRepository(cluster.get('metrics')).forTask(1), [{ model: 'm1', inputTokens: 100, outputTokens: 20 }]);
    });

    it('counts an agent\'s first call once when nothing has read its total yet', () => {
        const repository = new TokenUsageRepository(cluster.get('metrics'));
        repository.record({ agentId: 'gemini', taskId: 1, provider: 'google', model: 'g', usage: usage(5, 5) });
        const tracker = new TokenUsageTracker(repository);
        assert.equal(tracker.record({ agentId: 'gemini', taskId: 2, provider: 'google', model: 'g', usage: usage(7, 3) }), 20);
        assert.equal(tracker.totalOf('gemini'), 20);
        assert.equal(repository.totalForAgent('gemini'), 20);
    });

    it('starts from what metrics.db holds, so a restart keeps the totals', () => {
        const before = new TokenUsageTracker(new TokenUsageRepository(cluster.get('metrics')));
        before.record({ agentId: 'claude', taskId: 1, provider: 'anthropic', model: 'm', usage: usage(40, 2) });
        const after = new TokenUsageTracker(new TokenUsageRepository(cluster.get('metrics')));
        assert.equal(after.totalOf('claude'), 42);
        assert.equal(after.record({ agentId: 'claude', taskId: 2, provider: 'anthropic', model: 'm', usage: usage(8, 0) }), 50);
    });
});
