import * as assert from 'node:assert/strict';
import { agentPrincipal, personPrincipal, Principal, WorkspaceCore } from '@coditect/workspace-backend';
import { JsonApiTestServer, startJsonApiTestServer } from '@coditect/studio-platform/test-support';
import { LOCKS_HTTP_PATH, LockHttpEndpoint } from './lock-http-endpoint';

const gemini = agentPrincipal('gemini', 'Gemini');
const claude = agentPrincipal('claude', 'Claude');
const dev = personPrincipal({ id: 'user:dev', displayName: 'Dev', role: 'developer' });
const ada = personPrincipal({ id: 'user:ada', displayName: 'Ada', role: 'admin' });
const principals: Record<string, Principal> = { gemini, claude, dev, ada };

describe('LockHttpEndpoint: every lock as the request\'s credential', () => {
    let api: JsonApiTestServer;
    let core: WorkspaceCore;
    /** Calls as `as` (a principal recorded for the request the way the authentication middleware does), or with none. */
    const call = (as: keyof typeof principals | 'nobody', method: string, url: string, body?: unknown) => api.call(as, method, url, body);
    const refusals = () => core.audit.recent().filter(e => e.outcome === 'refused').map(e => [e.userId, e.action, e.target, e.detail]);

    beforeEach(async () => {
        api = await startJsonApiTestServer({ endpoint: LockHttpEndpoint, basePath: LOCKS_HTTP_PATH, principals, prefix: 'lock-http-' });
        core = api.core;
    });
    afterEach(() => api.close());

    it('grants, lists, renews and releases an agent token\'s lock in the agent\'s name, and a person\'s in theirs', async () => {
        const granted = await call('gemini', 'POST', '', { path: 'src/a.ts', mode: 'exclusive', ttlMs: 60_000 });
        assert.equal(granted.status, 201);
        assert.deepEqual(granted.body.owner, { id: 'agent:gemini', kind: 'agent', displayName: 'Gemini' });
        const mine = await call('dev', 'POST', '', { path: 'src/b.ts', mode: 'shared' });
        assert.deepEqual(mine.body.owner, { id: 'user:dev', kind: 'human', displayName: 'Dev' });
        assert.equal((await call('claude', 'GET', '')).body.locks.length, 2);
        const renewed = await call('gemini', 'POST', `/${granted.body.id}/renew`, { ttlMs: 120_000 });
        assert.deepEqual([renewed.status, renewed.body.ttlMs], [200, 120_000]);
        assert.equal((await call('gemini', 'DELETE', `/${granted.body.id}`)).status, 204);
        assert.equal((await call('dev', 'DELETE', `/${mine.body.id}`)).status, 204);
        assert.equal(core.locks.list().length, 0);
    });

    it('refuses a body owner or ownerId naming anyone but the credential (403, audited), and accepts its own for older clients', async () => {
        const impersonation = await call('dev', 'POST', '', { path: 'src/a.ts', mode: 'exclusive', owner: { id: 'agent:claude', displayName: 'Claude' } });
        assert.equal(impersonation.status, 403);
        assert.match(impersonation.body.error, /^This credential is Dev \(developer\) \(user:dev\); it acts only in its own name, not as "agent:claude"\. Leave "owner" and "ownerId" out/);
        assert.equal(core.locks.list().length, 0, 'nothing was taken');

        const own = await call('gemini', 'POST', '', { path: 'src/a.ts', mode: 'exclusive', owner: { id: 'gemini', displayName: 'Someone Else' } });
        assert.equal(own.status, 201, 'its own id, with or without the agent: prefix');
        assert.equal(own.body.owner.displayName, 'Gemini', 'the name is the credential\'s too');
        assert.equal((await call('gemini', 'POST', `/${own.body.id}/renew`, { ownerId: 'agent:gemini' })).status, 200);
        const byOtherId = await call('gemini', 'DELETE', `/${own.body.id}?ownerId=agent:claude`);
        assert.equal(byOtherId.status, 403);
        assert.match(byOtherId.body.error, /This credential is agent Gemini \(agent:gemini\); it acts only in its own name, not as "agent:claude"/);
        assert.equal((await call('gemini', 'DELETE', `/${own.body.id}?ownerId=agent:gemini`)).status, 204);

        assert.deepEqual(refusals().reverse(), [
            ['user:dev', 'lock.acquire', 'src/a.ts', 'tried to act as agent:claude'],
            ['agent:gemini', 'lock.release', `lock ${own.body.id}`, 'tried to act as agent:claude'],
        ]);
    });

    it('renews and releases only the principal\'s own locks, naming the holder and how to force-release', async () => {
        const adminLock = await call('ada', 'POST', '', { path: 'docs', mode: 'exclusive' });
        const agentLock = await call('claude', 'POST', '', { path: 'src/a.ts', mode: 'exclusive' });
        for (const [lock, holder] of [[adminLock.body, 'Ada \\(user:ada\\)'], [agentLock.body, 'Claude \\(agent:claude\\)']] as const) {
            const renew = await call('dev', 'POST', `/${lock.id}/renew`, {});
            assert.equal(renew.status, 403);
            assert.match(renew.body.error, new RegExp(`^Dev \\(developer\\) may not renew a lock \\(${lock.path}\\): it belongs to ${lock.owner.id}; only its owner may\\. It is held by ${holder}\\. To take it anyway, force-release it: DELETE /coditect/api/locks/${lock.id}\\?force=1&reason=<why>`));
            const release = await call('gemini', 'DELETE', `/${lock.id}`);
            assert.equal(release.status, 403);
            assert.match(release.body.error, new RegExp(`may not release a lock .* It is held by ${holder}`));
        }
        assert.equal(core.locks.list().length, 2, 'both still held');
        assert.deepEqual(refusals().map(r => `${r[0]} ${r[1]} ${r[2]}`).reverse(), [
            'user:dev lock.renew docs', 'agent:gemini lock.release docs', 'user:dev lock.renew src/a.ts', 'agent:gemini lock.release src/a.ts',
        ]);
    });

    it('force-releases through the policy: a person an agent\'s lock, only an admin a person\'s, never an agent another\'s; each audited', async () => {
        const adminLock = await call('ada', 'POST', '', { path: 'docs', mode: 'exclusive' });
        const claudeLock = await call('claude', 'POST', '', { path: 'src/a.ts', mode: 'exclusive' });

        assert.match((await call('dev', 'DELETE', `/${claudeLock.body.id}?force=1`)).body.error, /"reason \(query parameter: why you take it; the holder is told\)" is required/);
        assert.equal((await call('dev', 'DELETE', `/${claudeLock.body.id}?force=yes&reason=x`)).status, 400);

        const byAgent = await call('gemini', 'DELETE', `/${claudeLock.body.id}?force=1&reason=mine`);
        assert.equal(byAgent.status, 403);
        const byDeveloper = await call('dev', 'DELETE', `/${adminLock.body.id}?force=1&reason=mine`);
        assert.equal(byDeveloper.status, 403);
        assert.match(byDeveloper.body.error, /Dev \(developer\) may not force-release someone else's lock \(docs\): it belongs to user:ada, not an agent; only an admin may\. Ask an admin\./);

        const taken = await call('dev', 'DELETE', `/${claudeLock.body.id}?force=1&reason=${encodeURIComponent('stuck for an hour')}`);
        assert.equal(taken.status, 200);
        assert.equal(taken.body.owner.id, 'agent:claude');
        const renewed = await call('claude', 'POST', `/${claudeLock.body.id}/renew`, {});
        assert.equal(renewed.status, 410);
        assert.match(renewed.body.error, /force-released by Dev: stuck for an hour/);
        assert.equal((await call('ada', 'DELETE', `/${adminLock.body.id}?force=1&reason=cleanup`)).status, 200, 'its own, or an admin anyone\'s');

        const audit = core.audit.recent({ action: 'lock.force-release' }).reverse().map(e => [e.userId, e.target, e.outcome]);
        assert.deepEqual(audit, [
            ['agent:gemini', 'src/a.ts', 'refused'], ['user:dev', 'docs', 'refused'], ['user:dev', 'src/a.ts', 'allowed'], ['user:ada', 'docs', 'allowed'],
        ]);
    });

    it('answers conflicts with 409 and the holders, and waits when asked', async () => {
        const held = await call('gemini', 'POST', '', { path: 'a.ts', mode: 'exclusive' });
        const refused = await call('claude', 'POST', '', { path: 'a.ts', mode: 'shared' });
        assert.equal(refused.status, 409);
        assert.equal(refused.body.holders[0].owner.displayName, 'Gemini');
        const waiting = call('claude', 'POST', '', { path: 'a.ts', mode: 'shared', waitMs: 5000 });
        await new Promise(resolve => setTimeout(resolve, 50));
        await call('gemini', 'DELETE', `/${held.body.id}`);
        const granted = await waiting;
        assert.deepEqual([granted.status, granted.body.owner.id], [201, 'agent:claude']);
    });

    it('refuses bad input and paths outside the workspace with what to do, and serves nobody without a verified credential', async () => {
        assert.match((await call('gemini', 'POST', '', { mode: 'exclusive' })).body.error, /"path" is required/);
        assert.equal((await call('gemini', 'POST', '', { path: '/etc/passwd', mode: 'exclusive' })).status, 400);
        assert.equal((await call('gemini', 'POST', '', { path: 'a', mode: 'exclusive', waitMs: 'soon' })).status, 400);
        assert.equal((await call('gemini', 'POST', '', { path: 'a', mode: 'write' })).status, 400);
        assert.match((await call('gemini', 'POST', '', { path: 'a', mode: 'exclusive', owner: {} })).body.error, /"owner\.id" is required/);
        assert.equal((await call('gemini', 'DELETE', '/nope')).status, 404);
        const anonymous = await call('nobody', 'POST', '', { path: 'a', mode: 'exclusive' });
        assert.equal(anonymous.status, 500);
        assert.match(anonymous.body.error, /carries no verified credential/);
        assert.equal(core.locks.list().length, 0);
    });
});
