import * as assert from 'node:assert/strict';
import { BusMessage } from '../../common/agent-chat-protocol';
import { matchesFilter } from './bus-messages-model';

describe('the Message Bus view\'s filter', () => {
    const message = (topic: string, from: string, recipients: string[], to?: string): BusMessage => ({ id: 1, topic, from, text: 'hi', at: 0, recipients, ...(to ? { to } : {}) });
    const onReviews = message('reviews', 'claude', ['gemini', 'codex']);
    const direct = message('agent/kimi', 'user:ada', ['kimi'], 'kimi');

    it('lets a topic, a prefix or * through by the topic', () => {
        assert.ok(matchesFilter(onReviews, 'reviews'));
        assert.ok(matchesFilter(onReviews, '*'));
        assert.ok(matchesFilter(message('build/web', 'codex', []), 'build/*'));
        assert.ok(!matchesFilter(message('builds', 'codex', []), 'build/*'));
        assert.ok(!matchesFilter(onReviews, 'review'));
    });

    it('lets an agent or person through by what they sent, received or were sent', () => {
        assert.ok(matchesFilter(onReviews, 'claude'), 'the sender');
        assert.ok(matchesFilter(onReviews, '@gemini'), 'a recipient, with or without @');
        assert.ok(matchesFilter(direct, 'kimi'), 'the addressee');
        assert.ok(matchesFilter(direct, 'user:ada'));
        assert.ok(!matchesFilter(direct, 'claude'));
    });
});
