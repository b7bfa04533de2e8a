import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { studioAppDir } from '../lib/repo-paths';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { LOCKS_PATH } from '@coditect/file-locks/lib/common/lock-protocol';
import { ORCHESTRATOR_PATH } from '@coditect/agent-activity/lib/common/orchestrator-protocol';
import { AUDIENCE, bearer, startSecuredStudio, token, waitForCore } from './security-fixture';

/** Every kind of route the studio serves: the IDE's page and bundle, our HTTP APIs, Theia's upload, an unknown path, socket.io's polling. */
const ROUTES: readonly { method: string; path: string }[] = [
    { method: 'GET', path: '/' },
    { method: 'GET', path: '/index.html' },
    { method: 'GET', path: '/bundle.js' },
    { method: 'GET', path: '/coditect/api/locks' },
    { method: 'POST', path: '/coditect/api/locks' },
    { method: 'DELETE', path: '/coditect/api/locks/some-id' },
    { method: 'POST', path: '/file-upload' },
    { method: 'GET', path: '/no/such/route' },
];

describe('authentication (JWT) against the running backend', function () {
    this.timeout(120_000);
    let secured: Awaited<ReturnType<typeof startSecuredStudio>>;
    let good: string;

    before(async () => {
        secured = await startSecuredStudio();
        good = await token({ role: 'admin', sub: 'ada' });
        await waitForCore(secured.studio, bearer(good));
    });
    after(async () => secured?.stop());

    const request = (route: { method: string; path: string }, headers: Record<string, string> = {}) =>
        fetch(`${secured.studio.url}${route.path}`, { method: route.method, headers, redirect: 'manual' });

    it('answers 401 on every route without a credential, and sends a browser to the login page', async () => {
        for (const route of ROUTES) {
            const response = await request(route);
            assert.equal(response.status, 401, `${route.method} ${route.path}`);
            assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
            assert.match((await response.json() as { error: string }).error, /authentication required: no credential/);
        }
        const page = await request({ method: 'GET', path: '/' }, { Accept: 'text/html' });
        assert.equal(page.status, 302);
        assert.equal(page.headers.get('location'), 'login');
        const login = await request({ method: 'GET', path: '/login' });
        assert.equal(login.status, 200);
        assert.match(await login.text(), /Sign in to CODITECT Development Studio/);
    });

    it('lets a valid token through on every route, by header or by the session cookie a login sets', async () => {
        for (const route of ROUTES.filter(r => r.method === 'GET' && !r.path.startsWith('/no/'))) {
            assert.equal((await request(route, bearer(good))).status, 200, route.path);
        }
        const login = await fetch(`${secured.studio.url}/login`, { method: 'POST', body: new URLSearchParams({ token: good }), redirect: 'manual' });
        assert.equal(login.status, 303);
        const cookie = login.headers.getSetCookie().find(c => c.startsWith('coditect_session=')) ?? '';
        assert.match(cookie, /coditect_session=.*HttpOnly.*SameSite=Strict/i);
        const withCookie = await request({ method: 'GET', path: '/coditect/api/locks' }, { Cookie: cookie.split(';')[0] });
        assert.equal(withCookie.status, 200);
    });

    it('refuses expired, wrongly signed and wrong-audience tokens with 401, saying which', async () => {
        const cases: [string, RegExp][] = [
            [await token({ expiresIn: Math.floor(Date.now() / 1000) - 60 }), /expired/],
            [await token({ secret: 'another-secret-that-is-32-characters-or-more' }), /signature/],
            [await token({ audience: 'someone-else' }), /"aud" claim/],
            ['not-a-token', /not a well-formed token/],
        ];
        for (const [bad, reason] of cases) {
            const response = await request({ method: 'GET', path: '/coditect/api/locks' }, bearer(bad));
            assert.equal(response.status, 401);
            assert.match((await response.json() as { error: string }).error, reason);
            await assert.rejects(StudioRpcClient.connect(secured.studio.url, { headers: bearer(bad) }), /websocket refused/);
        }
    });

    it('refuses a websocket without a credential, and one from another origin even with a valid token', async () => {
        await assert.rejects(StudioRpcClient.connect(secured.studio.url), /websocket refused/);
        await assert.rejects(StudioRpcClient.connect(secured.studio.url, { headers: { ...bearer(good), Origin: 'https://evil.example' } }), /websocket refused/);
        const sameOrigin = await StudioRpcClient.connect(secured.studio.url, { headers: { ...bearer(good), Origin: secured.studio.url } });
        const locks = await sameOrigin.service<{ snapshot(): Promise<{ locks: unknown[] }> }>(LOCKS_PATH);
        assert.deepEqual((await locks.snapshot()).locks, []);
        sameOrigin.close();
    });
});

