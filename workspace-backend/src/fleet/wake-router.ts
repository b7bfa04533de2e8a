import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { JwtVerifier } from '../policy/jwt-verifier';
import { startOutcomeOf, type FleetMetrics } from './fleet-metrics';
import type { FleetRegistry } from './fleet-registry';
import type { FleetService } from './fleet-service';
import { refuseUpgrade, sendJson } from './json-answers';
import { requestPerson } from './request-token';
import { UpstreamProxy } from './upstream-proxy';
import { awaitsCutover } from './v1-migration';
import { isWorkspaceId } from './workspace-ids';
import type { WorkspaceInfo } from './workspace-info';

export interface WakeRouterOptions {
    /** The path workspaces are served under: `/theia` serves `/theia/<id>/…`. */
    readonly prefix: string;
    /** Where a ready workspace's studio serves, from its pod (undefined: no address yet). */
    readonly upstream: (workspace: WorkspaceInfo) => string | undefined;
    /** How long a request to a sleeping workspace is held while it wakes (ms). */
    readonly wakeTimeoutMs: number;
    /** The v1 front door's path (FLEET_V1_PATH), named to a person whose move from v1 is not done. */
    readonly v1Path: string;
    /** Where wakes are timed and counted while in progress; absent: nowhere. */
    readonly metrics?: FleetMetrics;
}

/** Where a request goes: a workspace and the path inside it, or nowhere the router serves. */
interface Route {
    readonly id: string;
    /** The request's path and query with `<prefix>/<id>` taken off (`/` at least). */
    readonly rest: string;
}

/**
 * Wake on connect, as a thin router in front of `<prefix>/<id>/`. Only the workspace's owner or an
 * admin gets through (the gateway's token on each request, as the studios read it). A request to a
 * ready workspace is proxied to its studio (HTTP and websockets; the studio authenticates it as
 * always); one to a sleeping workspace wakes it (a start, once however many ask) and is held until
 * it is ready, or, for a browser's page load, answered with a page that says it is waking and
 * reloads itself. Nobody else wakes anything: waking costs money. A workspace a person is being
 * moved into from CODITECT v1 stays closed to them until the move is done (v1-migration.ts).
 *
 * Chosen over KEDA's HTTP add-on and Knative's activator, which both hold requests while a
 * workload scales from zero: their scale-to-zero follows request traffic, while a workspace must
 * stay awake while its agents work with no request at all (the studio's own /health activity
 * decides, idle-sweeper.ts), and Knative serves Deployments, not StatefulSets with a volume.
 */
export class WakeRouter {
    protected readonly proxy = new UpstreamProxy((response, error) =>
        page(response, 502, 'The workspace did not answer', `Its studio could not be reached (${error.message}). Reload in a moment.`));
    protected readonly waking = new Map<string, Promise<unknown>>();

    constructor(
        protected readonly registry: FleetRegistry,
        protected readonly fleet: FleetService,
        protected readonly verifier: JwtVerifier,
        protected readonly options: WakeRouterOptions,
    ) { }

    /** Serves the request when its path is a workspace's; false otherwise (it is the API's). */
    handle(request: http.IncomingMessage, response: http.ServerResponse): boolean {
        const route = this.routeOf(request);
        if (!route) {
            return false;
        }
        this.serve(request, response, route).catch(error => {
            if (!response.headersSent) {
                page(response, 500, 'The router failed', (error as Error).message);
            }
        });
        return true;
    }

