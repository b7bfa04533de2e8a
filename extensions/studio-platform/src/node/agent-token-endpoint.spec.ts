import * as assert from 'node:assert/strict';
import { agentPrincipal, personPrincipal, WorkspaceCore } from '@coditect/workspace-backend';
import { AgentTokenEndpoint, TOKENS_HTTP_PATH } from './agent-token-endpoint';
import { isAgentTokenRoute } from './auth/studio-auth-contribution';
import { JsonApiTestServer, startJsonApiTestServer } from './test-support/json-api-test-server';

describe('AgentTokenEndpoint (/coditect/api/tokens)', () => {
    let api: JsonApiTestServer;
    let core: WorkspaceCore;
    const call = (as: 'admin' | 'developer' | 'agent', method: string, url = '', body?: unknown) => api.call(as, method, url, body);

    beforeEach(async () => {
        // What the authentication middleware records for each kind of credential.
        const principals = {
            agent: agentPrincipal('bot'),
            admin: personPrincipal({ id: 'user:admin', displayName: 'admin', role: 'admin' }),
            developer: personPrincipal({ id: 'user:developer', displayName: 'developer', role: 'developer' }),
        };
        api = await startJsonApiTestServer({ endpoint: AgentTokenEndpoint, basePath: TOKENS_HTTP_PATH, principals, prefix: 'token-http-' });
        core = api.core;
    });
    afterEach(() => api.close());

    it('lets an admin issue (the secret once, not cached), list (no secret) and revoke a token', async () => {
        const issued = await call('admin', 'POST', '', { agentId: 'gemini', displayName: 'Gemini', label: 'laptop', expiresInDays: 7 });
        assert.equal(issued.status, 201);
        assert.equal(issued.cacheControl, 'no-store');
        assert.match(issued.body.token, /^cdt_/);
        assert.deepEqual([issued.body.agentId, issued.body.displayName, issued.body.createdBy, issued.body.status], ['gemini', 'Gemini', 'user:admin', 'active']);
        assert.equal(core.tokens.authenticate(issued.body.token).ok, true);

        const listed = await call('admin', 'GET', '?agentId=gemini');
        assert.deepEqual(listed.body.tokens.map((t: { id: string }) => t.id), [issued.body.id]);
        assert.ok(!JSON.stringify(listed.body).includes(issued.body.token));

        const revoked = await call('admin', 'DELETE', `/${issued.body.id}`);
        assert.deepEqual([revoked.status, revoked.body.status], [200, 'revoked']);
        assert.equal(core.tokens.authenticate(issued.body.token).ok, false);
    });

    it('refuses a developer and an agent (403, audited), bad input (400) and unknown ids (404), saying what to do', async () => {
        const refused = await call('developer', 'POST', '', { agentId: 'claude' });
        assert.equal(refused.status, 403);
        // Refused at the route's gate, before anything of the request is read.
        assert.match(refused.body.error, /developer \(developer\) may not issue, list or revoke agent tokens \(POST \/coditect\/api\/tokens\): only an admin may\./);
        assert.equal((await call('agent', 'GET')).status, 403);
        assert.deepEqual(core.audit.recent({ action: 'token.manage' }).map(e => [e.userId, e.outcome]), [['agent:bot', 'refused'], ['user:developer', 'refused']]);

        assert.match((await call('admin', 'POST', '', {})).body.error, /"agentId" is required/);
        assert.equal((await call('admin', 'POST', '', { agentId: 'bot', expiresInDays: -1 })).status, 400);
        const malformed = await call('admin', 'POST', '', '{"agentId":');
        assert.equal(malformed.status, 400);
        assert.match(malformed.body.error, /The request body must be a JSON object such as \{"agentId":"my-bot"\}/);
        assert.equal((await call('admin', 'DELETE', '/tok_0123456789abcdef')).status, 404);
        assert.equal((await call('admin', 'DELETE', '/cdt_whatever')).status, 400);
    });
});

describe('isAgentTokenRoute: where an agent token is a credential', () => {
    it('is only the HTTP APIs under /coditect/api/, as sent, with nothing a router would normalise elsewhere', () => {
        for (const accepted of ['/coditect/api/locks', '/coditect/api/locks/0f3c/renew', '/coditect/api/tokens']) {
            assert.equal(isAgentTokenRoute(accepted), true, accepted);
        }
        for (const refused of ['/', '/index.html', '/coditect/api', '/coditect/apix/locks', '/services/x', '/coditect/api/../index.html',
            '/coditect/api/%2e%2e/index.html', '/coditect/api/locks/%2F..%2F..%2Findex.html', '/coditect/api/./locks', '/coditect/api/%E0%A4%A']) {
            assert.equal(isAgentTokenRoute(refused), false, refused);
        }
    });
});
