import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { loadYaml, type V1Container, type V1Service, type V1StatefulSet } from '@kubernetes/client-node';
import type { V1Route } from './v1-route';

/**
 * A workspace's Kubernetes objects, made from the one workspace manifest the repository keeps
 * (docker/k8s/statefulset.yaml and service.yaml, which `kubectl apply -k` also deploys as a
 * single studio): the fleet changes only what makes a copy of it one workspace's (names,
 * labels, the bucket folder, the size), so the image's probes, security and shutdown settings
 * are written once.
 *
 * Kubernetes is the fleet's registry: a workspace is its StatefulSet, and what the fleet knows
 * of it is in these labels (selectable) and annotations (anything else).
 */
export const FleetLabel = {
    app: 'app.kubernetes.io/name',
    partOf: 'app.kubernetes.io/part-of',
    workspace: 'coditect.ai/workspace',
    /** A hash of the owner's id: ids such as `user:ada@example.com` are not valid label values. */
    owner: 'coditect.ai/owner',
    /** `warm` on a workspace of the warm pool, made ahead for whoever provisions next; gone once claimed. */
    pool: 'coditect.ai/pool',
} as const;

export const WarmPoolLabelValue = 'warm';

export const FleetAnnotation = {
    ownerId: 'coditect.ai/owner-id',
    size: 'coditect.ai/size',
    bucketPrefix: 'coditect.ai/bucket-prefix',
    /** Why the workspace was scaled to zero: `user` (stopped through the API) or `idle` (auto-sleep). */
    stopReason: 'coditect.ai/stop-reason',
    /** Set when a delete began: its final sync and archive are under way, then the objects go. */
    deleting: 'coditect.ai/deleting',
    /** The CODITECT v1 user the workspace is moved from (v1-migration.ts); only on such a workspace. */
    v1User: 'coditect.ai/v1-user',
    /** Where the v1 user's front door sends them: `v1`, `frozen` or `v2` (v1-migration.ts); only beside `v1User`. */
    route: 'coditect.ai/route',
} as const;

/** `app.kubernetes.io/name` of every workspace the fleet made (the single-studio manifest's is `coditect-studio`). */
export const WorkspaceApp = 'coditect-workspace';
/** The container of the template that runs the studio. */
const StudioContainer = 'studio';
/** The template's volume claim holding the workspace, the databases and the user's files. */
const HomeClaim = 'home';

export type WorkspaceSizeName = 'small' | 'medium' | 'large';

export interface WorkspaceSize {
    /** Kubernetes quantities: the container's requests and limits (equal: the Guaranteed class), and its volume. */
    readonly cpu: string;
    readonly memory: string;
    readonly disk: string;
}

export const WorkspaceSizes: Readonly<Record<WorkspaceSizeName, WorkspaceSize>> = {
    small: { cpu: '1', memory: '2Gi', disk: '10Gi' },
    medium: { cpu: '2', memory: '4Gi', disk: '20Gi' },
    large: { cpu: '4', memory: '8Gi', disk: '50Gi' },
};

export function isWorkspaceSize(value: unknown): value is WorkspaceSizeName {
    return typeof value === 'string' && Object.prototype.hasOwnProperty.call(WorkspaceSizes, value);
}

export interface WorkspaceTemplate {
    readonly statefulSet: V1StatefulSet;
    readonly service: V1Service;
}

/** Reads the template's two manifests; says which file is wrong when one is not what the fleet needs. */
export function readWorkspaceTemplate(statefulSetFile: string, serviceFile: string): WorkspaceTemplate {
    const statefulSet = loadYaml<V1StatefulSet>(fs.readFileSync(statefulSetFile, 'utf8'));
    const service = loadYaml<V1Service>(fs.readFileSync(serviceFile, 'utf8'));
    if (statefulSet?.kind !== 'StatefulSet' || !statefulSet.spec?.template.spec?.containers.some(c => c.name === StudioContainer)) {
        throw new Error(`${statefulSetFile} is not the workspace's StatefulSet: it needs kind StatefulSet and a container named "${StudioContainer}".`);
    }
    if (!statefulSet.spec.volumeClaimTemplates?.some(c => c.metadata?.name === HomeClaim)) {
        throw new Error(`${statefulSetFile} has no volume claim template named "${HomeClaim}", which holds the workspace.`);
    }
    if (service?.kind !== 'Service') {
        throw new Error(`${serviceFile} is not the workspace's Service (kind Service).`);
    }
    return { statefulSet, service };
}

export interface WorkspaceSpec {
    /** A DNS label, `ws-…` (see workspace-ids.ts). */
    readonly id: string;
    /** The person it belongs to, as a principal id (`user:ada`); absent for a workspace of the warm pool. */
    readonly owner?: string;
    readonly size: WorkspaceSizeName;
    /** The bucket whose folder `bucketPrefix` holds the workspace's replica and files. */
    readonly bucket: string;
    /** The workspace's folder in the bucket, `workspaces/<id>` (no trailing slash). */
    readonly bucketPrefix: string;
    /** The studio's image; the template's when absent. */
    readonly image?: string;
    /**
     * The CODITECT v1 user it is made for (with an owner): it is made stopped, with route `v1`. No pod
     * may run before the move fills its bucket folder: a studio's start and shutdown would write an
     * empty workspace there.
     */
    readonly v1User?: string;
}

