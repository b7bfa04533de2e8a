import * as assert from 'node:assert/strict';
import { chatAgentIdOf, messageText } from './workspace-agent-chat-agent';

describe('workspace agents in the chat', () => {
    it('strip the @mention from the message, and only a leading one', () => {
        assert.equal(messageText('@Gemini  refactor src/a.ts'), 'refactor src/a.ts');
        assert.equal(messageText('  @Kimi-2 do it'), 'do it');
        assert.equal(messageText('ask @Claude later'), 'ask @Claude later');
    });

    it('get ids that cannot collide with Theia\'s own agents', () => {
        assert.equal(chatAgentIdOf('codex'), 'coditect-codex');
    });
});
