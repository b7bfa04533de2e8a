import * as fs from 'node:fs';
import type * as http from 'node:http';
import { BackendApplicationCliContribution, BackendApplicationContribution, EarlyExpressMiddleware } from '@theia/core/lib/node/backend-application';
import { WsRequestValidatorContribution } from '@theia/core/lib/node/ws-request-validators';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { NextFunction, Request, Response } from '@theia/core/shared/express';
import * as path from 'node:path';
import type { AuditEntry } from '@coditect/workspace-backend';
import { carriesScrapeToken, looksLikeAgentToken } from '@coditect/workspace-backend';
import { StudioUser } from '../../common/studio-user';
import { WorkspaceCoreHost } from '../workspace-core-host';
import { declareHttpEntry } from '../http/http-entry-points';
import { AgentTokenVerifier } from './agent-token-verifier';
import { AuthConfig, isLoopbackHost } from './auth-config';
import { AuthConfigValue, CredentialVerifier, Verification } from './credential-verifier';
import { loginPage, signOutPage } from './login-page';
import { LoginThrottle } from './login-throttle';
import { clientAddressOf, credentialOf, isSecureRequest, SESSION_COOKIE, sessionIdOf } from './request-credential';
import { RequestUsers } from './request-users';
import { METRICS_PATH } from '../metrics-endpoint';
import { SessionSockets } from './session-sockets';
import { SessionStore } from './session-store';

/** Routes anyone may reach: the probes of the orchestrator (Kubernetes, Docker) and the sign-in itself. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/health', '/login', '/logout']);

/** The only routes an agent token opens: the studio's HTTP APIs (locks, tokens, ...), never the IDE or its websocket. */
export const AGENT_TOKEN_ROUTES = '/coditect/api/';

/**
 * Every HTTP request and websocket handshake of the studio passes here first. A request is let
 * through only with a verified credential (a token in a header) or a live session (its cookie);
 * signing in (a login URL's token, the sign-in form) makes a server-side session whose opaque id
 * goes into an HttpOnly cookie, and POST /logout ends it. The person it stands for is recorded in
 * `RequestUsers` for the route or connection behind. Websocket handshakes are also checked
 * against the allowed origins (cross-site websocket hijacking). An agent token (`cdt_…`, issued by
 * an admin for one agent) is a credential only for HTTP routes under `AGENT_TOKEN_ROUTES`, and
 * records the agent's principal; anywhere else it is refused without being looked up.
 *
 * Invariant: the middleware is registered before Theia's static files and every other route
 * (`EarlyExpressMiddleware`), so nothing the backend serves is reachable without a credential
 * except the `PUBLIC_PATHS`.
 */
@injectable()
export class StudioAuthContribution implements BackendApplicationContribution, WsRequestValidatorContribution {

    @inject(AuthConfigValue) protected readonly config: AuthConfig;
    @inject(CredentialVerifier) protected readonly verifier: CredentialVerifier;
    @inject(AgentTokenVerifier) protected readonly agentTokens: AgentTokenVerifier;
    @inject(LoginThrottle) protected readonly throttle: LoginThrottle;
    @inject(RequestUsers) protected readonly users: RequestUsers;
    @inject(WorkspaceCoreHost) protected readonly coreHost: WorkspaceCoreHost;
    @inject(SessionStore) protected readonly sessions: SessionStore;
    @inject(SessionSockets) protected readonly sessionSockets: SessionSockets;
    @inject(EarlyExpressMiddleware) protected readonly earlyMiddleware: EarlyExpressMiddleware;
    @inject(BackendApplicationCliContribution) protected readonly cli: BackendApplicationCliContribution;

    initialize(): void {
        this.refuseUnprotectedExposure();
        // Served by the middleware itself (handlePublic), before any route: declared here so the studio's surface lists them.
        for (const [method, path] of [['GET', '/login'], ['POST', '/login'], ['GET', '/logout'], ['POST', '/logout']] as const) {
            declareHttpEntry({ method, path, access: 'public' });
        }
        this.earlyMiddleware.handlers.push((req: Request, res: Response, next: NextFunction) => {
            this.handle(req, res, next).catch(error => {
                res.status(500).json({ error: `authentication failed unexpectedly: ${error instanceof Error ? error.message : String(error)}` });
            });
        });
    }

