import * as assert from 'node:assert/strict';
import { AgentLabels } from './agent-labels';

describe('AgentLabels', () => {
    it('reads durations the way people say them', () => {
        assert.equal(AgentLabels.duration(420), '420 ms');
        assert.equal(AgentLabels.duration(4000), '4.0 s');
        assert.equal(AgentLabels.duration(125_000), '2 min 5 s');
    });

    it('shortens long prompts to one line', () => {
        assert.equal(AgentLabels.shorten('a\n  b', 10), 'a b');
        assert.equal(AgentLabels.shorten('x'.repeat(20), 10), `${'x'.repeat(9)}…`);
    });

    it('shows a task\'s summary, else its error', () => {
        const base = { id: 1, agentId: 'a', prompt: '', title: '', priority: 0, status: 'done' as const, attempts: 1, maxAttempts: 2, enqueuedAt: 0 };
        assert.equal(AgentLabels.taskOutcome({ ...base, result: { summary: 'ok' } }), 'ok');
        assert.equal(AgentLabels.taskOutcome({ ...base, status: 'failed', result: { error: 'boom' } }), 'boom');
    });
});
