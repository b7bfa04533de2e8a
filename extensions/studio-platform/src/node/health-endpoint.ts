import { assessReadiness } from '@coditect/workspace-backend';
import { judge, personPrincipal, resolveReplicationConfig, WorkspaceActivity, WorkspaceCore, WorkspaceHealth } from '@coditect/workspace-backend';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import * as express from '@theia/core/shared/express';
import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { RequestUsers } from './auth/request-users';
import { ConnectionActivity } from './connection-activity';
import { mountHttpRoute } from './http/http-entry-points';
import { WorkspaceCoreHost } from './workspace-core-host';

/** Exactly this path: the authentication in front of every other route exempts it (probes carry no credential). */
const HEALTH_PATH = '/health';

/** How long one full probe of the core (a write in each folder, every database) answers repeated requests. */
const PROBE_REUSE_MS = 2000;

export interface HealthResponseBody {
    /** `ready`: take work; `unavailable`: do not (see problems); `live`: the liveness answer. */
    readonly status: 'ready' | 'unavailable' | 'live';
    /**
     * What is wrong, one line each; empty when ready. This and `core` only for a credential the
     * policy lets see the detail (`health.detail`: admins): a probe gets the status alone, since
     * the detail names the workspace's folders, its spend and agents' errors.
     */
    readonly problems?: readonly string[];
    /** The core's overall status, and every part with its status and detail (no metrics). */
    readonly core?: {
        readonly status: WorkspaceHealth['status'];
        readonly version: string;
        readonly startedAt: string;
        readonly components: readonly { id: string; status: string; detail: string }[];
    };
    /** What keeps the workspace awake, for the fleet's auto-sleep (docs/fleet.md); with the detail only, and while the agents run. */
    readonly activity?: HealthActivity;
}

export interface HealthActivity {
    /** Browser connections open now (a tab is one). */
    readonly connections: number;
    readonly runningTasks: number;
    readonly queuedTasks: number;
    /** Agents with open tasks that a used-up budget holds: their work waits and keeps nothing awake. */
    readonly pausedByBudget: readonly string[];
    /** ISO 8601: the last connection opened or closed, or the agents' last event, whichever is later. */
    readonly lastActivityAt: string;
    /**
     * ISO 8601: since when nothing has kept the workspace awake (no connection, no task of an agent
     * no budget holds); null while something does. The fleet stops it `idleMinutes` after this.
     */
    readonly idleSince: string | null;
}

/**
 * `GET /health`, for the container's HEALTHCHECK and Kubernetes' probes (behind nginx it is also
 * `/health` at the root of the site).
 *
 * - `/health` (readiness): 200 only when every database is open, replication is within its
 *   configured lag (STUDIO_REPLICA_MAX_LAG_MS) and the backend answers; otherwise 503. Both carry
 *   a JSON body with the problems and the core's parts (health/readiness.ts has the rules).
 * - `/health?probe=live` (liveness): 200 while the backend answers and the core has not failed to
 *   start; it never fails because a bucket is unreachable, since a restart would not fix that.
 *
 * Kept cheap: one probe of the core serves every request for two seconds, concurrent requests
 * share it, and the lag is recomputed from the last sync time at each request.
 */
@injectable()
export class HealthEndpoint implements BackendApplicationContribution {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    /** Absent in a backend without websockets (a spec's): no connection is then counted. */
    @inject(ConnectionActivity) @optional()
    protected readonly connections: ConnectionActivity | undefined;

    /** Who the request's credential says, when it carried one (the authentication lets /health through either way). */
    @inject(RequestUsers)
    protected readonly users: RequestUsers;

    protected core: WorkspaceCore | undefined;
    protected probe: { at: number; health: Promise<WorkspaceHealth> } | undefined;
    protected maxReplicationLagMs: number | undefined;

    initialize(): void {
        this.coreHost.ready.then(core => this.core = core);
    }

    configure(app: express.Application): void {
        mountHttpRoute(app, { method: 'GET', path: HEALTH_PATH, access: 'public' }, (req, res) => {
            const user = this.users.get(req);
            const detailed = user !== undefined && judge(personPrincipal(user), 'health.detail').allowed;
            const shown = (body: HealthResponseBody): HealthResponseBody => detailed ? body : { status: body.status };
            this.answer(req.query.probe === 'live').then(({ status, body }) => {
                res.status(status).set('Cache-Control', 'no-store').json(shown(body));
            }, error => {
                res.status(503).set('Cache-Control', 'no-store')
                    .json(shown({ status: 'unavailable', problems: [`The health check itself failed: ${error instanceof Error ? error.message : String(error)}`] }));
            });
        });
    }

    /** Whether /health would answer ready now (the same probe, reused for two seconds): for the metrics' `coditect_workspace_ready`. */
    async readiness(): Promise<{ readonly ready: boolean }> {
        const { status } = await this.answer(false);
        return { ready: status === 200 };
    }

    protected async answer(liveness: boolean): Promise<{ status: number; body: HealthResponseBody }> {
        const failure = this.coreHost.startFailure;
        if (failure) {
            return { status: 503, body: { status: 'unavailable', problems: [`The workspace core did not start: ${failure}`] } };
        }
        if (liveness) {
            return { status: 200, body: { status: 'live', problems: [] } };
        }
        if (!this.core) {
            return {
                status: 503,
                body: { status: 'unavailable', problems: ['The workspace core is starting (restoring the databases and workspace files, then opening them).'] },
            };
        }
        const health = await this.health(this.core);
        const readiness = assessReadiness(health, { maxReplicationLagMs: this.maxLag(health) });
        return {
            status: readiness.ready ? 200 : 503,
            body: {
                status: readiness.ready ? 'ready' : 'unavailable',
                problems: readiness.problems,
                core: {
                    status: health.status, version: health.version, startedAt: health.startedAt,
                    components: health.components.map(c => ({ id: c.id, status: c.status, detail: c.detail })),
                },
                ...(this.core.activity ? { activity: this.activity(this.core.activity) } : {}),
            },
        };
    }

    /** The agents' side (the core's) with the people's (the connections): awake while either keeps it so. */
    protected activity(activity: WorkspaceActivity): HealthActivity {
        const agents = activity.report();
        const connections = this.connections?.connections ?? 0;
        const lastActivityAt = Math.max(agents.lastActivityAt, this.connections?.lastChangeAt ?? 0);
        return {
            connections, runningTasks: agents.runningTasks, queuedTasks: agents.queuedTasks, pausedByBudget: agents.pausedByBudget,
            lastActivityAt: new Date(lastActivityAt).toISOString(),
            idleSince: connections > 0 || agents.working ? null : new Date(lastActivityAt).toISOString(),
        };
    }

    protected health(core: WorkspaceCore): Promise<WorkspaceHealth> {
        const now = Date.now();
        if (!this.probe || now - this.probe.at > PROBE_REUSE_MS) {
            const health = this.probeCore(core);
            this.probe = { at: now, health };
            // A failed probe is not reused.
            health.catch(() => this.probe?.health === health && (this.probe = undefined));
        }
        return this.probe.health;
    }

    /** One full probe: a write in each folder, every database, replication and file sync. */
    protected probeCore(core: WorkspaceCore): Promise<WorkspaceHealth> {
        return core.refreshHealth();
    }

    /** The replication settings the core runs with (read once; the core read the same environment). */
    protected maxLag(health: WorkspaceHealth): number {
        this.maxReplicationLagMs ??= resolveReplicationConfig(health.dataDir).maxLagMs;
        return this.maxReplicationLagMs;
    }
}
