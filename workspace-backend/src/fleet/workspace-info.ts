import type { V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { isV1Route, type V1Route } from './v1-route';
import { FleetAnnotation, FleetLabel, isWorkspaceSize, WarmPoolLabelValue, WorkspaceSizeName } from './workspace-manifests';

/**
 * Where a workspace is, read from its StatefulSet and its pod (the fleet keeps no state of its own):
 * - `starting`: asked to run (one replica), its pod not ready yet (being made, restoring, waking);
 * - `ready`: its pod is ready: the studio answers;
 * - `stopping`: asked to stop (no replica), its pod still shutting down (the final sync);
 * - `stopped`: no pod; its volume and its bucket folder keep everything;
 * - `failed`: its pod failed (the message says why);
 * - `deleting`: a delete began (final sync, archive, then the objects go).
 */
export type WorkspaceState = 'starting' | 'ready' | 'stopping' | 'stopped' | 'failed' | 'deleting';

export interface WorkspaceInfo {
    readonly id: string;
    /** The owner's principal id (`user:ada`); empty for a warm workspace. */
    readonly owner: string;
    /** A workspace of the warm pool, made ahead and not yet claimed by a provision. */
    readonly warm?: true;
    readonly size: WorkspaceSizeName;
    readonly state: WorkspaceState;
    /** Where the person opens it: `<baseUrl>/<id>/`. */
    readonly url: string;
    /** ISO 8601. */
    readonly createdAt: string;
    /** The workspace's folder in the bucket. */
    readonly bucketPrefix: string;
    /** Why it was stopped, while stopping or stopped: `user` (the API) or `idle` (auto-sleep). */
    readonly stopReason?: string;
    /** Why its pod failed. */
    readonly message?: string;
    /** Its pod's phase (Pending, Running, Failed…) while it has a pod. */
    readonly podPhase?: string;
    /** Its pod's address, once it has one (the fleet reads the studio's /health there). */
    readonly podIP?: string;
    /** The CODITECT v1 user it is moved from: only on a migrated workspace (v1-migration.ts). */
    readonly v1User?: string;
    /** Where that user's v1 front door sends them; only beside `v1User`. */
    readonly route?: V1Route;
}

export function workspaceInfo(statefulSet: V1StatefulSet, pod: V1Pod | undefined, baseUrl: string): WorkspaceInfo {
    const metadata = statefulSet.metadata ?? {};
    const annotations = metadata.annotations ?? {};
    const id = metadata.labels?.[FleetLabel.workspace] ?? metadata.name ?? '';
    const size = annotations[FleetAnnotation.size];
    const state = stateOf(statefulSet, pod);
    const stopReason = annotations[FleetAnnotation.stopReason];
    const v1User = annotations[FleetAnnotation.v1User];
    // A migrated workspace without a route it knows is taken as not moved yet (`v1`): it stays closed to its owner.
    const routeGiven = annotations[FleetAnnotation.route];
    const route: V1Route = isV1Route(routeGiven) ? routeGiven : 'v1';
    const message = state === 'failed' ? pod?.status?.message ?? pod?.status?.reason ?? 'its pod failed' : undefined;
    return {
        id, owner: annotations[FleetAnnotation.ownerId] ?? '', size: isWorkspaceSize(size) ? size : 'small', state,
        ...(metadata.labels?.[FleetLabel.pool] === WarmPoolLabelValue ? { warm: true as const } : {}),
        url: `${baseUrl.replace(/\/+$/, '')}/${id}/`,
        createdAt: toIso(metadata.creationTimestamp),
        bucketPrefix: annotations[FleetAnnotation.bucketPrefix] ?? '',
        ...(stopReason && (state === 'stopping' || state === 'stopped') ? { stopReason } : {}),
        ...(message ? { message } : {}),
        ...(pod?.status?.phase ? { podPhase: pod.status.phase } : {}),
        ...(pod?.status?.podIP ? { podIP: pod.status.podIP } : {}),
        ...(v1User ? { v1User, route } : {}),
    };
}

function stateOf(statefulSet: V1StatefulSet, pod: V1Pod | undefined): WorkspaceState {
    if (statefulSet.metadata?.deletionTimestamp || statefulSet.metadata?.annotations?.[FleetAnnotation.deleting]) {
        return 'deleting';
    }
    if ((statefulSet.spec?.replicas ?? 1) === 0) {
        return pod ? 'stopping' : 'stopped';
    }
    if (pod?.status?.phase === 'Failed') {
        return 'failed';
    }
    return pod && isReady(pod) && !pod.metadata?.deletionTimestamp ? 'ready' : 'starting';
}

export function isReady(pod: V1Pod): boolean {
    return pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some(c => c.type === 'Ready' && c.status === 'True');
}

function toIso(value: Date | string | undefined): string {
    return value === undefined ? '' : value instanceof Date ? value.toISOString() : value;
}