    /** The local token is for one person on their own machine; anything reachable from outside needs real authentication. */
    protected refuseUnprotectedExposure(): void {
        const host = this.cli.hostname ?? 'localhost';
        if (this.config.mode === 'local' && !isLoopbackHost(host)) {
            // Written straight to the descriptor: Theia routes console output through its asynchronous logger, which would not flush before the exit.
            fs.writeSync(2, `[studio] refusing to start: listening on ${host} would expose the workspace (a shell, the agents' keys, the databases) `
                + 'with only the local token. Configure authentication (STUDIO_AUTH=jwt with STUDIO_AUTH_JWT_SECRET, STUDIO_AUTH_JWT_PUBLIC_KEY_FILE or '
                + 'STUDIO_AUTH_JWKS_URL, and STUDIO_AUTH_AUDIENCE), or listen on 127.0.0.1 behind a proxy that authenticates.\n');
            process.exit(78);
        }
    }

    onStart(server: http.Server): void {
        if (this.config.mode !== 'local') {
            return;
        }
        const token = this.config.token;
        const announce = () => {
            const address = server.address();
            if (address && typeof address === 'object') {
                const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
                // Jupyter's convention: the person who started the studio opens this URL once; it sets the session cookie.
                console.log(`[studio] login URL: http://${host}:${address.port}/?token=${token}`);
            }
        };
        if (server.listening) {
            announce();
        } else {
            server.once('listening', announce);
        }
    }

    protected async handle(req: Request, res: Response, next: NextFunction): Promise<void> {
        if (PUBLIC_PATHS.has(req.path)) {
            return this.handlePublic(req, res, next);
        }
        if (req.path === METRICS_PATH && carriesScrapeToken(req.headers.authorization, this.config.metricsToken)) {
            this.users.setScraper(req);
            return next();
        }
        const client = clientAddressOf(req);
        const fromUrl = req.method === 'GET' && typeof req.query.token === 'string' ? req.query.token : undefined;
        const credential = fromUrl ?? credentialOf(req, this.headerName);
        if (!credential) {
            const sessionId = sessionIdOf(req);
            return sessionId ? this.handleSession(req, res, next, sessionId) : this.refuse(req, res, 'no credential was presented');
        }
        const wait = await this.throttle.blockedFor(client);
        if (wait > 0) {
            res.setHeader('Retry-After', String(wait));
            res.status(429).json({ error: `too many failed sign-ins from ${client}; try again in ${wait} s` });
            return;
        }
        if (looksLikeAgentToken(credential)) {
            return this.handleAgentToken(req, res, next, credential, client, fromUrl !== undefined);
        }
        const verification = await this.verifier.verify(credential);
        if (!verification.ok) {
            await this.recordFailedLogin(client, verification.reason);
            return this.refuse(req, res, verification.reason);
        }
        if (fromUrl !== undefined) {
            // Take the token out of the address bar (and history, and Referer): the browser keeps a session id instead.
            await this.signIn(req, res, verification);
            res.redirect(302, withoutToken(req));
            return;
        }
        this.users.set(req, verification.user);
        next();
    }

    /**
     * An agent token: never taken from the address and never moved into a session cookie (it is
     * sent as `Authorization: Bearer`), and only on an HTTP route under AGENT_TOKEN_ROUTES. The route is judged on the path as
     * sent: one with dot segments or encoded characters that would normalise elsewhere
     * (`/coditect/api/../index.html`) is refused, so the prefix cannot be escaped. A token that is
     * unknown, revoked or expired counts as a failed sign-in (LoginThrottle) and is audited.
     */
    protected async handleAgentToken(req: Request, res: Response, next: NextFunction, token: string, client: string, fromUrl: boolean): Promise<void> {
        if (fromUrl) {
            return this.refuseAgent(res, 401, 'an agent token is not accepted in the address (it would be kept in logs and history); send it as "Authorization: Bearer <token>"');
        }
        if (!isAgentTokenRoute(req.path)) {
            return this.refuseAgent(res, 401, `an agent token is accepted only by the studio's HTTP APIs under ${AGENT_TOKEN_ROUTES}, not by the IDE's pages or its websocket; a person signs in at /login`);
        }
        const verification = await this.agentTokens.verify(token);
        if (!verification.ok) {
            if (verification.status === 401) {
                await this.recordFailedLogin(client, verification.reason);
            }
            return this.refuseAgent(res, verification.status, verification.reason);
        }
        if (verification.principal.kind === 'person') {
            this.users.setTerminalPerson(req, verification.principal);
        } else {
            this.users.setAgent(req, verification.principal);
        }
        next();
    }

