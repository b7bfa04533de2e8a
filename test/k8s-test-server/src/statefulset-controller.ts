import * as crypto from 'node:crypto';
import { Kubelet } from './kubelet';
import { KubeObject, thaw } from './objects';
import { resourceTypeOf } from './resources';
import { Store } from './store';

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const revisionLabel = 'controller-revision-hash';

/**
 * The StatefulSet controller in miniature. Per StatefulSet: pods `<name>-<ordinal>` for ordinals
 * below spec.replicas from spec.template, owned by the set; one PVC per volumeClaimTemplate and
 * ordinal, `<claim>-<name>-<ordinal>`, created once and kept (persistentVolumeClaimRetentionPolicy
 * Retain, the default; `Delete` is honoured for whenDeleted/whenScaled); scale-down removes the
 * highest ordinals first; a changed template rolls pods from the highest ordinal down
 * (RollingUpdate, partition honoured; OnDelete waits for deletes). `OrderedReady` (the default)
 * creates pod N+1 only when 0..N are Ready and deletes one pod at a time; `Parallel` does all at
 * once. status follows the pods.
 *
 * Work is keyed by StatefulSet and batched on setImmediate: a burst of events about one set
 * costs one reconcile, and reconciling never happens inside another write's event delivery.
 * Children are found through the store's owner index, so a reconcile costs O(its pods), not
 * O(all pods) — 10,000 StatefulSets stay linear.
 */
export class StatefulSetController {
    private readonly queue = new Set<string>();
    private scheduled = false;
    private stopped = false;
    private readonly stsType = resourceTypeOf('statefulsets');
    private readonly podType = resourceTypeOf('pods');
    private readonly pvcType = resourceTypeOf('persistentvolumeclaims');

    constructor(private readonly store: Store, private readonly kubelet: Kubelet) {
        store.listen((type, event) => {
            if (type.plural === 'statefulsets' && event.type !== 'DELETED') {
                this.enqueue(event.object.metadata.namespace ?? '', event.object.metadata.name);
            } else if (type.plural === 'pods') {
                const owner = event.object.metadata.ownerReferences?.find(r => r.kind === 'StatefulSet' && r.controller);
                if (owner) {
                    this.enqueue(event.object.metadata.namespace ?? '', owner.name);
                }
            }
        });
    }

    stop(): void {
        this.stopped = true;
    }

    private enqueue(namespace: string, name: string): void {
        this.queue.add(`${namespace}/${name}`);
        if (!this.scheduled) {
            this.scheduled = true;
            setImmediate(() => this.drain());
        }
    }

    private drain(): void {
        this.scheduled = false;
        const keys = [...this.queue];
        this.queue.clear();
        for (const key of keys) {
            if (this.stopped) {
                return;
            }
            const slash = key.indexOf('/');
            this.reconcile(key.slice(0, slash), key.slice(slash + 1));
        }
    }

