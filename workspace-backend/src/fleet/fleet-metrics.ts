import type { Disposable } from '../common/emitter';
import { MetricsRegistry } from '../telemetry/metrics-registry';
import type { WorkspaceInfo, WorkspaceState } from './workspace-info';

/** Every state a workspace can be in (workspace-info.ts): each has its series, 0 when none is in it. */
const WorkspaceStates: readonly WorkspaceState[] = ['starting', 'ready', 'stopping', 'stopped', 'failed', 'deleting'];

/**
 * How a provision or a wake ended: `ready` (its studio answers), `failed` (its pod failed),
 * `timeout` (still starting when the wait ended), `error` (the fleet could not go on: Kubernetes
 * refused, the workspace was deleted meanwhile).
 */
export type StartOutcome = 'ready' | 'failed' | 'timeout' | 'error';

/** Where a provisioned workspace came from: claimed from the warm pool, or made for the provision. */
export type ProvisionSource = 'warm' | 'new';

/** The API's routes as templates (never a workspace id): FleetHttpApi's, and `other` for anything else. */
export type ApiRoute = '/healthz' | '/metrics' | '/workspaces' | '/workspaces/provision' | '/workspaces/:id'
    | '/workspaces/:id/stop' | '/workspaces/:id/start' | '/workspaces/:id/route' | 'other';

const ApiActions = new Set(['stop', 'start', 'route']);
const HttpMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The template of a request path to the API, for the `route` label. */
export function apiRouteOf(pathname: string): ApiRoute {
    if (pathname === '/healthz' || pathname === '/metrics' || pathname === '/workspaces' || pathname === '/workspaces/provision') {
        return pathname;
    }
    const [, collection, id, action, ...rest] = pathname.split('/');
    if (collection !== 'workspaces' || !id || rest.length > 0) {
        return 'other';
    }
    if (action === undefined) {
        return '/workspaces/:id';
    }
    return ApiActions.has(action) ? `/workspaces/:id/${action as 'stop' | 'start' | 'route'}` : 'other';
}

/** The fleet's view of the workspaces, as the gauges read it (FleetRegistry). */
export interface WorkspaceLister {
    list(): WorkspaceInfo[];
}

export interface FleetMetricsOptions {
    /** process_* and nodejs_* (CPU, memory, event loop, GC); specs starting many fleets in one process turn them off. */
    readonly processMetrics?: boolean;
    /** A monotonic clock (ms), for the wakes' ages. */
    readonly now?: () => number;
}

/**
 * Every metric the fleet service exports on its API's `/metrics` (docs/fleet.md lists them; alert
 * rules and dashboards use the names), in its own registry. The conventions are the workspace's
 * (telemetry/workspace-metrics.ts): `coditect_` names with their unit, counters ending in `_total`,
 * bounded label values only: states, outcomes, sources, methods, route templates and status codes.
 * Never a workspace id, an owner or a path.
 *
 * The parts record into it (FleetService its provisions, WakeRouter its wakes, IdleSweeper its
 * sleeps, FleetHttpApi its requests); the workspace gauges are read from the registry before each scrape.
 */
export class FleetMetrics extends MetricsRegistry {
    readonly workspaces = this.gauge('coditect_fleet_workspaces', 'Workspaces in each state (warm pool workspaces not counted).', ['state']);
    readonly warmWorkspaces = this.gauge('coditect_fleet_warm_workspaces', 'Warm pool workspaces ready to be claimed by a provision.', []);
    readonly provisionDuration = this.histogram('coditect_fleet_provision_duration_seconds',
        'From a provision being asked to its workspace ready (or the wait ending), by outcome (ready, failed, timeout, error) and source (warm, new).',
        ['outcome', 'source'], [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600]);
    readonly wakeDuration = this.histogram('coditect_fleet_wake_duration_seconds',
        'From the router waking a sleeping workspace to it being ready (or the wait ending), by outcome (ready, failed, timeout, error).',
        ['outcome'], [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600]);
    readonly wakesInProgress = this.gauge('coditect_fleet_wakes_in_progress', 'Wakes the router started that have not ended yet.', []);
    readonly wakeOldest = this.gauge('coditect_fleet_wake_oldest_seconds', 'Age of the oldest wake still in progress; 0 when none.', []);
    readonly autoSleeps = this.counter('coditect_fleet_auto_sleeps_total', 'Workspaces the idle sweeper put to sleep.', []);
    readonly apiRequests = this.counter('coditect_fleet_api_requests_total',
        'Requests the fleet\'s API answered, by method, route template and status code (the wake router\'s and the v1 gateway\'s not counted).',
        ['method', 'route', 'code']);

    /** The start times of the wakes in progress. */
    protected readonly wakes = new Set<{ readonly startedAt: number }>();
    protected readonly now: () => number;

    constructor(options: FleetMetricsOptions = {}) {
        super({ processMetrics: options.processMetrics !== false });
        this.now = options.now ?? (() => performance.now());
        for (const state of WorkspaceStates) {
            this.workspaces.set({ state }, 0);
        }
        this.warmWorkspaces.set(0);
        this.wakesInProgress.set(0);
        this.wakeOldest.set(0);
        this.beforeScrape(() => this.refreshWakes());
    }

    /** The workspace gauges, read from `registry` before each scrape. */
    observeWorkspaces(registry: WorkspaceLister): Disposable {
        return this.beforeScrape(() => {
            const counts = new Map<WorkspaceState, number>(WorkspaceStates.map(state => [state, 0]));
            let warmReady = 0;
            for (const workspace of registry.list()) {
                if (workspace.warm) {
                    warmReady += workspace.state === 'ready' ? 1 : 0;
                } else {
                    counts.set(workspace.state, (counts.get(workspace.state) ?? 0) + 1);
                }
            }
            for (const [state, count] of counts) {
                this.workspaces.set({ state }, count);
            }
            this.warmWorkspaces.set(warmReady);
        });
    }

    /** A provision begins; call what it returns once it ended, with how and from where. */
    provisionStarted(): (outcome: StartOutcome, source: ProvisionSource) => void {
        const end = this.provisionDuration.startTimer();
        return (outcome, source) => end({ outcome, source });
    }

    /** A wake begins (counted in progress); call what it returns once it ended, with how (a second call does nothing). */
    wakeStarted(): (outcome: StartOutcome) => void {
        const wake = { startedAt: this.now() };
        this.wakes.add(wake);
        this.refreshWakes();
        return outcome => {
            if (this.wakes.delete(wake)) {
                this.wakeDuration.observe({ outcome }, (this.now() - wake.startedAt) / 1000);
                this.refreshWakes();
            }
        };
    }

    /** A request the API answered; `pathname` is turned into its route template. */
    apiRequest(method: string, pathname: string, status: number): void {
        const upper = method.toUpperCase();
        this.apiRequests.inc({ method: HttpMethods.has(upper) ? upper : 'other', route: apiRouteOf(pathname), code: String(status) });
    }

    protected refreshWakes(): void {
        let oldest: number | undefined;
        for (const wake of this.wakes) {
            oldest = oldest === undefined ? wake.startedAt : Math.min(oldest, wake.startedAt);
        }
        this.wakesInProgress.set(this.wakes.size);
        this.wakeOldest.set(oldest === undefined ? 0 : Math.max(0, (this.now() - oldest) / 1000));
    }
}

/** How a start that waited for `ready` ended, from what it answered. */
export function startOutcomeOf(answer: { readonly workspace: WorkspaceInfo; readonly settled: boolean }): StartOutcome {
    return !answer.settled ? 'timeout' : answer.workspace.state === 'ready' ? 'ready' : 'failed';
}