describe('login throttling', function () {
    this.timeout(120_000);

    it('answers 429 after too many failed sign-ins from one address, even with a good token, and audits each failure', async () => {
        const secured = await startSecuredStudio({ STUDIO_LOGIN_ATTEMPTS: '5', STUDIO_LOGIN_WINDOW_S: '60' });
        try {
            const good = await token({ role: 'admin' });
            await waitForCore(secured.studio, bearer(good));
            for (let i = 0; i < 5; i++) {
                const response = await fetch(`${secured.studio.url}/login`, { method: 'POST', body: new URLSearchParams({ token: `guess-${i}` }) });
                assert.equal(response.status, 401);
            }
            const throttled = await fetch(`${secured.studio.url}/coditect/api/locks`, { headers: bearer(good) });
            assert.equal(throttled.status, 429);
            assert.ok(Number(throttled.headers.get('retry-after')) > 0);
            const form = await fetch(`${secured.studio.url}/login`, { method: 'POST', body: new URLSearchParams({ token: good }) });
            assert.equal(form.status, 429);
            await secured.studio.stop();
            const Database = (await import('better-sqlite3')).default;
            const db = new Database(path.join(secured.root, 'data', 'workspace.db'), { readonly: true });
            const failures = db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'login.failed' AND outcome = 'refused'").get() as { n: number };
            db.close();
            assert.equal(failures.n, 5);
        } finally {
            await secured.stop();
        }
    });
});

describe('binding beyond loopback', function () {
    this.timeout(60_000);

    it('refuses to start on a non-loopback address with only the local token, naming what to configure', async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exposed-'));
        try {
            const child = spawn(process.execPath, [path.join(studioAppDir, 'lib', 'backend', 'main.js'), root, '--hostname=0.0.0.0', '--port=0'], {
                cwd: studioAppDir, env: { ...process.env, STUDIO_WORKSPACE: root, STUDIO_DATA_DIR: path.join(root, 'data'), THEIA_CONFIG_DIR: path.join(root, 'cfg'), STUDIO_AUTH: 'local' },
                stdio: ['ignore', 'pipe', 'pipe'],
            });
            let output = '';
            child.stdout.on('data', chunk => output += chunk);
            child.stderr.on('data', chunk => output += chunk);
            const code = await new Promise<number | null>(resolve => child.once('exit', resolve));
            assert.equal(code, 78);
            assert.match(output, /refusing to start: listening on 0\.0\.0\.0/);
            assert.match(output, /STUDIO_AUTH=jwt/);
            assert.doesNotMatch(output, /listening on http/);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it('starts on a non-loopback address once JWT authentication is configured', async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exposed-'));
        const child = spawn(process.execPath, [path.join(studioAppDir, 'lib', 'backend', 'main.js'), root, '--hostname=0.0.0.0', '--port=0'], {
            cwd: studioAppDir,
            env: { ...process.env, STUDIO_WORKSPACE: root, STUDIO_DATA_DIR: path.join(root, 'data'), THEIA_CONFIG_DIR: path.join(root, 'cfg'), STUDIO_AUTH_JWT_SECRET: 'x'.repeat(40), STUDIO_AUTH_AUDIENCE: AUDIENCE },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        try {
            const listening = await new Promise<boolean>(resolve => {
                let output = '';
                child.stdout.on('data', chunk => {
                    output += chunk;
                    if (/listening on http/.test(output)) {
                        resolve(true);
                    }
                });
                child.once('exit', () => resolve(false));
            });
            assert.equal(listening, true);
        } finally {
            child.kill('SIGKILL');
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});

describe('task submission throttling', function () {
    this.timeout(120_000);

    it('refuses a person\'s tasks past STUDIO_TASKS_PER_MINUTE, saying when to try again, while another person may still submit', async () => {
        const secured = await startSecuredStudio({ STUDIO_TASKS_PER_MINUTE: '3', STUDIO_AGENT_SCRIPT: '' });
        const dev = await StudioRpcClient.connect(secured.studio.url, { headers: bearer(await token({ sub: 'dev' })) });
        const other = await StudioRpcClient.connect(secured.studio.url, { headers: bearer(await token({ sub: 'other' })) });
        try {
            await waitForCore(secured.studio, bearer(await token({ sub: 'dev' })));
            type Queue = { submitTask(agentId: string, options: { prompt: string }): Promise<{ id: number }> };
            const queue = await dev.service<Queue>(ORCHESTRATOR_PATH);
            for (let i = 0; i < 3; i++) {
                assert.ok((await queue.submitTask('claude', { prompt: `task ${i}` })).id > 0);
            }
            await assert.rejects(queue.submitTask('claude', { prompt: 'one too many' }), /dev has submitted 3 tasks in the last minute.*try again in \d+ s/);
            assert.ok((await (await other.service<Queue>(ORCHESTRATOR_PATH)).submitTask('claude', { prompt: 'mine' })).id > 0);
        } finally {
            dev.close();
            other.close();
            await secured.stop();
        }
    });
});