    private reconcile(namespace: string, name: string): void {
        const sts = this.store.get('statefulsets', namespace, name);
        if (!sts || sts.metadata.deletionTimestamp) {
            return;
        }
        const spec = sts.spec ?? {};
        const replicas: number = spec.replicas ?? 1;
        const parallel = spec.podManagementPolicy === 'Parallel';
        const updateRevision = `${name}-${revisionHash(spec.template)}`;
        const pods = new Map<number, KubeObject>();
        for (const child of this.store.dependentsOf(sts.metadata.uid)) {
            if (child.plural !== 'pods') {
                continue;
            }
            const pod = this.store.get('pods', child.namespace, child.name);
            const ordinal = pod ? ordinalOf(name, pod.metadata.name) : undefined;
            if (pod && ordinal !== undefined) {
                pods.set(ordinal, pod);
            }
        }
        const terminating = [...pods.values()].some(p => p.metadata.deletionTimestamp);

        // Scale down: highest ordinals first; OrderedReady one at a time, each fully gone first.
        const surplus = [...pods.keys()].filter(o => o >= replicas).sort((a, b) => b - a);
        if (surplus.length) {
            if (parallel) {
                for (const ordinal of surplus) {
                    this.deletePod(pods.get(ordinal)!);
                }
            } else if (!terminating) {
                this.deletePod(pods.get(surplus[0])!);
            }
        }
        if (spec.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') {
            this.deleteClaimsFrom(sts, replicas, pods);
        }

        // Scale up: claims first (a pod's volumes must exist before it starts), then the pod.
        let blocked = false;
        for (let ordinal = 0; ordinal < replicas && !blocked; ordinal++) {
            const pod = pods.get(ordinal);
            if (!pod) {
                this.createClaims(sts, ordinal);
                pods.set(ordinal, this.createPod(sts, ordinal, updateRevision));
                blocked = !parallel;
            } else if (!parallel && (!isReady(pod) || pod.metadata.deletionTimestamp)) {
                blocked = true;
            }
        }

        // Rolling update: replace the highest outdated ordinal at or above the partition, once all are ready.
        const strategy = spec.updateStrategy?.type ?? 'RollingUpdate';
        if (strategy === 'RollingUpdate' && !blocked && !terminating && !surplus.length) {
            const partition: number = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
            const all = [...pods.entries()].filter(([o]) => o < replicas);
            const allReady = all.every(([, p]) => isReady(p));
            const outdated = all.filter(([o, p]) => o >= partition && p.metadata.labels?.[revisionLabel] !== updateRevision).sort((a, b) => b[0] - a[0]);
            if (outdated.length && (parallel || allReady)) {
                for (const [, pod] of parallel ? outdated : outdated.slice(0, 1)) {
                    this.deletePod(pod);
                }
            }
        }

        this.updateStatus(sts, [...pods.values()], updateRevision);
    }

