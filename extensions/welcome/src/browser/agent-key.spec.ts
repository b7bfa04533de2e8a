import * as assert from 'node:assert/strict';
import { needsKey } from './agent-key';

describe('needsKey', () => {
    it('is the core\'s needs-key state, and no other', () => {
        assert.equal(needsKey({ state: 'needs-key' }), true);
        assert.equal(needsKey({ state: 'error' }), false);
        assert.equal(needsKey({ state: 'idle' }), false);
    });
});
