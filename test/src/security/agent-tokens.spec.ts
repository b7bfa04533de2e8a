import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { BUS_HTTP_PATH } from '@coditect/agent-activity/common';
import { SQL_CONSOLE_PATH } from '@coditect/sql-console/common';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { bearer, startSecuredStudio, token, waitForCore } from './security-fixture';

const BUS_MESSAGES = `${BUS_HTTP_PATH}/messages`;

interface SqlRpc {
    run(request: { database: string; sql: string }): Promise<{ page?: { rows: unknown[][] }; error?: { message: string } }>;
}

/**
 * Identities from the credential, against the running backend (JWT authentication): every hole
 * the lock HTTP API had while it trusted the request, an agent token where it does not belong or
 * after it was revoked, and a developer issuing tokens. Each refusal is checked in `audit_log`.
 */
describe('agent tokens and the lock HTTP API acting as the credential', function () {
    this.timeout(120_000);
    let secured: Awaited<ReturnType<typeof startSecuredStudio>>;
    let adminJwt: string;
    let developerJwt: string;
    let admin: StudioRpcClient;

    const api = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
        const response = await fetch(`${secured.studio.url}${path}`, {
            method, redirect: 'manual', headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        let json: Record<string, unknown> & { error?: string };
        try {
            json = text ? JSON.parse(text) : {};
        } catch {
            json = { error: text };
        }
        return { status: response.status, body: json, text, headers: response.headers };
    };
    /** A GET with the path exactly as given: fetch would normalise dot segments (also %2e%2e) before sending. */
    const rawGet = (path: string, headers: Record<string, string>) => new Promise<{ status: number; text: string }>((resolve, reject) => {
        const url = new URL(secured.studio.url);
        http.get({ host: url.hostname, port: url.port, path, headers }, response => {
            let text = '';
            response.on('data', chunk => text += chunk);
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        }).on('error', reject);
    });
    /** audit_log rows as "user action target outcome", read through the admin's SQL console. */
    const auditRows = async (): Promise<string[]> => {
        const result = await (await admin.service<SqlRpc>(SQL_CONSOLE_PATH)).run({ database: 'workspace', sql: 'SELECT user_id, action, target, outcome FROM audit_log ORDER BY id' });
        return result.page?.rows.map(r => r.join(' ')) ?? [];
    };
    const assertAudited = async (expected: string) => {
        const rows = await auditRows();
        assert.ok(rows.includes(expected), `audit_log lacks "${expected}"; it has ${JSON.stringify(rows)}`);
    };
    const issue = async (agentId: string, displayName?: string) => {
        const issued = await api('POST', '/coditect/api/tokens', bearer(adminJwt), { agentId, displayName, label: 'security spec' });
        assert.equal(issued.status, 201, issued.text);
        return issued.body as { id: string; token: string; agentId: string };
    };

    before(async () => {
        secured = await startSecuredStudio();
        adminJwt = await token({ role: 'admin', sub: 'ada' });
        developerJwt = await token({ role: 'developer', sub: 'dev' });
        await waitForCore(secured.studio, bearer(adminJwt));
        admin = await StudioRpcClient.connect(secured.studio.url, { headers: bearer(adminJwt) });
    });
    after(async () => {
        admin?.close();
        await secured?.stop();
    });

    it('refuses a developer posting a lock as agent:claude, naming who the credential is; audited', async () => {
        const posted = await api('POST', '/coditect/api/locks', bearer(developerJwt), { path: 'src/a.ts', mode: 'exclusive', owner: { id: 'agent:claude', displayName: 'Claude' } });
        assert.equal(posted.status, 403, posted.text);
        assert.match(posted.body.error!, /This credential is dev \(developer\) \(user:dev\); it acts only in its own name, not as "agent:claude"/);
        const locks = await api('GET', '/coditect/api/locks', bearer(developerJwt));
        assert.deepEqual(locks.body.locks, [], 'nothing was taken');
        await assertAudited('user:dev lock.acquire src/a.ts refused');
        // Without "owner", the developer's lock is theirs.
        const own = await api('POST', '/coditect/api/locks', bearer(developerJwt), { path: 'src/a.ts', mode: 'exclusive' });
        assert.equal(own.status, 201, own.text);
        assert.equal((own.body.owner as { id: string }).id, 'user:dev');
        assert.equal((await api('DELETE', `/coditect/api/locks/${own.body.id}`, bearer(developerJwt))).status, 204);
    });

    it('refuses a developer renewing or deleting an admin\'s or an agent\'s lock, naming the holder; audited', async () => {
        const adminLock = await api('POST', '/coditect/api/locks', bearer(adminJwt), { path: 'docs', mode: 'exclusive' });
        assert.equal(adminLock.status, 201, adminLock.text);
        const claude = await issue('claude', 'Claude');
        const agentLock = await api('POST', '/coditect/api/locks', bearer(claude.token), { path: 'src/a.ts', mode: 'exclusive' });
        assert.equal(agentLock.status, 201, agentLock.text);
        assert.deepEqual(agentLock.body.owner, { id: 'agent:claude', kind: 'agent', displayName: 'Claude' });

        for (const [lock, holder] of [[adminLock.body, 'ada \\(user:ada\\)'], [agentLock.body, 'Claude \\(agent:claude\\)']] as const) {
            const renew = await api('POST', `/coditect/api/locks/${lock.id}/renew`, bearer(developerJwt), {});
            assert.equal(renew.status, 403, renew.text);
            assert.match(renew.body.error!, new RegExp(`may not renew a lock .* It is held by ${holder}\\. To take it anyway, force-release it`));
            const release = await api('DELETE', `/coditect/api/locks/${lock.id}`, bearer(developerJwt));
            assert.equal(release.status, 403, release.text);
            // The old way of naming the owner is no way around it.
            const asOwner = await api('DELETE', `/coditect/api/locks/${lock.id}?ownerId=${encodeURIComponent(String((lock.owner as { id: string }).id))}`, bearer(developerJwt));
            assert.equal(asOwner.status, 403, asOwner.text);
            assert.match(asOwner.body.error!, /it acts only in its own name/);
        }
        assert.equal(((await api('GET', '/coditect/api/locks', bearer(adminJwt))).body.locks as unknown[]).length, 2, 'both still held');
        await assertAudited('user:dev lock.renew docs refused');
        await assertAudited('user:dev lock.release docs refused');
        await assertAudited('user:dev lock.renew src/a.ts refused');
        await assertAudited('user:dev lock.release src/a.ts refused');

        // Force-release is the way, and the policy decides: a developer may take the agent's lock, not the admin's.
        const forcedAdmin = await api('DELETE', `/coditect/api/locks/${adminLock.body.id}?force=1&reason=mine`, bearer(developerJwt));
        assert.equal(forcedAdmin.status, 403, forcedAdmin.text);
        await assertAudited('user:dev lock.force-release docs refused');
        const forcedAgent = await api('DELETE', `/coditect/api/locks/${agentLock.body.id}?force=1&reason=stuck`, bearer(developerJwt));
        assert.equal(forcedAgent.status, 200, forcedAgent.text);
        await assertAudited('user:dev lock.force-release src/a.ts allowed');
        const told = await api('POST', `/coditect/api/locks/${agentLock.body.id}/renew`, bearer(claude.token), {});
        assert.equal(told.status, 410);
        assert.match(told.body.error!, /force-released by dev: stuck/);
        assert.equal((await api('DELETE', `/coditect/api/locks/${adminLock.body.id}`, bearer(adminJwt))).status, 204);
    });

    it('accepts an agent token only under /coditect/api/: 401 on the IDE\'s pages, the sign-in and the websocket', async () => {
        const gemini = await issue('gemini', 'Gemini');
        assert.equal((await api('GET', '/coditect/api/locks', bearer(gemini.token))).status, 200);
        // Dot segments, plain or encoded, would take the prefix somewhere else once a router normalised them.
        for (const path of ['/', '/index.html', '/bundle.js', '/file-upload', '/coditect/api/../index.html', '/coditect/api/%2e%2e/index.html', '/coditect/api/locks/../../../index.html']) {
            const page = await rawGet(path, bearer(gemini.token));
            assert.equal(page.status, 401, `${path}: ${page.text}`);
            assert.match(page.text, /an agent token is accepted only by the studio's HTTP APIs under \/coditect\/api\/, not by the IDE's pages or its websocket/, path);
            assert.ok(!page.text.includes(gemini.token), 'the token is never echoed');
        }
        const inAddress = await api('GET', `/?token=${gemini.token}`, {});
        assert.equal(inAddress.status, 401);
        assert.ok(!(inAddress.headers.get('set-cookie') ?? '').includes('coditect_session='), 'never moved into a session cookie');
        assert.ok(!inAddress.text.includes(gemini.token));
        const login = await fetch(`${secured.studio.url}/login`, { method: 'POST', body: new URLSearchParams({ token: gemini.token }), redirect: 'manual' });
        assert.equal(login.status, 401);
        assert.match(await login.text(), /this is an agent token/);
        await assert.rejects(StudioRpcClient.connect(secured.studio.url, { headers: bearer(gemini.token) }), /websocket (refused|closed)/);
    });

    it('refuses a revoked or unknown agent token with 401 saying which, never echoing it', async () => {
        const failedSignIns = async () => (await auditRows()).filter(row => row.includes('login.failed')).length;
        const failedBefore = await failedSignIns();
        const bot = await issue('bot');
        assert.equal((await api('POST', '/coditect/api/locks', bearer(bot.token), { path: 'src/a.ts', mode: 'shared' })).status, 201);
        const revoked = await api('DELETE', `/coditect/api/tokens/${bot.id}`, bearer(adminJwt));
        assert.equal(revoked.status, 200, revoked.text);
        assert.equal(revoked.body.status, 'revoked');

        const after = await api('GET', '/coditect/api/locks', bearer(bot.token));
        assert.equal(after.status, 401);
        assert.match(after.body.error!, new RegExp(`the agent token ${bot.id} for agent:bot was revoked at `));
        assert.ok(!after.text.includes(bot.token));
        const unknown = `cdt_${'x'.repeat(43)}`;
        const refused = await api('GET', '/coditect/api/locks', bearer(unknown));
        assert.equal(refused.status, 401);
        assert.match(refused.body.error!, /the agent token is not one this workspace issued/);
        assert.ok(!refused.text.includes(unknown));
        assert.equal(await failedSignIns(), failedBefore + 2, 'both count as failed sign-ins (audited, and throttled per address)');

        const listed = await api('GET', '/coditect/api/tokens', bearer(adminJwt));
        assert.equal(listed.status, 200);
        assert.ok(!listed.text.includes('cdt_'), 'the list holds no secret');
        assert.ok((listed.body.tokens as { id: string; status: string }[]).some(t => t.id === bot.id && t.status === 'revoked'));
    });

    it('refuses a developer (and an agent) issuing, listing or revoking tokens (403), audited', async () => {
        const byDeveloper = await api('POST', '/coditect/api/tokens', bearer(developerJwt), { agentId: 'claude' });
        assert.equal(byDeveloper.status, 403, byDeveloper.text);
        assert.match(byDeveloper.body.error!, /dev \(developer\) may not issue, list or revoke agent tokens \(POST \/coditect\/api\/tokens\): only an admin may/);
        assert.equal((await api('GET', '/coditect/api/tokens', bearer(developerJwt))).status, 403);
        const claude = await issue('claude-2');
        const byAgent = await api('POST', '/coditect/api/tokens', bearer(claude.token), { agentId: 'claude-2' });
        assert.equal(byAgent.status, 403);
        assert.equal((await api('DELETE', `/coditect/api/tokens/${claude.id}`, bearer(developerJwt))).status, 403);
        assert.equal((await api('GET', '/coditect/api/locks', bearer(claude.token))).status, 200, 'a refused revocation changes nothing');
        // Refused at the route's gate, before the request is read: the audit line names the request.
        await assertAudited('user:dev token.manage POST /coditect/api/tokens refused');
        await assertAudited('user:dev token.manage GET /coditect/api/tokens refused');
        await assertAudited('agent:claude-2 token.manage POST /coditect/api/tokens refused');
        await assertAudited(`user:dev token.manage DELETE /coditect/api/tokens/${claude.id} refused`);
        await assertAudited('user:ada token.manage agent:claude-2 allowed');
        const bad = await api('POST', '/coditect/api/tokens', bearer(adminJwt), { agentId: 'Not An Id' });
        assert.equal(bad.status, 400);
        assert.match(bad.body.error!, /is not an agent id/);
    });

    it('sends bus messages as the credential: an agent token by its agent id, a person by name; bad requests say what to send', async () => {
        const kimi = await issue('kimi-cli', 'Kimi CLI');
        const sent = await api('POST', BUS_MESSAGES, bearer(kimi.token), { to: 'gemini', text: 'the API moved to v2', from: 'claude' });
        assert.equal(sent.status, 201, sent.text);
        assert.deepEqual([sent.body.from, sent.body.to, sent.body.topic, sent.body.recipients], ['kimi-cli', 'gemini', 'agent/gemini', ['gemini']], 'the body\'s "from" is ignored');
        const onTopic = await api('POST', BUS_MESSAGES, bearer(developerJwt), { topic: 'reviews', text: 'anyone?' });
        assert.equal(onTopic.status, 201, onTopic.text);
        assert.equal(onTopic.body.from, 'user:dev');
        const read = await api('GET', `${BUS_MESSAGES}?limit=2`, bearer(developerJwt));
        assert.deepEqual((read.body.messages as { text: string }[]).map(m => m.text), ['the API moved to v2', 'anyone?']);
        const cases: [unknown, number, RegExp][] = [
            [{ to: 'nobody', text: 'x' }, 404, /There is no agent "nobody"/],
            [{ to: 'gemini', topic: 'reviews', text: 'x' }, 400, /either "to" an agent .* or on a "topic"/],
            [{ topic: 'has space', text: 'x' }, 400, /is not a topic/],
            [{ to: 'gemini' }, 400, /"text" must be the message/],
            [{ to: 'gemini', text: '   ' }, 400, /The message is empty/],
        ];
        for (const [body, status, message] of cases) {
            const answer = await api('POST', BUS_MESSAGES, bearer(developerJwt), body);
            assert.equal(answer.status, status, `${JSON.stringify(body)}: ${answer.text}`);
            assert.match(answer.body.error!, message);
        }
        assert.equal((await api('GET', BUS_MESSAGES, {})).status, 401);
    });
});