    /** Agents are programs: a refusal is always a status and a sentence, never a redirect to the sign-in page. */
    protected refuseAgent(res: Response, status: number, reason: string): void {
        if (status === 401) {
            res.setHeader('WWW-Authenticate', 'Bearer realm="CODITECT Development Studio"');
        }
        res.status(status).json({ error: `authentication ${status === 401 ? 'refused' : 'unavailable'}: ${reason}.` });
    }

    /**
     * A request with the session cookie alone. Not throttled: a session id (256 random bits) cannot
     * be guessed, and counting ended sessions as failed sign-ins would lock out a browser that
     * reloads with an old cookie; a live session passes even from a throttled address.
     */
    protected async handleSession(req: Request, res: Response, next: NextFunction, sessionId: string): Promise<void> {
        const session = await this.sessions.resolve(sessionId);
        if (session.ok) {
            this.users.set(req, session.user);
            return next();
        }
        if (session.starting) {
            res.setHeader('Retry-After', '3');
            const wantsPage = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
            if (wantsPage) {
                res.status(503).type('html').send('<!DOCTYPE html><meta http-equiv="refresh" content="3"><title>Starting · CODITECT Development Studio</title>'
                    + '<p style="font-family: system-ui, sans-serif">The workspace is starting; this page reloads in a moment.</p>');
            } else {
                res.status(503).json({ error: session.reason });
            }
            return;
        }
        this.clearSessionCookie(req, res);
        return this.refuse(req, res, session.reason);
    }

    protected async handlePublic(req: Request, res: Response, next: NextFunction): Promise<void> {
        if (req.path === '/health') {
            // Probes carry no credential and get the status alone; a verified one may see the detail
            // (the endpoint asks the policy). A bad credential here is not a failed sign-in: it is ignored.
            const credential = credentialOf(req, this.headerName);
            const verification = credential ? await this.verifier.verify(credential) : undefined;
            const sessionId = credential ? undefined : sessionIdOf(req);
            const session = sessionId ? await this.sessions.resolve(sessionId) : undefined;
            const user = verification?.ok ? verification.user : session?.ok ? session.user : undefined;
            if (user) {
                this.users.set(req, user);
            }
            return next();
        }
        if (req.path === '/logout') {
            return this.signOut(req, res);
        }
        if (req.method === 'POST') {
            const client = clientAddressOf(req);
            const wait = await this.throttle.blockedFor(client);
            if (wait > 0) {
                res.setHeader('Retry-After', String(wait));
                res.status(429).type('html').send(loginPage({ mode: this.config.mode, reason: `too many failed sign-ins; try again in ${wait} s` }));
                return;
            }
            const token = (await formField(req, 'token'))?.trim() ?? '';
            const verification = await this.verifier.verify(token);
            if (!verification.ok) {
                await this.recordFailedLogin(client, verification.reason);
                res.status(401).type('html').send(loginPage({ mode: this.config.mode, reason: verification.reason }));
                return;
            }
            await this.signIn(req, res, verification);
            res.redirect(303, './');
            return;
        }
        res.status(200).type('html').send(loginPage({ mode: this.config.mode }));
    }

    /** Websocket handshakes: an allowed origin (when the browser says one), and a verified header credential or a live session. */
    async allowWsUpgrade(request: http.IncomingMessage): Promise<boolean> {
        if (!this.originAllowed(request)) {
            return false;
        }
        const credential = credentialOf(request, this.headerName);
        if (!credential) {
            const sessionId = sessionIdOf(request);
            const session = sessionId ? await this.sessions.resolve(sessionId) : undefined;
            if (!session?.ok) {
                return false;
            }
            this.users.set(request, session.user);
            // So that ending the session closes this websocket too.
            this.sessionSockets.attach(request, session.idHash);
            return true;
        }
        const verification = await this.verifier.verify(credential);
        if (!verification.ok) {
            return false;
        }
        this.users.set(request, verification.user);
        return true;
    }

    protected originAllowed(request: http.IncomingMessage): boolean {
        const origin = request.headers.origin;
        if (!origin) {
            // Browsers always send Origin on cross-site websockets; a client without one is not a browser page, and still needs a credential.
            return true;
        }
        let parsed: URL;
        try {
            parsed = new URL(origin);
        } catch {
            return false;
        }
        if (this.config.allowedOrigins.length > 0) {
            return this.config.allowedOrigins.includes(parsed.origin);
        }
        return parsed.host === request.headers.host;
    }

