import { AppsV1Api, CoreV1Api, KubeConfig, makeInformer, type Informer, type ObjectCache, type V1Pod, type V1StatefulSet } from '@kubernetes/client-node';
import { Emitter, Event } from '../common/emitter';
import { FleetLabel, WorkspaceApp } from './workspace-manifests';
import { WorkspaceInfo, workspaceInfo } from './workspace-info';

export interface FleetRegistryOptions {
    readonly namespace: string;
    /** Where workspaces are opened: a workspace's URL is `<baseUrl>/<id>/`. */
    readonly baseUrl: string;
    /** How long to wait before watching again after a watch failed (ms). */
    readonly retryMs?: number;
}

/** A workspace changed: what it is now, or undefined when it is gone. */
export interface FleetChange {
    readonly id: string;
    readonly workspace: WorkspaceInfo | undefined;
}

type Watched<T extends V1StatefulSet | V1Pod> = Informer<T> & ObjectCache<T>;

/**
 * The fleet's registry is Kubernetes: two informers (list, then watch) keep the workspaces'
 * StatefulSets and pods in memory, and each change is turned into the workspace's `WorkspaceInfo`
 * at once, with an index by owner, so reads (get, list, waiting for a state) never call the API
 * server. A watch that fails (the server restarted, history too old) is listed and watched again.
 */
export class FleetRegistry {
    protected readonly statefulSets: Watched<V1StatefulSet>;
    protected readonly pods: Watched<V1Pod>;
    protected readonly workspaces = new Map<string, WorkspaceInfo>();
    protected readonly byOwner = new Map<string, Set<string>>();
    protected readonly changed = new Emitter<FleetChange>();
    readonly onDidChange: Event<FleetChange> = this.changed.event;
    protected stopped = false;
    protected readonly retries = new Set<NodeJS.Timeout>();

    constructor(kubeConfig: KubeConfig, protected readonly options: FleetRegistryOptions) {
        const apps = kubeConfig.makeApiClient(AppsV1Api);
        const core = kubeConfig.makeApiClient(CoreV1Api);
        const { namespace } = options;
        const selector = `${FleetLabel.app}=${WorkspaceApp}`;
        this.statefulSets = makeInformer(kubeConfig, `/apis/apps/v1/namespaces/${namespace}/statefulsets`,
            () => apps.listNamespacedStatefulSet({ namespace, labelSelector: selector }), selector);
        this.pods = makeInformer(kubeConfig, `/api/v1/namespaces/${namespace}/pods`,
            () => core.listNamespacedPod({ namespace, labelSelector: selector }), selector);
        for (const informer of [this.statefulSets, this.pods] as Watched<V1StatefulSet | V1Pod>[]) {
            const refresh = (object: V1StatefulSet | V1Pod) => this.refresh(object.metadata?.labels?.[FleetLabel.workspace]);
            informer.on('add', refresh);
            informer.on('update', refresh);
            informer.on('delete', refresh);
            informer.on('error', () => this.retry(informer));
        }
    }

    /** Lists both kinds and starts watching them; resolves once the registry holds every workspace. */
    async start(): Promise<void> {
        await Promise.all([this.statefulSets.start(), this.pods.start()]);
        for (const statefulSet of this.statefulSets.list(this.options.namespace)) {
            this.refresh(statefulSet.metadata?.labels?.[FleetLabel.workspace]);
        }
    }

    async stop(): Promise<void> {
        this.stopped = true;
        this.retries.forEach(clearTimeout);
        await Promise.all([this.statefulSets.stop(), this.pods.stop()]);
        this.changed.dispose();
    }

    get(id: string): WorkspaceInfo | undefined {
        return this.workspaces.get(id);
    }

    /** Every workspace, or one owner's; oldest first. */
    list(owner?: string): WorkspaceInfo[] {
        const ids = owner === undefined ? [...this.workspaces.keys()] : [...this.byOwner.get(owner) ?? []];
        return ids.map(id => this.workspaces.get(id)!).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    }

    /** The resourceVersion of the workspace's StatefulSet as last watched: the precondition of a claim. */
    resourceVersionOf(id: string): string | undefined {
        return this.statefulSets.get(id, this.options.namespace)?.metadata?.resourceVersion;
    }

    /**
     * Resolves with the workspace once `until` holds for it (undefined: it is gone), or with what it
     * is when `timeoutMs` has passed first (the caller says it is still on its way).
     */
    waitFor(id: string, until: (workspace: WorkspaceInfo | undefined) => boolean, timeoutMs: number): Promise<{ readonly reached: boolean; readonly workspace: WorkspaceInfo | undefined }> {
        if (until(this.get(id))) {
            return Promise.resolve({ reached: true, workspace: this.get(id) });
        }
        return new Promise(resolve => {
            const timer = setTimeout(() => {
                listener.dispose();
                resolve({ reached: false, workspace: this.get(id) });
            }, timeoutMs);
            const listener = this.onDidChange(change => {
                if (change.id === id && until(change.workspace)) {
                    clearTimeout(timer);
                    listener.dispose();
                    resolve({ reached: true, workspace: change.workspace });
                }
            });
        });
    }

    protected refresh(id: string | undefined): void {
        if (!id) {
            return;
        }
        const { namespace, baseUrl } = this.options;
        const statefulSet = this.statefulSets.get(id, namespace);
        const before = this.workspaces.get(id);
        const after = statefulSet ? workspaceInfo(statefulSet, this.pods.get(`${id}-0`, namespace), baseUrl) : undefined;
        if (before && (!after || after.owner !== before.owner)) {
            this.byOwner.get(before.owner)?.delete(id);
        }
        if (after) {
            this.workspaces.set(id, after);
            const owned = this.byOwner.get(after.owner) ?? new Set<string>();
            owned.add(id);
            this.byOwner.set(after.owner, owned);
        } else {
            this.workspaces.delete(id);
        }
        if (before !== undefined || after !== undefined) {
            this.changed.fire({ id, workspace: after });
        }
    }

    /** A failed watch is started again (a list, then a watch) after a pause, until the registry stops. */
    protected retry(informer: Watched<V1StatefulSet | V1Pod>): void {
        if (this.stopped) {
            return;
        }
        const timer = setTimeout(() => {
            this.retries.delete(timer);
            if (!this.stopped) {
                informer.start().catch(() => this.retry(informer));
            }
        }, this.options.retryMs ?? 1000);
        this.retries.add(timer);
    }
}
