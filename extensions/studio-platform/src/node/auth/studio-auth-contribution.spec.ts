import * as os from 'node:os';
import * as assert from 'node:assert/strict';
import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from '@theia/core/shared/express';
import { Container } from '@theia/core/shared/inversify';
import { BackendApplicationCliContribution, EarlyExpressMiddleware } from '@theia/core/lib/node/backend-application';
import type { AuditEntry } from '@coditect/workspace-backend';
import type { SessionInfo } from '../../common/session-protocol';
import { WorkspaceCoreHost } from '../workspace-core-host';
import { AgentTokenVerifier, AgentTokenVerifierImpl } from './agent-token-verifier';
import { resolveAuthConfig } from './auth-config';
import { AuthConfigValue, CredentialVerifier, CredentialVerifierImpl } from './credential-verifier';
import { LoginThrottle } from './login-throttle';
import { RequestUsers } from './request-users';
import { SessionEndpoint } from './session-endpoint';
import { SessionSocket, SessionSockets } from './session-sockets';
import { sessionIdHash, SessionStore, SessionStoreImpl } from './session-store';
import { MemoryWebSessions } from './session-test-support';
import { StudioAuthContribution } from './studio-auth-contribution';

const TOKEN = 'the-local-token-of-this-studio-0123';

class QuickSessionStore extends SessionStoreImpl {
    protected override startupWaitMs = 200;
}

