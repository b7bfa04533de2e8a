import * as http from 'node:http';
import { ApiException } from '@kubernetes/client-node';
import type { AddressInfo } from 'node:net';
import type { JwtPerson, JwtVerifier } from '../policy/jwt-verifier';
import { carriesScrapeToken, MetricsTokenVariable } from '../telemetry/scrape-token';
import type { FleetMetrics } from './fleet-metrics';
import { FleetAnswer, FleetError, FleetService } from './fleet-service';
import { refuseUpgrade, sendJson } from './json-answers';
import { requestPerson, requestToken } from './request-token';
import type { V1Gateway } from './v1-gateway';
import { awaitsCutover } from './v1-migration';
import type { WakeRouter } from './wake-router';
import { isWorkspaceId } from './workspace-ids';
import type { WorkspaceInfo } from './workspace-info';

const MaxBodyBytes = 16 * 1024;

/** A request the API refuses before it reaches the fleet. */
class ApiError extends Error {
    constructor(readonly status: number, message: string) {
        super(message);
    }
}

export interface FleetHttpApiOptions {
    /** What `GET /metrics` exports, and where the API's requests are counted; absent: no /metrics. */
    readonly metrics?: FleetMetrics;
    /** The bearer token Prometheus scrapes /metrics with (STUDIO_METRICS_TOKEN); absent: only an admin's token reads it. */
    readonly metricsToken?: string;
}

/**
 * The fleet's REST API, authenticated with the identity provider's JWTs as the studio is:
 *
 *   POST   /workspaces/provision  {owner?, size?}  -> 201 ready | 202 still starting (the workspace either way)
 *   POST   /workspaces/provision  {owner, size?, v1User}  (admins) -> 201 made stopped | 200 made before (v1-migration.ts)
 *   GET    /workspaces[?owner=]                   -> 200 {workspaces: [...]}
 *   GET    /workspaces/:id                        -> 200 the workspace
 *   POST   /workspaces/:id/stop                   -> 200 stopped | 202 still stopping
 *   POST   /workspaces/:id/start                  -> 200 ready | 202 still starting
 *   DELETE /workspaces/:id                        -> 204 (final sync, archive, then its objects are gone)
 *   PUT    /workspaces/:id/route  {route}         (admins) -> 200 the workspace with that route (a migrated one)
 *   GET    /healthz                               -> 200 (no credential: the probe's)
 *   GET    /metrics                               -> 200 Prometheus text (the scrape token STUDIO_METRICS_TOKEN, or an admin's token)
 *
 * A person acts on their own workspaces; an admin on anyone's (and provisions for an `owner`).
 * Every refusal is `{error}` with a sentence saying what was wrong and what to do.
 */
export class FleetHttpApi {
    protected server: http.Server | undefined;

    /**
     * `router`: wake on connect, for the paths of workspaces (`<prefix>/<id>/…`); `gateway`: the v1
     * front door (FLEET_V1_PATH), when FLEET_V1_URL is set. Every other path is the API's.
     */
    constructor(
        protected readonly fleet: FleetService, protected readonly verifier: JwtVerifier, protected readonly router?: WakeRouter, protected readonly gateway?: V1Gateway,
        protected readonly options: FleetHttpApiOptions = {},
    ) { }