    protected get headerName(): string {
        return this.config.mode === 'jwt' ? this.config.header : 'authorization';
    }

    protected refuse(req: Request, res: Response, reason: string): void {
        const wantsPage = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
        if (wantsPage) {
            // Relative, so it stays under whatever prefix a proxy serves the studio at (/theia/).
            res.redirect(302, `${'../'.repeat(Math.max(0, req.path.split('/').length - 2))}login`);
            return;
        }
        res.setHeader('WWW-Authenticate', 'Bearer realm="CODITECT Development Studio"');
        res.status(401).json({ error: `authentication required: ${reason}. Sign in at /login, or send "Authorization: Bearer <token>".` });
    }

    /**
     * Makes a session for a verified sign-in and sets its cookie. Invariant: the cookie holds the
     * session's random id, never the token; a session the browser already had is ended (one per sign-in).
     */
    protected async signIn(req: Request, res: Response, verification: Extract<Verification, { ok: true }>): Promise<void> {
        const previous = sessionIdOf(req);
        if (previous) {
            await this.sessions.revoke(previous);
        }
        const client = clientAddressOf(req);
        const session = await this.sessions.create(verification.user, { credentialExpiresAt: verification.expiresAt, client });
        this.audit({ userId: verification.user.id, userName: verification.user.displayName, action: 'login', outcome: 'allowed', client });
        res.cookie(SESSION_COOKIE, session.id, {
            httpOnly: true, sameSite: 'strict', path: '/', secure: isSecureRequest(req), expires: new Date(session.expiresAt),
        });
    }

    /**
     * POST /logout ends the browser's session (its websockets close with it), clears the cookie and
     * sends the browser to the sign-in page. Only POST ends anything: a GET (a link, an image)
     * shows a page with the button. A cross-site POST carries no SameSite=Strict cookie, so it
     * cannot sign anyone out.
     */
    protected async signOut(req: Request, res: Response): Promise<void> {
        if (req.method !== 'POST') {
            res.status(200).type('html').send(signOutPage());
            return;
        }
        const sessionId = sessionIdOf(req);
        if (sessionId) {
            const session = await this.sessions.resolve(sessionId);
            if (await this.sessions.revoke(sessionId) && session.ok) {
                this.audit({ userId: session.user.id, userName: session.user.displayName, action: 'logout', outcome: 'allowed', client: clientAddressOf(req) });
            }
        }
        this.clearSessionCookie(req, res);
        res.redirect(303, 'login');
    }

    protected clearSessionCookie(req: Request, res: Response): void {
        res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: isSecureRequest(req) });
    }

    protected async recordFailedLogin(client: string, reason: string): Promise<void> {
        await this.throttle.recordFailure(client);
        this.audit({ action: 'login.failed', outcome: 'refused', detail: reason, client });
    }

    /** Sign-ins, sign-outs and failed sign-ins go to the audit log once the core is up; a failure to write it is logged, never the caller's. */
    protected audit(entry: AuditEntry): void {
        this.coreHost.ready.then(core => core.audit.record(entry))
            .catch(error => console.error(`[studio] could not write the audit log: ${(error as Error).message}`));
    }

    /** For routes that need the person behind a request (HTTP APIs). */
    userOf(request: http.IncomingMessage): StudioUser {
        return this.users.require(request);
    }
}

/** Under AGENT_TOKEN_ROUTES as sent, and exactly what a router would see after decoding and normalising it. */
export function isAgentTokenRoute(requestPath: string): boolean {
    let decoded: string;
    try {
        decoded = decodeURIComponent(requestPath);
    } catch {
        return false;
    }
    return requestPath.startsWith(AGENT_TOKEN_ROUTES) && decoded === requestPath && path.posix.normalize(decoded) === decoded;
}

/** The request's URL, relative to itself, without the `token` parameter. */
function withoutToken(req: Request): string {
    const url = new URL(req.originalUrl, 'http://studio.invalid');
    url.searchParams.delete('token');
    const last = url.pathname.split('/').pop() ?? '';
    return `./${last}${url.search}`;
}

async function formField(req: Request, name: string): Promise<string | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > 16_384) {
            return undefined;
        }
        chunks.push(chunk);
    }
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get(name) ?? undefined;
}