/** The authentication middleware in front of a real express app, over HTTP, with sessions in memory. */
describe('StudioAuthContribution: sessions, sign-in and sign-out', function () {
    this.timeout(20_000);

    let server: http.Server;
    let baseUrl: string;
    let container: Container;
    let rows: MemoryWebSessions;
    let resolveCore: (core: unknown) => void;
    let audited: AuditEntry[];

    async function serve(options: { coreReady?: boolean } = {}): Promise<void> {
        rows = new MemoryWebSessions();
        audited = [];
        const ready = new Promise(r => resolveCore = r);
        container = new Container();
        container.bind(AuthConfigValue).toConstantValue(resolveAuthConfig({ STUDIO_AUTH_TOKEN: TOKEN, STUDIO_LOGIN_ATTEMPTS: '3' }));
        container.bind(WorkspaceCoreHost).toConstantValue({ ready });
        container.bind(EarlyExpressMiddleware).toConstantValue({ handlers: [] } as EarlyExpressMiddleware);
        container.bind(BackendApplicationCliContribution).toConstantValue({ hostname: '127.0.0.1' } as BackendApplicationCliContribution);
        container.bind(CredentialVerifier).to(CredentialVerifierImpl).inSingletonScope();
        container.bind(AgentTokenVerifier).to(AgentTokenVerifierImpl).inSingletonScope();
        container.bind(RequestUsers).toSelf().inSingletonScope();
        container.bind(LoginThrottle).toSelf().inSingletonScope();
        container.bind(SessionStore).to(QuickSessionStore).inSingletonScope();
        container.bind(SessionSockets).toSelf().inSingletonScope();
        container.bind(SessionEndpoint).toSelf().inSingletonScope();
        container.bind(StudioAuthContribution).toSelf().inSingletonScope();
        const auth = container.get(StudioAuthContribution);
        auth.initialize();
        const app = express();
        app.use(...container.get(EarlyExpressMiddleware).handlers);
        container.get(SessionEndpoint).configure(app);
        app.get('/index.html', (_req, res) => res.type('html').send('<p>the IDE</p>'));
        if (options.coreReady !== false) {
            resolveCore({ webSessions: rows, audit: { record: (entry: AuditEntry) => audited.push(entry) } });
        }
        server = app.listen(0, '127.0.0.1');
        await new Promise(r => server.once('listening', r));
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    afterEach(async () => {
        (container?.get(SessionStore) as SessionStoreImpl | undefined)?.dispose();
        await new Promise(r => server?.close(r));
    });

    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${baseUrl}${path}`, { headers, redirect: 'manual' });
    const sessionCookieOf = (response: Response) => response.headers.getSetCookie().find(c => c.startsWith('coditect_session=')) ?? '';
    const cookiePair = (setCookie: string) => setCookie.split(';')[0];

    async function signInByUrl(): Promise<string> {
        const response = await get(`/index.html?token=${TOKEN}&x=1`);
        assert.equal(response.status, 302);
        assert.equal(response.headers.get('location'), './index.html?x=1');
        return sessionCookieOf(response);
    }

    it('turns the login URL\'s token into an opaque session cookie that never contains the token', async () => {
        await serve();
        const setCookie = await signInByUrl();
        assert.match(setCookie, /^coditect_session=[A-Za-z0-9_-]{43}; .*HttpOnly/);
        assert.match(setCookie, /SameSite=Strict/);
        assert.match(setCookie, /Expires=/);
        assert.ok(!setCookie.includes(TOKEN));
        assert.equal(rows.rows.size, 1);
        const me = await get('/coditect/session', { Cookie: cookiePair(setCookie) });
        assert.equal(me.status, 200);
        const info = await me.json() as SessionInfo;
        assert.equal(info.role, 'admin');
        assert.equal(info.grants['sql.write'], 'any', 'the admin column of the policy table comes with who you are');
        assert.equal(info.grants['task.cancel'], 'any');
        assert.equal((await get('/index.html', { Cookie: cookiePair(setCookie) })).status, 200);
    });

    it('signs in by the form too, ending the session the browser had before', async () => {
        await serve();
        const before = cookiePair(await signInByUrl());
        const response = await fetch(`${baseUrl}/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), headers: { Cookie: before }, redirect: 'manual' });
        assert.equal(response.status, 303);
        const after = cookiePair(sessionCookieOf(response));
        assert.match(after, /^coditect_session=[A-Za-z0-9_-]{43}$/);
        assert.notEqual(after, before);
        assert.equal((await get('/coditect/session', { Cookie: before })).status, 401);
        assert.equal((await get('/coditect/session', { Cookie: after })).status, 200);
        assert.equal(rows.rows.size, 1);
    });

    it('signs out on POST /logout: the session ends, the cookie is cleared, the browser goes to sign in, and the old cookie gets 401', async () => {
        await serve();
        const cookie = cookiePair(await signInByUrl());
        const notByGet = await get('/logout', { Cookie: cookie });
        assert.equal(notByGet.status, 200);
        assert.match(await notByGet.text(), /<form method="post" action="logout">/);
        assert.equal((await get('/coditect/session', { Cookie: cookie })).status, 200, 'a GET must not sign out');

        const logout = await fetch(`${baseUrl}/logout`, { method: 'POST', headers: { Cookie: cookie }, redirect: 'manual' });
        assert.equal(logout.status, 303);
        assert.equal(logout.headers.get('location'), 'login');
        assert.match(sessionCookieOf(logout), /^coditect_session=;.*Expires=Thu, 01 Jan 1970/);
        assert.equal(rows.rows.size, 0);

        const api = await get('/coditect/session', { Cookie: cookie });
        assert.equal(api.status, 401);
        assert.match(((await api.json()) as { error: string }).error, /the session has ended/);
        assert.match(sessionCookieOf(api), /^coditect_session=;/);
        const page = await get('/index.html', { Cookie: cookie, Accept: 'text/html' });
        assert.equal(page.status, 302);
        assert.equal(page.headers.get('location'), 'login');
        await fetch(`${baseUrl}/logout`, { method: 'POST', headers: { Cookie: cookie }, redirect: 'manual' });
        const me = `user:${os.userInfo().username}`;
        assert.deepEqual(audited.map(e => [e.action, e.outcome, e.userId]), [['login', 'allowed', me], ['logout', 'allowed', me]],
            'signing in and out are audited, once each: an ended session signs nobody out again');
        assert.equal(audited[0].client, '127.0.0.1');
    });

    it('does not count unknown session cookies as failed sign-ins, while wrong tokens still are throttled', async () => {
        await serve();
        for (let i = 0; i < 10; i++) {
            assert.equal((await get('/coditect/session', { Cookie: `coditect_session=${'x'.repeat(43)}` })).status, 401);
        }
        assert.equal((await get('/coditect/session', { Authorization: `Bearer ${TOKEN}` })).status, 200);
        const cookie = cookiePair(await signInByUrl());
        for (let i = 0; i < 3; i++) {
            assert.equal((await fetch(`${baseUrl}/login`, { method: 'POST', body: new URLSearchParams({ token: `guess-${i}` }) })).status, 401);
        }
        assert.equal((await get('/coditect/session', { Authorization: `Bearer ${TOKEN}` })).status, 429);
        assert.equal((await get(`/index.html?token=${TOKEN}`)).status, 429);
        // A live session is no guess: it still passes from the throttled address.
        assert.equal((await get('/coditect/session', { Cookie: cookie })).status, 200);
    });

    it('keeps header credentials working without a session, and sets no cookie for them', async () => {
        await serve();
        const response = await get('/coditect/session', { Authorization: `Bearer ${TOKEN}` });
        assert.equal(response.status, 200);
        assert.equal(sessionCookieOf(response), '');
        assert.equal(rows.rows.size, 0);
        // The cookie header alone is never read as a token.
        assert.equal((await get('/coditect/session', { Cookie: `coditect_session=${TOKEN}` })).status, 401);
    });

    it('answers 503 (ask again) for a cookie it cannot check while the core starts, then lets it in', async () => {
        await serve();
        const cookie = cookiePair(await signInByUrl());
        const sessionRows = rows;
        (container.get(SessionStore) as SessionStoreImpl).dispose();
        await new Promise(r => server.close(r));
        // A restart: the stored session is only known once the core is ready.
        await serve({ coreReady: false });
        const api = await get('/coditect/session', { Cookie: cookie });
        assert.equal(api.status, 503);
        assert.equal(api.headers.get('retry-after'), '3');
        const page = await get('/index.html', { Cookie: cookie, Accept: 'text/html' });
        assert.equal(page.status, 503);
        assert.match(await page.text(), /http-equiv="refresh"/);
        resolveCore({ webSessions: sessionRows, audit: { record: (entry: AuditEntry) => audited.push(entry) } });
        assert.equal((await get('/coditect/session', { Cookie: cookie })).status, 200);
    });

    it('lets a websocket in by its session cookie and closes it when the session ends', async () => {
        await serve();
        const cookie = cookiePair(await signInByUrl());
        const auth = container.get(StudioAuthContribution);
        const sockets = container.get(SessionSockets);
        const handshake = { headers: { cookie, host: 'studio.test', origin: 'http://studio.test' } } as unknown as http.IncomingMessage;
        assert.equal(await auth.allowWsUpgrade(handshake), true);
        assert.equal(container.get(RequestUsers).get(handshake)?.role, 'admin');
        const closed: boolean[] = [];
        const socket: SessionSocket = { disconnect: close => closed.push(close === true), once: () => undefined };
        sockets.onDidWebSocketUpgrade(handshake, socket);
        const idHash = sessionIdHash(cookie.slice('coditect_session='.length));
        assert.equal(sockets.openCount(idHash), 1);

        await fetch(`${baseUrl}/logout`, { method: 'POST', headers: { Cookie: cookie }, redirect: 'manual' });
        assert.deepEqual(closed, [true]);
        assert.equal(sockets.openCount(idHash), 0);
        assert.equal(await auth.allowWsUpgrade({ headers: { cookie } } as unknown as http.IncomingMessage), false);
        // A socket handed over after its session ended is closed at once.
        const late: boolean[] = [];
        sockets.onDidWebSocketUpgrade(handshake, { disconnect: close => late.push(close === true), once: () => undefined });
        assert.deepEqual(late, [true]);
    });
});
