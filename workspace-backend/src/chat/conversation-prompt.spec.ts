import * as assert from 'node:assert/strict';
import type { ChatMessage } from './chat-types';
import { conversationPrompt } from './conversation-prompt';

const alice = { id: 'u-alice', displayName: 'Alice' };

describe('conversationPrompt', () => {
    const message = (id: number, role: ChatMessage['role'], text: string): ChatMessage => ({
        id, conversationId: 'c', agentId: 'claude', role, text, createdAt: id, user: role === 'user' ? alice : undefined,
    });

    it('keeps the most recent messages within the bounds, dropping the oldest first, and never cuts the new message', () => {
        const history = [message(1, 'user', 'first question'), message(2, 'agent', 'first answer'), message(3, 'user', 'second question'), message(4, 'agent', 'x'.repeat(50))];
        const long = 'new '.repeat(100);
        const prompt = conversationPrompt(history, long, alice, { maxHistoryChars: 100, maxHistoryMessages: 10, maxMessageChars: 20 });
        assert.ok(!prompt.includes('first question') && !prompt.includes('first answer'));
        assert.ok(prompt.includes('(2 earlier messages left out)'));
        assert.ok(prompt.includes('--- Alice (user):\nsecond question'));
        assert.ok(prompt.includes(`--- you:\n${'x'.repeat(20)}\n… (30 more characters left out)`));
        assert.ok(prompt.includes(long));
        const byCount = conversationPrompt(history, 'q', alice, { maxHistoryChars: 10_000, maxHistoryMessages: 1, maxMessageChars: 100 });
        assert.ok(byCount.includes('(3 earlier messages left out)') && !byCount.includes('second question'));
        assert.ok(!conversationPrompt([], 'q', alice).includes('so far'));
    });
});