    async listen(port: number, host = '0.0.0.0'): Promise<string> {
        const server = http.createServer((request, response) => {
            if (this.router?.handle(request, response) || this.gateway?.handle(request, response)) {
                return;
            }
            const metrics = this.options.metrics;
            if (metrics) {
                response.once('finish', () => metrics.apiRequest(request.method ?? 'GET', new URL(request.url ?? '/', 'http://fleet').pathname, response.statusCode));
            }
            this.handle(request, response).catch(error => this.send(response, 500, { error: `The fleet failed: ${(error as Error).message}` }));
        });
        server.on('upgrade', (request, socket, head) => {
            if (!this.router?.upgrade(request, socket, head) && !this.gateway?.upgrade(request, socket, head)) {
                refuseUpgrade(socket, 404);
            }
        });
        this.server = server;
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(port, host, () => resolve());
        });
        const address = server.address() as AddressInfo;
        return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
    }

    async close(): Promise<void> {
        const server = this.server;
        this.router?.close();
        this.gateway?.close();
        if (server) {
            server.closeAllConnections();
            await new Promise<void>(resolve => server.close(() => resolve()));
        }
    }

    protected async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
        const url = new URL(request.url ?? '/', 'http://fleet');
        const method = request.method ?? 'GET';
        if (url.pathname === '/healthz' && method === 'GET') {
            return this.send(response, 200, { ok: true });
        }
        if (url.pathname === '/metrics' && this.options.metrics) {
            return this.serveMetrics(request, response, this.options.metrics);
        }
        try {
            const person = await this.authenticate(request);
            const [, collection, id, action, ...rest] = url.pathname.split('/');
            if (collection !== 'workspaces' || rest.length > 0) {
                throw new ApiError(404, `No such endpoint: ${method} ${url.pathname}. The fleet serves /workspaces (see the operator docs).`);
            }
            if (id === undefined || id === '') {
                if (method !== 'GET') {
                    throw new ApiError(405, `${method} /workspaces is not served: list with GET, provision with POST /workspaces/provision.`);
                }
                const owner = url.searchParams.get('owner') ?? (person.role === 'admin' ? undefined : person.id);
                this.checkOwner(person, owner ?? '', 'list the workspaces of');
                return this.send(response, 200, { workspaces: this.fleet.list(owner) });
            }
            if (id === 'provision' && action === undefined) {
                if (method !== 'POST') {
                    throw new ApiError(405, 'Provision with POST /workspaces/provision {"size": "small"}.');
                }
                const body = await readJson(request);
                if (body.v1User !== undefined && person.role !== 'admin') {
                    throw new ApiError(403, 'Only an admin may provision a workspace for a v1 user ("v1User"): moving people from CODITECT v1 is an operator\'s task.');
                }
                if (body.v1User !== undefined && body.owner === undefined) {
                    throw new ApiError(400, '"v1User" needs "owner": the person the v1 user is in v2, such as "user:u0042".');
                }
                const owner = body.owner === undefined ? person.id : body.owner;
                if (typeof owner !== 'string' || owner.trim() === '' || owner.length > 256) {
                    throw new ApiError(400, '"owner" must be a person\'s id such as "user:ada" (at most 256 characters), or left out for yourself.');
                }
                this.checkOwner(person, owner, 'provision a workspace for');
                const provisioned = await this.fleet.provision({ owner, size: body.size, v1User: body.v1User });
                return this.answer(response, provisioned, provisioned.existing ? 200 : 201);
            }
            if (!isWorkspaceId(id)) {
                throw new ApiError(404, `"${id}" is not a workspace id (they look like ws-abcdefgh23): list yours with GET /workspaces.`);
            }
            if (action === 'route') {
                if (method !== 'PUT') {
                    throw new ApiError(405, `${method} …/route is not served: set a migrated workspace's route with PUT /workspaces/${id}/route {"route": "frozen"}.`);
                }
                if (person.role !== 'admin') {
                    throw new ApiError(403, 'Only an admin may set a workspace\'s route: it moves a person between CODITECT v1 and v2.');
                }
                this.fleet.get(id);
                const body = await readJson(request, '{"route": "frozen"}');
                return this.answer(response, await this.fleet.setRoute(id, body.route, person.id), 200);
            }
            const workspace = this.fleet.get(id);
            this.checkOwner(person, workspace.owner, action === undefined && method === 'GET' ? 'read' : 'change', workspace);
            if (action === undefined && method === 'GET') {
                return this.send(response, 200, workspace);
            }
            if (action === undefined && method === 'DELETE') {
                await this.fleet.delete(id);
                response.writeHead(204).end();
                return;
            }
            if (method === 'POST' && action === 'stop') {
                return this.answer(response, await this.fleet.stop(id), 200);
            }
            if (method === 'POST' && action === 'start') {
                if (person.role !== 'admin' && awaitsCutover(workspace)) {
                    // Its pod would write an empty workspace to the bucket folder the move is filling (an admin starts it for the move).
                    throw new ApiError(409, `Workspace ${id} opens once your move to CODITECT v2 is done; until then use CODITECT v1.`);
                }
                return this.answer(response, await this.fleet.start(id), 200);
            }
            throw new ApiError(404, `No such endpoint: ${method} ${url.pathname}. A workspace answers GET, DELETE, POST …/stop, POST …/start and PUT …/route.`);
        } catch (error) {
            if (error instanceof ApiError || error instanceof FleetError) {
                return this.send(response, error.status, { error: error.message });
            }
            const refused = kubernetesRefusal(error);
            if (refused) {
                return this.send(response, 502, { error: `Kubernetes refused the fleet's request (${refused}); see the fleet's RBAC and the namespace in docs/fleet.md.` });
            }
            throw error;
        }
    }

    protected async authenticate(request: http.IncomingMessage): Promise<JwtPerson> {
        const verified = await requestPerson(request, this.verifier);
        if (!('person' in verified)) {
            throw new ApiError(401, verified.refusal);
        }
        return verified.person;
    }

    /**
     * The Prometheus text, for Prometheus (the scrape token as a bearer token) or an admin (the
     * identity provider's token, as every API request carries it); a refusal saying which to send otherwise.
     */
    protected async serveMetrics(request: http.IncomingMessage, response: http.ServerResponse, metrics: FleetMetrics): Promise<void> {
        if (request.method !== 'GET') {
            return this.send(response, 405, { error: `${request.method} /metrics is not served: read the metrics with GET /metrics.` });
        }
        if (!carriesScrapeToken(request.headers.authorization, this.options.metricsToken)) {
            const credential = this.options.metricsToken
                ? `Prometheus' scrape token as "Authorization: Bearer <${MetricsTokenVariable}>", or an admin's token`
                : `an admin's token (no scrape token is set: set ${MetricsTokenVariable} for Prometheus)`;
            const given = request.headers.authorization !== undefined || requestToken(request, this.verifier.config.header) !== undefined;
            const verified = await requestPerson(request, this.verifier);
            if (!('person' in verified)) {
                return this.send(response, 401, {
                    error: given ? `${verified.refusal.replace(/\.$/, '')}; /metrics takes ${credential}.` : `Send ${credential}, to read /metrics.`,
                });
            }
            if (verified.person.role !== 'admin') {
                return this.send(response, 403, { error: `Only an admin or Prometheus may read /metrics: send ${credential}.` });
            }
        }
        const text = await metrics.scrape();
        response.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }).end(text);
    }

    /** A person acts for themselves; an admin for anyone. */
    protected checkOwner(person: JwtPerson, owner: string, what: string, workspace?: WorkspaceInfo): void {
        if (person.role !== 'admin' && owner !== person.id) {
            throw new ApiError(403, workspace
                ? `Workspace ${workspace.id} is not yours: only its owner or an admin may ${what} it.`
                : `Only an admin may ${what} someone else (${owner}); leave "owner" out for yourself.`);
        }
    }

    protected answer(response: http.ServerResponse, answer: FleetAnswer, settledStatus: number): void {
        this.send(response, answer.settled ? settledStatus : 202, answer.workspace);
    }

    protected send(response: http.ServerResponse, status: number, body: unknown): void {
        sendJson(response, status, body);
    }
}

/** The request's JSON object (`{}` for no body); `example` is the body the refusals show. */
async function readJson(request: http.IncomingMessage, example = '{"size": "small"}'): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > MaxBodyBytes) {
            throw new ApiError(413, `The request body is larger than ${MaxBodyBytes / 1024} KiB; the fleet's requests are small JSON objects such as ${example}.`);
        }
        chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8').trim();
    if (text === '') {
        return {};
    }
    let body: unknown;
    try {
        body = JSON.parse(text);
    } catch (error) {
        throw new ApiError(400, `The body is not JSON (${(error as Error).message}); send ${example}.`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new ApiError(400, `The body must be a JSON object such as ${example}.`);
    }
    return body as Record<string, unknown>;
}

/** What the API server said when it refused a request (its Status message), for an ApiException of the client; undefined for any other error. */
function kubernetesRefusal(error: unknown): string | undefined {
    if (!(error instanceof ApiException)) {
        return undefined;
    }
    const body = typeof error.body === 'string' ? safeJson(error.body) : error.body;
    const message = (body as { message?: unknown } | undefined)?.message;
    return `${error.code}${typeof message === 'string' ? `: ${message}` : ''}`;
}

function safeJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}
