import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { studioAppDir } from '../lib/repo-paths';
import { launchStudio } from '../lib/studio-process';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { LOCKS_PATH } from '@coditect/file-locks/common';
import { ORCHESTRATOR_PATH } from '@coditect/agent-activity/common';
import { AUDIENCE, bearer, JWT_SECRET, startSecuredStudio, token, waitForCore } from './security-fixture';

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
        assertOpaque(cookie, good);
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
            const form = await fetch(`${secured.studio.url}/login`, { method: 'POST', body: new URLSearchParams({ token: good }), redirect: 'manual' });
            assert.equal(form.status, 429);
            assert.equal(sessionCookieOf(form), '', 'a throttled sign-in makes no session');
            const byUrl = await fetch(`${secured.studio.url}/?token=${good}`, { redirect: 'manual' });
            assert.equal(byUrl.status, 429);
            assert.equal(sessionCookieOf(byUrl), '');
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

/** The session cookie a response sets, as `name=value`; '' when it sets none. */
function sessionCookieOf(response: Response): string {
    return (response.headers.getSetCookie().find(c => c.startsWith('coditect_session=')) ?? '').split(';')[0];
}

/** A session cookie is a random id: neither the token nor any part of it. */
function assertOpaque(setCookie: string, signedInWith: string): void {
    const value = setCookie.split(';')[0].slice('coditect_session='.length);
    assert.match(value, /^[A-Za-z0-9_-]{43}$/, 'the cookie is a 32-byte base64url session id');
    for (const part of signedInWith.split('.')) {
        assert.ok(!value.includes(part) && !setCookie.includes(part), 'the cookie contains the token');
    }
}

async function signIn(url: string, jwt: string): Promise<string> {
    const response = await fetch(`${url}/login`, { method: 'POST', body: new URLSearchParams({ token: jwt }), redirect: 'manual' });
    assert.equal(response.status, 303);
    const setCookie = response.headers.getSetCookie().find(c => c.startsWith('coditect_session=')) ?? '';
    assertOpaque(setCookie, jwt);
    return setCookie.split(';')[0];
}

/** Polls until the cookie gets `status` (a restarted studio loads its sessions once its core is ready). */
async function statusWith(url: string, cookie: string, status: number): Promise<number> {
    const deadline = Date.now() + 30_000;
    let last = 0;
    while (Date.now() < deadline) {
        last = (await fetch(`${url}/coditect/api/locks`, { headers: { Cookie: cookie }, redirect: 'manual' })).status;
        if (last === status || last !== 503) {
            return last;
        }
        await new Promise(resolve => setTimeout(resolve, 250));
    }
    return last;
}

