import * as assert from 'node:assert/strict';
import { looksLikeAgentToken } from './agent-token';
import { isTerminalToken, TerminalTokens } from './terminal-tokens';

describe('TerminalTokens', () => {
    const ada = { kind: 'person' as const, id: 'user:ada', displayName: 'Ada', role: 'admin' as const };

    it('authenticates a terminal\'s token as the person who opened it until the terminal is gone', () => {
        const tokens = new TerminalTokens();
        const first = tokens.issue(ada);
        const second = tokens.issue({ ...ada, id: 'user:bob', displayName: 'Bob', role: 'developer' });
        assert.match(first.token, /^cdt_term_[A-Za-z0-9_-]{43}$/);
        assert.ok(isTerminalToken(first.token) && looksLikeAgentToken(first.token), 'the front door routes it as it routes agent tokens: HTTP APIs only');
        assert.notEqual(first.token, second.token);
        assert.deepEqual(tokens.authenticate(first.token), { ok: true, principal: ada, id: first.id });
        assert.equal(tokens.count, 2);

        tokens.revoke(first.id);
        const refused = tokens.authenticate(first.token);
        assert.equal(refused.ok, false);
        assert.match((refused as { message: string }).message, /its terminal has closed .* open a new terminal in the studio/);
        assert.equal(tokens.authenticate(second.token).ok, true, 'the other terminal keeps its token');
        tokens.revoke(first.id);
        assert.equal(tokens.count, 1);
    });

    it('refuses anything that is not a token it issued, without saying which part was wrong', () => {
        const tokens = new TerminalTokens();
        const { token } = tokens.issue(ada);
        for (const credential of ['', 'cdt_term_', `${token}x`, token.replace('cdt_term_', 'cdt_'), `cdt_term_${'A'.repeat(43)}`]) {
            assert.equal(tokens.authenticate(credential).ok, false, credential);
        }
    });
});
