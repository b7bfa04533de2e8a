import { ApiException, AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startOutcomeOf, type FleetMetrics, type ProvisionSource } from './fleet-metrics';
import type { FleetRegistry } from './fleet-registry';
import { isV1Route, isV1UserId, migratedWorkspaceOf, type V1Route } from './v1-migration';
import { newWorkspaceId } from './workspace-ids';
import { workspaceInfo, type WorkspaceInfo, type WorkspaceState } from './workspace-info';
import { claimPatch, FleetAnnotation, homeClaimName, isWorkspaceSize, routePatch, WorkspaceSizeName, WorkspaceSizes, WorkspaceTemplate, workspaceManifests } from './workspace-manifests';

export interface FleetServiceOptions {
    readonly namespace: string;
    readonly template: WorkspaceTemplate;
    /** The bucket holding every workspace's folder, and the folder above theirs (`workspaces`). */
    readonly bucket: string;
    readonly bucketRoot: string;
    /** The studio's image; the template's when absent. */
    readonly image?: string;
    /** How long provision and start wait for the pod to be ready before answering that it is still starting (ms). */
    readonly readyTimeoutMs: number;
    /** How long a stop or a delete waits for the pod's shutdown (its final sync) (ms). */
    readonly stopTimeoutMs: number;
    /** Keeps a deleted workspace's bucket folder as its archive (a record beside it says whose and when); absent: nothing is archived. */
    readonly archive?: (workspace: WorkspaceInfo) => Promise<void>;
    /** Told of every change of a migrated workspace's route (the fleet logs each). */
    readonly onRouteChange?: (change: RouteChange) => void;
    /** Where provisions are timed (not a v1 user's, which starts nothing); absent: nowhere. */
    readonly metrics?: FleetMetrics;
}

/** A migrated workspace's route changed: from what, to what, by whom (a principal id). */
export interface RouteChange {
    readonly id: string;
    readonly v1User: string;
    readonly from: V1Route;
    readonly to: V1Route;
    readonly by: string;
}

/** How often a route is set again after its StatefulSet changed between the read and the write. */
const RouteAttempts = 5;

/** What the fleet cannot do as asked; `status` is the HTTP status the API answers with. */
export class FleetError extends Error {
    constructor(readonly status: 400 | 403 | 404 | 409 | 504, message: string) {
        super(message);
        this.name = 'FleetError';
    }
}

