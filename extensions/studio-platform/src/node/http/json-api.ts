import { PolicyAction, Principal, WorkspaceCore } from '@coditect/workspace-backend';
import * as express from '@theia/core/shared/express';
import { refusalAtGate } from '../entry-gate';
import { RequestUsers } from '../auth/request-users';
import { WorkspaceCoreHost } from '../workspace-core-host';
import { declareHttpEntry } from './http-entry-points';
import { BadRequestError, errorBody, statusOfError } from './http-errors';

export interface JsonRequest {
    readonly request: express.Request;
    readonly core: WorkspaceCore;
    /** Who the request's credential is, as the authentication middleware verified it; nothing in the request chooses it. */
    readonly principal: Principal;
}

export interface JsonAnswer {
    readonly status: number;
    /** Undefined answers no body. */
    readonly body?: unknown;
}

export interface JsonRoute {
    readonly method: 'GET' | 'POST' | 'DELETE';
    /** Relative to the API's base path, in express syntax (`/:id/renew`). */
    readonly path: string;
    /** What the route does: the policy's gate refuses, and audits, a principal with no grant for it before the handler runs. */
    readonly action: PolicyAction;
    handle(input: JsonRequest): Promise<JsonAnswer> | JsonAnswer;
}

export interface JsonApi {
    readonly basePath: string;
    readonly bodyLimit: string;
    /** A body this API accepts, shown when one does not parse (`{"path":"src/a.ts","mode":"exclusive"}`). */
    readonly bodyExample: string;
    readonly routes: readonly JsonRoute[];
}

/**
 * Mounts a JSON API on the studio's express app, the one way its HTTP APIs are served:
 * - each route is declared in HttpEntryPoints with its action, and passes the policy's gate
 *   (entry-gate.ts, the same as every RPC method) for the request's principal;
 * - answers are never cached (they may hold a secret, such as a token just issued);
 * - the core's errors become statuses in one place (http-errors.ts), with their message;
 * - a body that is not JSON, or too large, is answered 400/413 with an example of one that is.
 */
export function mountJsonApi(app: express.Application, api: JsonApi, context: { readonly coreHost: WorkspaceCoreHost; readonly users: RequestUsers }): void {
    const router = express.Router();
    router.use(express.json({ limit: api.bodyLimit }));
    for (const route of api.routes) {
        declareHttpEntry({ method: route.method, path: `${api.basePath}${route.path === '/' ? '' : route.path}`, access: route.action });
        const handler: express.RequestHandler = (request, response) => {
            response.set('Cache-Control', 'no-store');
            answer(request, route, context).then(({ status, body }) => {
                response.status(status);
                return body === undefined ? response.end() : response.json(body);
            }, error => response.status(statusOfError(error)).json(errorBody(error)));
        };
        switch (route.method) {
            case 'GET': router.get(route.path, handler); break;
            case 'POST': router.post(route.path, handler); break;
            case 'DELETE': router.delete(route.path, handler); break;
        }
    }
    router.use(((error, _request, response, _next) => {
        // express.json's own failures (malformed JSON, too large) arrive here with their status.
        const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 400;
        response.status(status).json({ error: `The request body must be a JSON object such as ${api.bodyExample}: ${(error as Error).message}` });
    }) as express.ErrorRequestHandler);
    app.use(api.basePath, router);
}

async function answer(request: express.Request, route: JsonRoute, context: { readonly coreHost: WorkspaceCoreHost; readonly users: RequestUsers }): Promise<JsonAnswer> {
    const principal = context.users.requirePrincipal(request);
    // The refusal and its audit line name the request as sent (its path, ids included; never its query or body).
    const refusal = refusalAtGate(principal, route.action, `${route.method} ${request.baseUrl}${request.path === '/' ? '' : request.path}`, () => context.coreHost.ready);
    if (refusal) {
        return refusal;
    }
    const core = await context.coreHost.ready;
    return route.handle({ request, core, principal });
}

/** A query parameter that must be a positive whole number (`?limit=20`); undefined when absent, else a 400 saying what it must be. */
export function positiveQueryNumber(query: express.Request['query'], name: string, min = 1): number | undefined {
    const value = query[name];
    if (value === undefined) {
        return undefined;
    }
    const n = Number(value);
    if (typeof value !== 'string' || value.trim() === '' || !Number.isSafeInteger(n) || n < min) {
        throw new BadRequestError(`"${name}" must be a ${min === 1 ? 'positive whole number' : `whole number of at least ${min}`}; got ${JSON.stringify(value)}.`);
    }
    return n;
}

/** A body field that must be a non-blank string; otherwise a 400 naming it. */
export function requiredString(value: unknown, name: string): string {
    if (typeof value !== 'string' || value.trim() === '') {
        throw new BadRequestError(`"${name}" is required and must be a non-empty string.`);
    }
    return value;
}

/** A body field that may be left out; when sent, a non-blank string, or a 400 naming it. */
export function optionalString(value: unknown, name: string): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
        throw new BadRequestError(`"${name}" must be a non-empty string, or left out.`);
    }
    return value;
}

/** A body field that may be left out; when sent, a finite number, or a 400 saying what it must be (`what`: "a number of milliseconds"). */
export function optionalNumber(value: unknown, name: string, what = 'a number'): number | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new BadRequestError(`"${name}" must be ${what}.`);
    }
    return value;
}
