import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { personPrincipal, WorkspaceCore } from '@coditect/workspace-backend';
import { WorkspaceCoreHost } from '@coditect/studio-core/lib/node/workspace-core-host';
import express from '@theia/core/shared/express';
import { Container } from '@theia/core/shared/inversify';
import { LOCKS_HTTP_PATH, LockHttpEndpoint } from './lock-http-endpoint';

describe('LockHttpEndpoint', () => {
    let root: string;
    let core: WorkspaceCore;
    let server: http.Server;
    let base: string;
    const call = async (method: string, url: string, body?: unknown) => {
        const response = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
    const gemini = { id: 'gemini', displayName: 'Gemini' };

    beforeEach(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-http-'));
        process.env.STUDIO_REPLICA_URL = 'off';
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });
        await core.start();
        const container = new Container();
        container.bind(WorkspaceCoreHost).toConstantValue({ ready: Promise.resolve(core) });
        container.bind(LockHttpEndpoint).toSelf();
        const app = express();
        container.get(LockHttpEndpoint).configure(app);
        server = app.listen(0, '127.0.0.1');
        await new Promise(resolve => server.once('listening', resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${LOCKS_HTTP_PATH}`;
    });
    afterEach(async () => {
        await new Promise(resolve => server.close(resolve));
        await core.stop();
        delete process.env.STUDIO_REPLICA_URL;
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('grants, lists, renews and releases a lock for an outside agent', async () => {
        const granted = await call('POST', '', { path: 'src/a.ts', mode: 'exclusive', owner: gemini, ttlMs: 60_000 });
        assert.equal(granted.status, 201);
        assert.equal(granted.body.owner.id, 'agent:gemini', 'outside owners are always agents');
        assert.equal((await call('GET', '')).body.locks.length, 1);
        assert.equal((await call('POST', `/${granted.body.id}/renew`, { ownerId: 'agent:gemini' })).status, 200);
        assert.equal((await call('DELETE', `/${granted.body.id}?ownerId=agent:gemini`)).status, 204);
        assert.equal(core.locks.list().length, 0);
    });

    it('answers conflicts with 409 and the holders, and waits when asked', async () => {
        const held = await call('POST', '', { path: 'a.ts', mode: 'exclusive', owner: gemini });
        const refused = await call('POST', '', { path: 'a.ts', mode: 'shared', owner: { id: 'claude' } });
        assert.equal(refused.status, 409);
        assert.equal(refused.body.holders[0].owner.displayName, 'Gemini');
        const waiting = call('POST', '', { path: 'a.ts', mode: 'shared', owner: { id: 'claude' }, waitMs: 5000 });
        await new Promise(resolve => setTimeout(resolve, 50));
        await call('DELETE', `/${held.body.id}?ownerId=agent:gemini`);
        assert.equal((await waiting).status, 201);
    });

    it('refuses bad input, foreign releases and paths outside the workspace with what to do', async () => {
        assert.match((await call('POST', '', { mode: 'exclusive', owner: gemini })).body.error, /"path" is required/);
        assert.equal((await call('POST', '', { path: '/etc/passwd', mode: 'exclusive', owner: gemini })).status, 400);
        assert.equal((await call('POST', '', { path: 'a', mode: 'exclusive', owner: gemini, waitMs: 'soon' })).status, 400);
        assert.equal((await call('POST', '', { path: 'a', mode: 'exclusive' })).status, 400);
        const held = await call('POST', '', { path: 'a', mode: 'exclusive', owner: gemini });
        assert.equal((await call('DELETE', `/${held.body.id}?ownerId=agent:claude`)).status, 403);
        assert.equal((await call('DELETE', `/${held.body.id}`)).status, 400);
        assert.equal((await call('DELETE', '/nope?ownerId=agent:gemini')).status, 404);
    });

    it('tells an agent whose lock was force-released why (410)', async () => {
        const held = await call('POST', '', { path: 'a', mode: 'exclusive', owner: gemini });
        core.locks.forceRelease(held.body.id, personPrincipal({ id: 'user:alice', displayName: 'Alice', role: 'developer' }), 'urgent');
        const renewed = await call('POST', `/${held.body.id}/renew`, { ownerId: 'agent:gemini' });
        assert.equal(renewed.status, 410);
        assert.match(renewed.body.error, /force-released by Alice: urgent/);
    });
});
