import * as assert from 'node:assert/strict';
import { needsKey } from './agent-key';

describe('needsKey', () => {
    it('is the core\'s needs-key state', () => {
        assert.equal(needsKey({ state: 'needs-key' as never }), true);
    });

    it('is an error naming a missing key variable, as a core without that state reports it', () => {
        const lastError = 'no API key for anthropic: ANTHROPIC_API_KEY is not set in the environment (or a secrets file named by STUDIO_SECRETS_FILE); set ANTHROPIC_API_KEY.';
        assert.equal(needsKey({ state: 'error', lastError }), true);
    });

    it('is not any other error, nor a missing key named by an agent that is not in error', () => {
        assert.equal(needsKey({ state: 'error', lastError: 'anthropic answered 401: invalid x-api-key' }), false);
        assert.equal(needsKey({ state: 'error' }), false);
        assert.equal(needsKey({ state: 'idle', lastError: 'OPENAI_API_KEY is not set' }), false);
    });
});