/** The label value for an owner: the first 40 hex digits of the SHA-256 of the id. */
export function ownerLabel(owner: string): string {
    return createHash('sha256').update(owner).digest('hex').slice(0, 40);
}

/** The name of the volume claim the StatefulSet's controller makes for the workspace's one pod. */
export function homeClaimName(id: string): string {
    return `${HomeClaim}-${id}-0`;
}

/**
 * The workspace's StatefulSet and Service: deep copies of the template's, made that workspace's.
 *
 * Who owns it is on the StatefulSet alone (labels and annotations), never on its pod or volume:
 * a change to the pod template restarts the pod, and claiming a warm workspace must not.
 */
export function workspaceManifests(template: WorkspaceTemplate, workspace: WorkspaceSpec): WorkspaceTemplate {
    const size = WorkspaceSizes[workspace.size];
    const selector = { [FleetLabel.app]: WorkspaceApp, [FleetLabel.workspace]: workspace.id };
    const podLabels = { [FleetLabel.app]: WorkspaceApp, [FleetLabel.partOf]: 'coditect', [FleetLabel.workspace]: workspace.id };
    const labels = { ...podLabels, ...workspace.owner === undefined ? { [FleetLabel.pool]: WarmPoolLabelValue } : { [FleetLabel.owner]: ownerLabel(workspace.owner) } };
    const annotations = {
        ...workspace.owner === undefined ? {} : { [FleetAnnotation.ownerId]: workspace.owner }, [FleetAnnotation.size]: workspace.size, [FleetAnnotation.bucketPrefix]: workspace.bucketPrefix,
        ...workspace.v1User === undefined ? {} : { [FleetAnnotation.v1User]: workspace.v1User, [FleetAnnotation.route]: 'v1' satisfies V1Route },
    };

    const statefulSet = structuredClone(template.statefulSet);
    statefulSet.metadata = { name: workspace.id, labels, annotations };
    const spec = statefulSet.spec!;
    spec.serviceName = workspace.id;
    spec.replicas = workspace.v1User === undefined ? 1 : 0;
    spec.selector = { matchLabels: selector };
    const pod = spec.template;
    pod.metadata = { ...pod.metadata, labels: { ...podLabels } };
    const studio = pod.spec!.containers.find(c => c.name === StudioContainer)!;
    studio.resources = { requests: { cpu: size.cpu, memory: size.memory }, limits: { cpu: size.cpu, memory: size.memory } };
    if (workspace.image) {
        studio.image = workspace.image;
    }
    setEnv(studio, 'STUDIO_WORKSPACE_ID', workspace.id);
    for (const volume of pod.spec!.volumes ?? []) {
        if (volume.csi?.driver === 'gcsfuse.csi.storage.gke.io') {
            const attributes = volume.csi.volumeAttributes ?? {};
            attributes.bucketName = workspace.bucket;
            attributes.mountOptions = (attributes.mountOptions ?? '').replace(/only-dir=[^,]*/, `only-dir=${workspace.bucketPrefix}`);
            volume.csi.volumeAttributes = attributes;
        }
    }
    const home = spec.volumeClaimTemplates!.find(c => c.metadata?.name === HomeClaim)!;
    home.metadata = { ...home.metadata, labels: { ...podLabels } };
    home.spec = { ...home.spec, resources: { ...home.spec?.resources, requests: { storage: size.disk } } };

    const service = structuredClone(template.service);
    service.metadata = { name: workspace.id, labels: podLabels, annotations: { ...template.service.metadata?.annotations } };
    service.spec = { ...service.spec, selector };
    return { statefulSet, service };
}

/**
 * The merge patch that gives a warm workspace to `owner`: its StatefulSet's owner label and
 * annotation, the pool label removed. Only if the StatefulSet is still at `resourceVersion`
 * (the API server answers 409 otherwise), so two provisions never claim the same one.
 */
export function claimPatch(owner: string, resourceVersion: string): object {
    return { metadata: { resourceVersion, labels: { [FleetLabel.owner]: ownerLabel(owner), [FleetLabel.pool]: null }, annotations: { [FleetAnnotation.ownerId]: owner } } };
}

/**
 * The merge patch that sets a migrated workspace's route, only if its StatefulSet is still at
 * `resourceVersion` (the API server answers 409 otherwise): a route is set from the one it was
 * read with, never over a change made meanwhile.
 */
export function routePatch(route: V1Route, resourceVersion: string): object {
    return { metadata: { resourceVersion, annotations: { [FleetAnnotation.route]: route } } };
}

function setEnv(container: V1Container, name: string, value: string): void {
    container.env = [...(container.env ?? []).filter(e => e.name !== name), { name, value }];
}
