import * as assert from 'node:assert/strict';
import { parseBusRequest } from './bus-request';

describe('@Bus in the chat', () => {
    const agents = [{ id: 'gemini', name: 'Gemini' }, { id: 'code-reviewer', name: 'Code Reviewer' }];

    it('reads a direct message, a topic, a request for the latest messages, and everything else as a request for help', () => {
        assert.deepEqual(parseBusRequest('Gemini: please review src/a.ts', agents), { kind: 'send', to: 'gemini', text: 'please review src/a.ts' });
        assert.deepEqual(parseBusRequest('code-reviewer:  look\nat this ', agents), { kind: 'send', to: 'code-reviewer', text: 'look\nat this' });
        assert.deepEqual(parseBusRequest('topic build/web: the build is red', agents), { kind: 'send', topic: 'build/web', text: 'the build is red' });
        assert.deepEqual(parseBusRequest('  ', agents), { kind: 'show' });
        assert.deepEqual(parseBusRequest('show', agents), { kind: 'show' });
        assert.deepEqual(parseBusRequest('nobody: hello', agents), { kind: 'help' });
        assert.deepEqual(parseBusRequest('just some words', agents), { kind: 'help' });
    });
});
