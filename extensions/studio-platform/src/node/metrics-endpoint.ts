import { judge, WorkspaceCore } from '@coditect/workspace-backend';
import { BackendApplicationContribution, EarlyExpressMiddleware } from '@theia/core/lib/node/backend-application';
import type { NextFunction, Request, Response } from '@theia/core/shared/express';
import * as express from '@theia/core/shared/express';
import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { RequestUsers } from './auth/request-users';
import { ConnectionActivity } from './connection-activity';
import { HealthEndpoint } from './health-endpoint';
import { HttpEntryPoints, mountHttpRoute } from './http/http-entry-points';
import { WorkspaceCoreHost } from './workspace-core-host';

/** Exactly this path: the authentication lets the scrape token through here and nowhere else. */
export const METRICS_PATH = '/metrics';

/**
 * `GET /metrics`: the workspace's Prometheus metrics (the core's `metrics`, with what only the
 * backend knows: its browser connections, its HTTP answers, readiness as /health judges it, and
 * the process's own). Read by Prometheus with the scrape token (STUDIO_METRICS_TOKEN, as a bearer
 * token; the authentication records it as the `metrics-scrape` service) or by an admin; anyone
 * else is refused by the policy (`metrics.read`), and nobody without a credential gets past the
 * authentication at all.
 */
@injectable()
export class MetricsEndpoint implements BackendApplicationContribution {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    @inject(RequestUsers)
    protected readonly users: RequestUsers;

    @inject(HealthEndpoint)
    protected readonly health: HealthEndpoint;

    @inject(EarlyExpressMiddleware)
    protected readonly earlyMiddleware: EarlyExpressMiddleware;

    /** Absent in a backend without websockets (a spec's). */
    @inject(ConnectionActivity) @optional()
    protected readonly connections: ConnectionActivity | undefined;

    protected core: WorkspaceCore | undefined;

    initialize(): void {
        this.coreHost.ready.then(core => {
            this.core = core;
            core.metrics.beforeScrape(async () => {
                core.metrics.websocketConnections.set(this.connections?.connections ?? 0);
                core.metrics.workspaceReady.set((await this.health.readiness()).ready ? 1 : 0);
            });
        }, () => undefined);
        // Before the authentication (bound after this), so refused requests are counted too.
        this.earlyMiddleware.handlers.push((req: Request, res: Response, next: NextFunction) => {
            res.once('finish', () => this.core?.metrics.httpRequests.inc({ method: req.method, route: routeOf(req), code: `${Math.floor(res.statusCode / 100)}xx` }));
            next();
        });
    }

    configure(app: express.Application): void {
        mountHttpRoute(app, { method: 'GET', path: METRICS_PATH, access: 'metrics.read' }, (req, res) => {
            const principal = this.users.principal(req);
            const decision = principal ? judge(principal, 'metrics.read') : undefined;
            if (!decision?.allowed) {
                res.status(403).json({ error: `${decision?.reason ?? 'no credential was verified'}. Prometheus sends the scrape token (STUDIO_METRICS_TOKEN) as "Authorization: Bearer <token>"; a person needs the admin role.` });
                return;
            }
            if (!this.core) {
                res.status(503).set('Retry-After', '5').json({ error: 'The workspace core is starting; its metrics are served once it has started.' });
                return;
            }
            this.core.metrics.scrape().then(text => {
                res.status(200).set('Content-Type', this.core!.metrics.contentType).set('Cache-Control', 'no-store').send(text);
            }, error => {
                res.status(500).json({ error: `Reading the metrics failed: ${error instanceof Error ? error.message : String(error)}` });
            });
        });
    }
}

/**
 * The declared route a request was for: the template it matched (`/coditect/api/locks/:id/renew`), or,
 * when it was answered before any route (the authentication's refusals), a declared path it equals;
 * else `other`. Never the path itself, which is unbounded.
 */
function routeOf(req: Request): string {
    const template = typeof req.route?.path === 'string' ? req.route.path : req.path;
    return HttpEntryPoints.some(entry => entry.path === template) ? template : 'other';
}
