import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { JwtVerifier } from '../policy/jwt-verifier';
import type { FleetRegistry } from './fleet-registry';
import { refuseUpgrade, sendJson } from './json-answers';
import { requestPerson } from './request-token';
import { UpstreamProxy } from './upstream-proxy';
import { migratedWorkspaceOf } from './v1-migration';

export interface V1GatewayOptions {
    /** The v1 front door's path (FLEET_V1_PATH, `/app`): the gateway serves it and every path under it. */
    readonly path: string;
    /** The CODITECT v1 application (FLEET_V1_URL, `http://v1-app.internal:8080`). */
    readonly upstream: string;
}

/** An answer of the gateway's own instead of v1's. */
interface Answer {
    readonly status: number;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: object;
}

/** What a frozen user may still do in v1: read. */
const ReadMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
const FrozenRetryAfterS = 5;

/**
 * CODITECT v1's front door while its users move to v2 (v1-migration.ts): every request to
 * FLEET_V1_PATH comes through here, signed in as for the wake router, and goes where the person's
 * migrated workspace's route says (none yet: v1, as before):
 * - `v1`: to v1 (path, query and body as they came; websockets too);
 * - `frozen`: their data is being moved, so v1 may be read (GET, HEAD, OPTIONS) but not changed:
 *   anything else, and websockets, get 503 with Retry-After until the move ends;
 * - `v2`: moved: a page load is sent to the workspace (302), anything else refused (409) with its
 *   URL, so nothing more is written to v1 after its data was taken.
 * Everyone is routed by their own person; an admin has no other way into v1.
 */
export class V1Gateway {
    protected readonly proxy = new UpstreamProxy((response, error) =>
        sendJson(response, 502, { error: `CODITECT v1 did not answer (${error.message}); try again in a moment.` }));

    constructor(protected readonly registry: FleetRegistry, protected readonly verifier: JwtVerifier, protected readonly options: V1GatewayOptions) { }

    /** Serves the request when its path is the v1 front door's; false otherwise. */
    handle(request: http.IncomingMessage, response: http.ServerResponse): boolean {
        if (!this.serves(request)) {
            return false;
        }
        this.way(request, false).then(answer => {
            if (answer) {
                sendJson(response, answer.status, answer.body, answer.headers);
            } else {
                this.proxy.web(request, response, this.options.upstream);
            }
        }).catch(error => {
            if (!response.headersSent) {
                sendJson(response, 500, { error: `The v1 gateway failed: ${(error as Error).message}` });
            }
        });
        return true;
    }

    /** Serves a websocket upgrade to the v1 front door; false when the path is not its. */
    upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): boolean {
        if (!this.serves(request)) {
            return false;
        }
        this.proxy.hold(socket);
        this.way(request, true).then(answer => {
            if (answer) {
                refuseUpgrade(socket, answer.status, answer.body, answer.headers);
            } else {
                this.proxy.ws(request, socket, head, this.options.upstream);
            }
        }, () => socket.destroy());
        return true;
    }

    close(): void {
        this.proxy.close();
    }

    protected serves(request: http.IncomingMessage): boolean {
        const path = (request.url ?? '/').split('?', 1)[0];
        return path === this.options.path || path.startsWith(`${this.options.path}/`);
    }

    /** Undefined when the request goes to v1; else the gateway's answer (a websocket upgrade changes, so it is refused unless it goes to v1). */
    protected async way(request: http.IncomingMessage, upgrade: boolean): Promise<Answer | undefined> {
        const verified = await requestPerson(request, this.verifier);
        if (!('person' in verified)) {
            return { status: 401, body: { error: verified.refusal } };
        }
        const workspace = migratedWorkspaceOf(this.registry.list(verified.person.id));
        const route = workspace?.route ?? 'v1';
        const method = request.method ?? 'GET';
        if (!workspace || route === 'v1' || route === 'frozen' && !upgrade && ReadMethods.has(method)) {
            return undefined;
        }
        if (route === 'frozen') {
            return {
                status: 503, headers: { 'Retry-After': String(FrozenRetryAfterS) },
                body: { error: 'Your workspace is moving to CODITECT v2: changes are paused for a few seconds. Try again shortly.' },
            };
        }
        if (!upgrade && (method === 'GET' || method === 'HEAD')) {
            return { status: 302, headers: { Location: workspace.url } };
        }
        return { status: 409, body: { error: `Your workspace moved to CODITECT v2; continue at ${workspace.url}.`, url: workspace.url } };
    }
}