/** The answer of an operation that waits: the workspace, and whether it reached the state asked for in time. */
export interface FleetAnswer {
    readonly workspace: WorkspaceInfo;
    /** False when the wait ended first: the workspace is still on its way (GET it to follow). */
    readonly settled: boolean;
    /** The workspace was there already (a provision for a v1 user asked again): nothing was made. */
    readonly existing?: true;
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * Provisions, stops, starts and deletes workspaces by writing their Kubernetes objects, and
 * answers from the registry (the informers' view), waiting there for the state an operation
 * leads to. Nothing is half-made: a provision whose Service cannot be made removes its
 * StatefulSet again.
 */
export class FleetService {
    protected readonly apps: AppsV1Api;
    protected readonly core: CoreV1Api;
    /** The provisions for v1 users under way, by v1 user: one at a time each, so a rerun finds the first's workspace. */
    protected readonly movesBeingMade = new Map<string, Promise<FleetAnswer>>();

    constructor(kubeConfig: KubeConfig, protected readonly registry: FleetRegistry, protected readonly options: FleetServiceOptions) {
        this.apps = kubeConfig.makeApiClient(AppsV1Api);
        this.core = kubeConfig.makeApiClient(CoreV1Api);
    }

    /**
     * A workspace for `owner`, answered once its studio is ready (or when `readyTimeoutMs` has
     * passed): a warm one of that size when the pool has one (ready at once), else a new one.
     * With `v1User`, the workspace that CODITECT v1 user is moved into (provisionForV1User).
     */
    async provision(request: { readonly owner: string; readonly size?: unknown; readonly v1User?: unknown }): Promise<FleetAnswer> {
        const size = request.size ?? 'small';
        if (!isWorkspaceSize(size)) {
            throw new FleetError(400, `"${String(size)}" is not a workspace size: use ${Object.keys(WorkspaceSizes).join(', ')}.`);
        }
        if (request.v1User !== undefined) {
            return this.provisionForV1User(request.owner, size, request.v1User);
        }
        const ended = this.options.metrics?.provisionStarted();
        let source: ProvisionSource = 'new';
        try {
            const claimed = await this.claimWarm(request.owner, size);
            source = claimed ? 'warm' : 'new';
            const answer = await this.until(claimed ?? await this.create(size, request.owner), ['ready', 'failed'], this.options.readyTimeoutMs);
            ended?.(startOutcomeOf(answer), source);
            return answer;
        } catch (error) {
            ended?.('error', source);
            throw error;
        }
    }

    /**
     * The workspace `owner` is moved into from CODITECT v1 user `v1User`: made stopped (no pod may
     * write an empty workspace to its bucket folder before the move fills it; never a warm one,
     * which runs), with route `v1`, answered once the registry shows it. Asked again for the same
     * v1 user (an operator's rerun), it answers the workspace made before (`existing`) unless that
     * one is being deleted. A v1 user is moved into one workspace, and a person has one moved in.
     */
    protected async provisionForV1User(owner: string, size: WorkspaceSizeName, v1User: unknown): Promise<FleetAnswer> {
        if (!isV1UserId(v1User)) {
            throw new FleetError(400, '"v1User" must be the v1 user\'s id: a letter or digit, then at most 119 letters, digits, "_", "." or "-".');
        }
        // One at a time per v1 user: a rerun while the first is still being made waits for it and finds it.
        for (let under = this.movesBeingMade.get(v1User); under; under = this.movesBeingMade.get(v1User)) {
            await under.catch(() => undefined);
        }
        const making = (async (): Promise<FleetAnswer> => {
            const existing = this.registry.list().find(w => w.v1User === v1User && w.state !== 'deleting');
            if (existing && existing.owner !== owner) {
                throw new FleetError(409, `v1 user ${v1User} is already being moved into ${existing.id}, ${existing.owner}'s; a v1 user is moved into one workspace.`);
            }
            if (existing) {
                return { workspace: existing, settled: true, existing: true };
            }
            const other = migratedWorkspaceOf(this.registry.list(owner));
            if (other) {
                throw new FleetError(409, `${owner} already has a workspace moved from v1 user ${other.v1User} (${other.id}); a person is moved from v1 once.`);
            }
            const id = await this.create(size, owner, v1User);
            return this.until(id, ['stopped'], this.options.readyTimeoutMs);
        })();
        this.movesBeingMade.set(v1User, making);
        try {
            return await making;
        } finally {
            this.movesBeingMade.delete(v1User);
        }
    }

    /** Makes a workspace for the warm pool (nobody's until a provision claims it) and answers with its id at once. */
    async createWarm(size: WorkspaceSizeName): Promise<string> {
        return this.create(size, undefined);
    }

    /** Makes a workspace's StatefulSet and Service; nothing is half-made (a failed Service removes the StatefulSet). */
    protected async create(size: WorkspaceSizeName, owner: string | undefined, v1User?: string): Promise<string> {
        const id = newWorkspaceId();
        const { statefulSet, service } = workspaceManifests(this.options.template, {
            id, owner, size, v1User, bucket: this.options.bucket,
            bucketPrefix: `${this.options.bucketRoot.replace(/\/+$/, '')}/${id}`, image: this.options.image,
        });
        const namespace = this.options.namespace;
        await this.apps.createNamespacedStatefulSet({ namespace, body: statefulSet });
        try {
            await this.core.createNamespacedService({ namespace, body: service });
        } catch (error) {
            await this.apps.deleteNamespacedStatefulSet({ namespace, name: id }).catch(() => undefined);
            throw error;
        }
        return id;
    }

    /**
     * Gives `owner` a warm workspace of `size`, a ready one first, then one still starting; its
     * id, or undefined when the pool has none. Each claim is conditional on the StatefulSet's
     * resourceVersion, so a workspace two provisions reach for goes to one of them, and the other
     * tries the next.
     */
    protected async claimWarm(owner: string, size: WorkspaceSizeName): Promise<string | undefined> {
        const rank = (w: WorkspaceInfo) => w.state === 'ready' ? 0 : 1;
        const candidates = this.registry.list()
            .filter(w => w.warm && w.size === size && (w.state === 'ready' || w.state === 'starting'))
            .sort((a, b) => rank(a) - rank(b));
        for (const candidate of candidates) {
            const resourceVersion = this.registry.resourceVersionOf(candidate.id);
            if (!resourceVersion) {
                continue;
            }
            try {
                await this.apps.patchNamespacedStatefulSet({ namespace: this.options.namespace, name: candidate.id, body: claimPatch(owner, resourceVersion) }, mergePatch);
            } catch (error) {
                if (error instanceof ApiException && (error.code === 409 || error.code === 404)) {
                    continue;
                }
                throw error;
            }
            await this.registry.waitFor(candidate.id, w => w === undefined || w.owner === owner, this.options.readyTimeoutMs);
            return candidate.id;
        }
        return undefined;
    }

    get(id: string): WorkspaceInfo {
        const workspace = this.registry.get(id);
        if (!workspace) {
            throw new FleetError(404, `There is no workspace ${id}: list yours with GET /workspaces.`);
        }
        return workspace;
    }

    list(owner?: string): WorkspaceInfo[] {
        return this.registry.list(owner);
    }

    /**
     * Sets where a migrated workspace's v1 user is sent (v1-migration.ts), answered once the
     * registry shows it. The write is conditional on the StatefulSet's resourceVersion, so it never
     * lands over a change made meanwhile (a delete begun, another route): on a conflict the
     * StatefulSet is read again, checked again, and the route set from there. Setting the route it
     * has changes nothing.
     */
    async setRoute(id: string, route: unknown, by: string): Promise<FleetAnswer> {
        const workspace = this.get(id);
        if (!isV1Route(route)) {
            throw new FleetError(400, '"route" must be "v1", "frozen" or "v2", such as {"route": "frozen"}.');
        }
        const gone = () => new FleetError(404, `Workspace ${id} is gone: it was deleted meanwhile.`);
        let current = this.checkRoutable(workspace);
        let resourceVersion = this.registry.resourceVersionOf(id);
        for (let attempt = 1; current.route !== route; attempt++) {
            if (attempt > RouteAttempts) {
                throw new FleetError(409, `Workspace ${id} changed ${RouteAttempts} times while its route was being set; set it again.`);
            }
            if (resourceVersion) {
                try {
                    await this.apps.patchNamespacedStatefulSet({ namespace: this.options.namespace, name: id, body: routePatch(route, resourceVersion) }, mergePatch);
                    this.options.onRouteChange?.({ id, v1User: current.v1User, from: current.route, to: route, by });
                    break;
                } catch (error) {
                    if (error instanceof ApiException && error.code === 404) {
                        throw gone();
                    }
                    if (!(error instanceof ApiException && error.code === 409)) {
                        throw error;
                    }
                }
            }
            // Changed since the registry saw it (or not seen yet): read it from the API server, as it is now.
            const read = await this.apps.readNamespacedStatefulSet({ namespace: this.options.namespace, name: id }).catch(error => {
                throw error instanceof ApiException && error.code === 404 ? gone() : error;
            });
            current = this.checkRoutable(workspaceInfo(read, undefined, ''));
            resourceVersion = read.metadata?.resourceVersion;
        }
        const { reached, workspace: now } = await this.registry.waitFor(id, w => w === undefined || w.route === route, this.options.readyTimeoutMs);
        if (!now) {
            throw gone();
        }
        return { workspace: now, settled: reached };
    }

    /** A workspace whose route may be set: a migrated one, not being deleted; its v1 user and route. */
    protected checkRoutable(workspace: WorkspaceInfo): { readonly v1User: string; readonly route: V1Route } {
        if (workspace.v1User === undefined || workspace.route === undefined) {
            throw new FleetError(409, `Workspace ${workspace.id} is not a migrated workspace: it has no v1 route.`);
        }
        this.refuseWhileDeleting(workspace, 'change its route');
        return { v1User: workspace.v1User, route: workspace.route };
    }

    /** Scales the workspace to zero: its pod's shutdown makes the final sync; its volume and bucket folder keep everything. */
    async stop(id: string, reason: 'user' | 'idle' = 'user'): Promise<FleetAnswer> {
        const workspace = this.get(id);
        this.refuseWhileDeleting(workspace, 'stop');
        await this.scale(id, 0, { [FleetAnnotation.stopReason]: reason });
        return this.until(id, ['stopped'], this.options.stopTimeoutMs);
    }

    /** Scales a stopped workspace back to one pod, answered once it is ready (it restores from its volume, or from the bucket when that is lost). */
    async start(id: string): Promise<FleetAnswer> {
        const workspace = this.get(id);
        this.refuseWhileDeleting(workspace, 'start');
        await this.scale(id, 1, { [FleetAnnotation.stopReason]: null });
        return this.until(id, ['ready', 'failed'], this.options.readyTimeoutMs);
    }

    /**
     * Deletes a workspace: marks it deleting, stops it (its final sync), archives its bucket folder,
     * then deletes its StatefulSet, Service and volume. Answered once it is gone; a delete that
     * fails part way leaves it marked `deleting`, and deleting again goes on from there.
     */
    async delete(id: string): Promise<void> {
        const workspace = this.get(id);
        await this.markDeleting(workspace);
        await this.finishDelete(workspace);
    }

    /**
     * Deletes a warm workspace unless a provision has claimed it meanwhile (the mark is conditional
     * on the resourceVersion the pool saw); true when it was deleted.
     */
    async deleteWarm(id: string): Promise<boolean> {
        const workspace = this.get(id);
        const resourceVersion = this.registry.resourceVersionOf(id);
        if (!workspace.warm || !resourceVersion) {
            return false;
        }
        try {
            await this.markDeleting(workspace, resourceVersion);
        } catch (error) {
            if (error instanceof ApiException && (error.code === 409 || error.code === 404)) {
                return false;
            }
            throw error;
        }
        await this.finishDelete(workspace);
        return true;
    }

    /** Marks the workspace for deletion and scales it to zero (its shutdown: the final sync); only at `resourceVersion` when given. */
    protected async markDeleting(workspace: WorkspaceInfo, resourceVersion?: string): Promise<void> {
        await this.apps.patchNamespacedStatefulSet({
            namespace: this.options.namespace, name: workspace.id,
            body: { metadata: { ...resourceVersion ? { resourceVersion } : {}, annotations: { [FleetAnnotation.deleting]: new Date().toISOString() } }, spec: { replicas: 0 } },
        }, mergePatch);
    }

    /** The rest of a delete, once marked: waits for the shutdown, archives, deletes the objects. */
    protected async finishDelete(workspace: WorkspaceInfo): Promise<void> {
        const { id } = workspace;
        const namespace = this.options.namespace;
        const stopped = await this.registry.waitFor(id, w => w === undefined || w.state === 'deleting' && w.podPhase === undefined, this.options.stopTimeoutMs);
        if (!stopped.reached) {
            throw new FleetError(504, `Workspace ${id} did not finish shutting down (its final sync) within ${this.options.stopTimeoutMs / 1000} s; it stays marked for deletion: delete it again to go on.`);
        }
        if (!workspace.warm) {
            // A warm workspace was never anyone's: there is nothing to keep.
            await this.options.archive?.(workspace);
        }
        await this.core.deleteNamespacedService({ namespace, name: id }).catch(notFoundIsDone);
        await this.apps.deleteNamespacedStatefulSet({ namespace, name: id }).catch(notFoundIsDone);
        await this.core.deleteNamespacedPersistentVolumeClaim({ namespace, name: homeClaimName(id) }).catch(notFoundIsDone);
        await this.registry.waitFor(id, w => w === undefined, this.options.stopTimeoutMs);
    }

    protected refuseWhileDeleting(workspace: WorkspaceInfo, what: string): void {
        if (workspace.state === 'deleting') {
            throw new FleetError(409, `Workspace ${workspace.id} is being deleted; it cannot ${what}.`);
        }
    }

    protected async scale(id: string, replicas: number, annotations: Record<string, string | null>): Promise<void> {
        await this.apps.patchNamespacedStatefulSet({ namespace: this.options.namespace, name: id, body: { metadata: { annotations }, spec: { replicas } } }, mergePatch);
    }

    protected async until(id: string, states: readonly WorkspaceState[], timeoutMs: number): Promise<FleetAnswer> {
        const { reached, workspace } = await this.registry.waitFor(id, w => w !== undefined && states.includes(w.state), timeoutMs);
        if (!workspace) {
            throw new FleetError(404, `Workspace ${id} is gone: it was deleted meanwhile.`);
        }
        return { workspace, settled: reached };
    }
}

function notFoundIsDone(error: unknown): void {
    if ((error as { code?: number }).code !== 404) {
        throw error;
    }
}
