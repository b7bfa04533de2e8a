import type { KubeObject } from './objects';

/**
 * The defaults the API server fills in when it decodes a write, for the fields clients read
 * back (a StatefulSet's replicas and strategies, a Service's clusterIP and port protocol, a
 * Secret's data from stringData). `previous` is the stored object on an update, for values
 * that are allocated once (clusterIP). Works on a mutable copy.
 */
export function applyDefaults(plural: string, object: KubeObject, previous: KubeObject | undefined, allocateIp: () => string): void {
    switch (plural) {
        case 'statefulsets': return defaultStatefulSet(object);
        case 'pods': object.spec ??= {}; defaultPodSpec(object.spec); return;
        case 'services': return defaultService(object, previous, allocateIp);
        case 'secrets': return defaultSecret(object);
        case 'persistentvolumeclaims':
            object.spec ??= {};
            object.spec.volumeMode ??= 'Filesystem';
            return;
        case 'namespaces':
            object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name };
            object.spec ??= {};
            object.spec.finalizers ??= ['kubernetes'];
            return;
    }
}

function defaultStatefulSet(sts: KubeObject): void {
    const spec = sts.spec ??= {};
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= 'OrderedReady';
    spec.updateStrategy ??= { type: 'RollingUpdate' };
    if (spec.updateStrategy.type === 'RollingUpdate') {
        spec.updateStrategy.rollingUpdate ??= {};
        spec.updateStrategy.rollingUpdate.partition ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    spec.persistentVolumeClaimRetentionPolicy ??= {};
    spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
    spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
    spec.template ??= {};
    spec.template.spec ??= {};
    defaultPodSpec(spec.template.spec);
    for (const claim of spec.volumeClaimTemplates ?? []) {
        claim.apiVersion ??= 'v1';
        claim.kind ??= 'PersistentVolumeClaim';
        claim.spec ??= {};
        claim.spec.volumeMode ??= 'Filesystem';
    }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function defaultPodSpec(spec: any): void {
    spec.restartPolicy ??= 'Always';
    spec.terminationGracePeriodSeconds ??= 30;
    spec.dnsPolicy ??= 'ClusterFirst';
    spec.schedulerName ??= 'default-scheduler';
    spec.securityContext ??= {};
    for (const container of [...spec.initContainers ?? [], ...spec.containers ?? []]) {
        const image = String(container.image ?? '');
        const tagged = /:[^/]+$/.test(image) && !image.endsWith(':latest');
        container.imagePullPolicy ??= tagged || image.includes('@') ? 'IfNotPresent' : 'Always';
        container.terminationMessagePath ??= '/dev/termination-log';
        container.terminationMessagePolicy ??= 'File';
        container.resources ??= {};
        for (const port of container.ports ?? []) {
            port.protocol ??= 'TCP';
        }
        for (const env of container.env ?? []) {
            if (env.valueFrom?.fieldRef) {
                env.valueFrom.fieldRef.apiVersion ??= 'v1';
            }
        }
    }
}

function defaultService(service: KubeObject, previous: KubeObject | undefined, allocateIp: () => string): void {
    const spec = service.spec ??= {};
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.type !== 'ExternalName') {
        spec.clusterIP ??= previous?.spec?.clusterIP ?? allocateIp();
        spec.clusterIPs ??= previous?.spec?.clusterIPs ?? [spec.clusterIP];
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
        spec.internalTrafficPolicy ??= 'Cluster';
    }
    for (const port of spec.ports ?? []) {
        port.protocol ??= 'TCP';
        port.targetPort ??= port.port;
    }
}

function defaultSecret(secret: KubeObject): void {
    secret.type ??= 'Opaque';
    const stringData = secret.stringData as Record<string, string> | undefined;
    if (stringData) {
        const data = { ...(secret.data as Record<string, string> | undefined) };
        for (const [key, value] of Object.entries(stringData)) {
            data[key] = Buffer.from(String(value)).toString('base64');
        }
        secret.data = data;
        delete secret.stringData;
    }
}