    /** Serves a websocket upgrade to a workspace; false when the path is not a workspace's. */
    upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): boolean {
        const route = this.routeOf(request);
        if (!route) {
            return false;
        }
        this.proxy.hold(socket);
        this.ready(request, route).then(target => {
            if (typeof target === 'string') {
                request.url = route.rest;
                this.proxy.ws(request, socket, head, target);
            } else {
                refuseUpgrade(socket, target.status, target.json ? { error: target.message } : undefined);
            }
        }, () => socket.destroy());
        return true;
    }

    close(): void {
        this.proxy.close();
    }

    protected routeOf(request: http.IncomingMessage): Route | undefined {
        const url = request.url ?? '/';
        const prefix = this.options.prefix.replace(/\/+$/, '');
        if (!url.startsWith(`${prefix}/`)) {
            return undefined;
        }
        const after = url.slice(prefix.length + 1);
        const end = after.search(/[/?]/);
        const id = end < 0 ? after : after.slice(0, end);
        const rest = end < 0 ? '/' : after.slice(end).startsWith('?') ? `/${after.slice(end)}` : after.slice(end);
        return isWorkspaceId(id) ? { id, rest } : undefined;
    }

    protected async serve(request: http.IncomingMessage, response: http.ServerResponse, route: Route): Promise<void> {
        const workspace = this.registry.get(route.id);
        if (workspace && workspace.state !== 'ready' && wantsPage(request)) {
            // A person's page load: say so at once and let the page reload, rather than hold a blank tab.
            const refused = await this.admit(request, workspace) ?? this.wake(workspace);
            if (refused) {
                return refuse(response, refused);
            }
            response.setHeader('Refresh', '2');
            return page(response, 202, `Waking ${workspace.id}…`, 'Your workspace was asleep and is starting; this page reloads until it is ready (usually a few seconds).');
        }
        const target = await this.ready(request, route);
        if (typeof target !== 'string') {
            return refuse(response, target);
        }
        request.url = route.rest;
        this.proxy.web(request, response, target);
    }

    /**
     * The studio of a workspace the request's person may open, after waking it if it sleeps (held
     * until it is ready); or why not. Checked on every request, not only on a wake: the gateway
     * puts the person's token on each, and an awake workspace is no more anyone's than a sleeping one.
     */
    protected async ready(request: http.IncomingMessage, route: Route): Promise<string | Refusal> {
        const workspace = this.registry.get(route.id);
        if (!workspace) {
            return { status: 404, title: 'No such workspace', message: `There is no workspace ${route.id}. Your workspaces are listed by GET /workspaces.` };
        }
        const refused = await this.admit(request, workspace);
        if (refused) {
            return refused;
        }
        const upstream = workspace.state === 'ready' ? this.options.upstream(workspace) : undefined;
        if (upstream) {
            return upstream;
        }
        const unwoken = this.wake(workspace);
        if (unwoken) {
            return unwoken;
        }
        const { reached, workspace: now } = await this.registry.waitFor(route.id, w => w?.state === 'ready' || w?.state === 'failed' || w === undefined, this.options.wakeTimeoutMs);
        const target = reached && now?.state === 'ready' ? this.options.upstream(now) : undefined;
        return target ?? {
            status: 503, retryAfterS: 5, title: 'The workspace is still starting',
            message: now?.state === 'failed' ? `Workspace ${route.id} failed to start: ${now.message ?? 'see its pod'}.` : `Workspace ${route.id} is ${now?.state ?? 'gone'}; try again in a few seconds.`,
        };
    }

    /**
     * Only the workspace's owner or an admin reaches it (or wakes it: waking costs money); a refusal
     * for anyone else. Its owner not either while their move from v1 is not done (route `v1` or
     * `frozen`): nothing may write to it before the move fills it, and a frozen user may not go
     * round the freeze. Refused before any wake; admins pass, to look at it.
     */
    protected async admit(request: http.IncomingMessage, workspace: WorkspaceInfo): Promise<Refusal | undefined> {
        const verified = await requestPerson(request, this.verifier);
        if (!('person' in verified)) {
            return { status: 401, title: 'Sign in', message: `Workspace ${workspace.id} opens for its owner: sign in.` };
        }
        const { person } = verified;
        if (person.role !== 'admin' && person.id !== workspace.owner) {
            return { status: 403, title: 'Not your workspace', message: `Workspace ${workspace.id} is not yours: only its owner or an admin may open it.` };
        }
        if (person.role !== 'admin' && awaitsCutover(workspace)) {
            return {
                status: 409, json: true, title: 'Not moved yet',
                message: `This workspace opens once your move to CODITECT v2 is done; until then use ${this.options.v1Path}.`,
            };
        }
        return undefined;
    }

    /** Starts a sleeping workspace (once, however many ask); a refusal when it cannot be opened now. */
    protected wake(workspace: WorkspaceInfo): Refusal | undefined {
        if (workspace.state === 'deleting' || workspace.state === 'failed') {
            return { status: 503, title: `Workspace ${workspace.id} is ${workspace.state}`, message: workspace.message ?? 'It cannot be opened now.' };
        }
        if ((workspace.state === 'stopped' || workspace.state === 'stopping') && !this.waking.has(workspace.id)) {
            const ended = this.options.metrics?.wakeStarted();
            const started = this.fleet.start(workspace.id).then(answer => ended?.(startOutcomeOf(answer)), () => ended?.('error'))
                .finally(() => this.waking.delete(workspace.id));
            this.waking.set(workspace.id, started);
        }
        return undefined;
    }
}

interface Refusal {
    readonly status: number;
    readonly title: string;
    readonly message: string;
    readonly retryAfterS?: number;
    /** Answered as the API answers, `{error: message}`, rather than as a page. */
    readonly json?: true;
}

function refuse(response: http.ServerResponse, refusal: Refusal): void {
    if (refusal.retryAfterS) {
        response.setHeader('Retry-After', String(refusal.retryAfterS));
    }
    if (refusal.json) {
        sendJson(response, refusal.status, { error: refusal.message });
    } else {
        page(response, refusal.status, refusal.title, refusal.message);
    }
}

function wantsPage(request: http.IncomingMessage): boolean {
    return request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
}

function page(response: http.ServerResponse, status: number, title: string, message: string): void {
    const escape = (text: string) => text.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`);
    response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
        .end(`<!doctype html><title>${escape(title)}</title><body style="font-family: system-ui, sans-serif; margin: 3em">`
            + `<h1>${escape(title)}</h1><p>${escape(message)}</p></body>`);
}