    private createPod(sts: KubeObject, ordinal: number, revision: string): KubeObject {
        const name = `${sts.metadata.name}-${ordinal}`;
        const namespace = sts.metadata.namespace ?? '';
        const template = thaw(sts.spec?.template ?? {});
        const spec = template.spec ?? {};
        spec.hostname ??= name;
        if (sts.spec?.serviceName) {
            spec.subdomain ??= sts.spec.serviceName;
        }
        const claims: { metadata?: { name?: string } }[] = sts.spec?.volumeClaimTemplates ?? [];
        const volumes: { name: string }[] = spec.volumes ?? [];
        for (const claim of claims) {
            const claimName = claim.metadata?.name ?? '';
            const volume = { name: claimName, persistentVolumeClaim: { claimName: `${claimName}-${name}` } };
            const index = volumes.findIndex(v => v.name === claimName);
            if (index >= 0) {
                volumes[index] = volume;
            } else {
                volumes.push(volume);
            }
        }
        if (volumes.length) {
            spec.volumes = volumes;
        }
        spec.restartPolicy ??= 'Always';
        return this.store.create(this.podType, {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
                name,
                namespace,
                uid: this.store.newUid(),
                resourceVersion: '',
                creationTimestamp: new Date().toISOString(),
                labels: {
                    ...template.metadata?.labels,
                    [podNameLabel]: name,
                    [revisionLabel]: revision,
                    'apps.kubernetes.io/pod-index': String(ordinal),
                },
                ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
                ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name, uid: sts.metadata.uid, controller: true, blockOwnerDeletion: true }],
            },
            spec,
            status: { phase: 'Pending', qosClass: 'BestEffort' },
        });
    }

    private createClaims(sts: KubeObject, ordinal: number): void {
        const namespace = sts.metadata.namespace ?? '';
        for (const template of (sts.spec?.volumeClaimTemplates ?? []) as KubeObject[]) {
            const name = `${template.metadata?.name}-${sts.metadata.name}-${ordinal}`;
            if (this.store.get('persistentvolumeclaims', namespace, name)) {
                continue;
            }
            const ownedBySet = sts.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
            const claim = thaw(template);
            this.store.create(this.pvcType, {
                ...claim,
                apiVersion: 'v1',
                kind: 'PersistentVolumeClaim',
                metadata: {
                    ...claim.metadata,
                    name,
                    namespace,
                    uid: this.store.newUid(),
                    resourceVersion: '',
                    creationTimestamp: new Date().toISOString(),
                    labels: { ...sts.spec?.selector?.matchLabels, ...claim.metadata?.labels },
                    ...(ownedBySet ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name, uid: sts.metadata.uid, controller: true, blockOwnerDeletion: true }] } : {}),
                },
                spec: { volumeMode: 'Filesystem', ...claim.spec },
                status: boundStatus(claim.spec),
            });
        }
    }

    /** whenScaled: Delete — the claims of ordinals at or above `replicas` whose pods are gone (claims are contiguous from 0). */
    private deleteClaimsFrom(sts: KubeObject, replicas: number, pods: Map<number, KubeObject>): void {
        const namespace = sts.metadata.namespace ?? '';
        const templates = (sts.spec?.volumeClaimTemplates ?? []) as KubeObject[];
        for (let ordinal = replicas; templates.length; ordinal++) {
            const names = templates.map(t => `${t.metadata?.name}-${sts.metadata.name}-${ordinal}`);
            if (!names.some(n => this.store.get('persistentvolumeclaims', namespace, n))) {
                return;
            }
            if (!pods.has(ordinal)) {
                names.forEach(n => this.store.remove(this.pvcType, namespace, n));
            }
        }
    }

    private deletePod(pod: KubeObject): void {
        if (!pod.metadata.deletionTimestamp) {
            this.kubelet.terminate(pod);
        }
    }

    private updateStatus(sts: KubeObject, pods: KubeObject[], updateRevision: string): void {
        const current = sts.status ?? {};
        const replicas = pods.length;
        const ready = pods.filter(isReady).length;
        const settled = pods.filter(p => !p.metadata.deletionTimestamp);
        const updated = settled.filter(p => p.metadata.labels?.[revisionLabel] === updateRevision).length;
        // As the real controller: the rollout is complete when every pod is updated and ready.
        const complete = updated === replicas && ready === replicas;
        const currentRevision = complete ? updateRevision : current.currentRevision ?? updateRevision;
        const status: Record<string, unknown> = {
            ...current,
            observedGeneration: sts.metadata.generation ?? 1,
            replicas,
            readyReplicas: ready,
            currentReplicas: complete ? updated : settled.filter(p => p.metadata.labels?.[revisionLabel] === currentRevision).length,
            updatedReplicas: updated,
            availableReplicas: ready,
            currentRevision,
            updateRevision,
            collisionCount: current.collisionCount ?? 0,
        };
        if (JSON.stringify(status) === JSON.stringify(current)) {
            return;
        }
        this.store.update(this.stsType, { ...sts, status });
    }
}

export function isReady(pod: KubeObject): boolean {
    return pod.status?.phase === 'Running'
        && (pod.status?.conditions as { type: string; status: string }[] | undefined)?.some(c => c.type === 'Ready' && c.status === 'True') === true;
}

function ordinalOf(setName: string, podName: string): number | undefined {
    if (!podName.startsWith(setName + '-')) {
        return undefined;
    }
    const rest = podName.slice(setName.length + 1);
    return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

function revisionHash(template: unknown): string {
    return crypto.createHash('sha256').update(JSON.stringify(template ?? {})).digest('hex').slice(0, 10);
}

function boundStatus(spec: { accessModes?: string[]; resources?: { requests?: { storage?: string } } } | undefined): Record<string, unknown> {
    const status: Record<string, unknown> = { phase: 'Bound', accessModes: spec?.accessModes ?? ['ReadWriteOnce'] };
    if (spec?.resources?.requests?.storage) {
        status.capacity = { storage: spec.resources.requests.storage };
    }
    return status;
}