describe('browser sessions', function () {
    this.timeout(180_000);

    it('signs out on POST /logout: the studio closes the session\'s websocket, and the old cookie gets 401 and a page goes to sign in', async () => {
        const secured = await startSecuredStudio();
        try {
            const jwt = await token({ role: 'admin', sub: 'ada' });
            await waitForCore(secured.studio, bearer(jwt));
            const cookie = await signIn(secured.studio.url, jwt);
            assert.equal((await fetch(`${secured.studio.url}/coditect/api/locks`, { headers: { Cookie: cookie } })).status, 200);
            const socket = await StudioRpcClient.connect(secured.studio.url, { headers: { Cookie: cookie, Origin: secured.studio.url } });
            const locks = await socket.service<{ snapshot(): Promise<{ locks: unknown[] }> }>(LOCKS_PATH);
            assert.deepEqual((await locks.snapshot()).locks, []);

            const logout = await fetch(`${secured.studio.url}/logout`, { method: 'POST', headers: { Cookie: cookie }, redirect: 'manual' });
            assert.equal(logout.status, 303);
            assert.equal(logout.headers.get('location'), 'login');
            assert.match(logout.headers.getSetCookie().join('\n'), /coditect_session=;.*Expires=Thu, 01 Jan 1970/);
            const closedBy = await Promise.race([socket.closed, new Promise<string>(resolve => setTimeout(() => resolve('still open after 5 s'), 5000))]);
            assert.match(closedBy, /^(io server disconnect|transport close)$/, 'the studio closes the signed-out session\'s websocket');

            const api = await fetch(`${secured.studio.url}/coditect/api/locks`, { headers: { Cookie: cookie } });
            assert.equal(api.status, 401);
            assert.match((await api.json() as { error: string }).error, /the session has ended/);
            const page = await fetch(`${secured.studio.url}/`, { headers: { Cookie: cookie, Accept: 'text/html' }, redirect: 'manual' });
            assert.equal(page.status, 302);
            assert.equal(page.headers.get('location'), 'login');
            await assert.rejects(StudioRpcClient.connect(secured.studio.url, { headers: { Cookie: cookie } }), /websocket refused/);
            // The token itself still signs in (sign-out ends the session, not the identity provider's token).
            assert.equal((await fetch(`${secured.studio.url}/coditect/api/locks`, { headers: bearer(jwt) })).status, 200);

            await secured.studio.stop();
            const db = fs.readFileSync(path.join(secured.root, 'data', 'workspace.db'));
            assert.equal(db.includes(cookie.slice('coditect_session='.length)), false, 'a session id is in workspace.db');
            assert.equal(db.includes(jwt), false, 'the token is in workspace.db');
        } finally {
            await secured.stop();
        }
    });

    it('keeps sessions across a restart with the same key, and a restart with another JWT secret revokes them', async () => {
        const secured = await startSecuredStudio();
        const relaunch = (env: Record<string, string>) => launchStudio({
            appDir: studioAppDir, workspaceDir: secured.workspaceDir, dataDir: path.join(secured.root, 'data'), logName: 'security-restart',
            env: { STUDIO_AUTH: 'jwt', STUDIO_AUTH_JWT_SECRET: JWT_SECRET, STUDIO_AUTH_AUDIENCE: AUDIENCE, STUDIO_REPLICA_URL: `file://${path.join(secured.root, 'replica')}`, ...env },
        });
        let studio = secured.studio;
        try {
            const jwt = await token({ role: 'developer', sub: 'bob' });
            await waitForCore(studio, bearer(jwt));
            const cookie = await signIn(studio.url, jwt);
            await studio.stop();

            studio = await relaunch({});
            assert.equal(await statusWith(studio.url, cookie, 200), 200, 'a restart with the same key keeps people signed in');
            await studio.stop();

            const otherSecret = 'a-different-secret-that-is-32-characters-long';
            studio = await relaunch({ STUDIO_AUTH_JWT_SECRET: otherSecret });
            assert.equal(await statusWith(studio.url, cookie, 401), 401, 'a session made under the old secret is revoked');
            const fresh = await signIn(studio.url, await token({ sub: 'bob', secret: otherSecret }));
            assert.equal(await statusWith(studio.url, fresh, 200), 200);
            await studio.stop();

            // Back to the first secret: the revoked session does not come back.
            studio = await relaunch({});
            assert.equal(await statusWith(studio.url, cookie, 401), 401);
        } finally {
            await studio.stop();
            await secured.stop();
        }
    });

    it('ends a session at the token\'s expiry and after the idle limit: then 401, and the browser is sent to sign in', async () => {
        const secured = await startSecuredStudio({ STUDIO_SESSION_IDLE_HOURS: '0.001' });
        try {
            const lasting = await token({ sub: 'ada', expiresIn: '1h' });
            await waitForCore(secured.studio, bearer(lasting));
            const shortLived = await token({ sub: 'ada', expiresIn: Math.floor(Date.now() / 1000) + 3 });
            const capped = await signIn(secured.studio.url, shortLived);
            const idle = await signIn(secured.studio.url, lasting);
            const api = (cookie: string) => fetch(`${secured.studio.url}/coditect/api/locks`, { headers: { Cookie: cookie } });
            assert.equal((await api(capped)).status, 200);
            assert.equal((await api(idle)).status, 200);
            const idleSince = Date.now();
            // Used every second, the short-lived token's session still ends with the token (about 3 s), never later.
            const deadline = Date.now() + 6000;
            let status = 200;
            while (status === 200 && Date.now() < deadline) {
                await new Promise(resolve => setTimeout(resolve, 1000));
                status = (await api(capped)).status;
            }
            assert.equal(status, 401);
            // 3.6 s unused: the idle session has ended too.
            await new Promise(resolve => setTimeout(resolve, Math.max(0, idleSince + 4500 - Date.now())));
            const expired = await api(idle);
            assert.equal(expired.status, 401);
            assert.match((await expired.json() as { error: string }).error, /expired/);
            assert.match(sessionCookieOf(expired), /^coditect_session=$/);
            const page = await fetch(`${secured.studio.url}/`, { headers: { Cookie: idle, Accept: 'text/html' }, redirect: 'manual' });
            assert.equal(page.status, 302);
            assert.equal(page.headers.get('location'), 'login');
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
        const secured = await startSecuredStudio({ STUDIO_TASKS_PER_MINUTE: '3' });
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
