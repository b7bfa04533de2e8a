/**
 * The resource types the server knows. Everything generic (routing, storage, discovery, error
 * messages) is driven by this table, so adding a type is one row; only behaviour that real
 * Kubernetes ties to a type (defaults, validation, controllers) lives elsewhere.
 */
export interface ResourceType {
    group: string;
    version: string;
    kind: string;
    plural: string;
    singular: string;
    namespaced: boolean;
    shortNames?: string[];
    /** Subresources served beside the main resource (`status` keeps writes to the main resource from changing status). */
    subresources: ('status' | 'scale')[];
    /** Whether metadata.generation is kept (bumped when anything but metadata and status changes). */
    generation: boolean;
    /** Status set by the API server on create (types with a status subresource drop the client's). */
    initialStatus?: () => Record<string, unknown>;
    verbs: string[];
    /** Fields a fieldSelector may name besides metadata.name and metadata.namespace. */
    selectableFields?: string[];
    categories?: string[];
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const resourceTypes: readonly ResourceType[] = [
    {
        group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'],
        subresources: ['status'], generation: false, initialStatus: () => ({ phase: 'Active' }),
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], selectableFields: ['status.phase'],
    },
    {
        group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'],
        subresources: ['status'], generation: false, initialStatus: () => ({ phase: 'Pending', qosClass: 'BestEffort' }),
        verbs: allVerbs, selectableFields: ['status.phase', 'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'status.podIP'], categories: ['all'],
    },
    {
        group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'],
        subresources: ['status'], generation: false, initialStatus: () => ({ loadBalancer: {} }),
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], categories: ['all'],
    },
    {
        group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', namespaced: true, shortNames: ['pvc'],
        subresources: ['status'], generation: false, initialStatus: () => ({ phase: 'Pending' }), verbs: allVerbs,
    },
    {
        group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'],
        subresources: [], generation: false, verbs: allVerbs,
    },
    {
        group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true,
        subresources: [], generation: false, verbs: allVerbs, selectableFields: ['type'],
    },
    {
        group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', singular: 'statefulset', namespaced: true, shortNames: ['sts'],
        subresources: ['status', 'scale'], generation: true, initialStatus: () => ({ replicas: 0, availableReplicas: 0 }), verbs: allVerbs, categories: ['all'],
    },
];

const byPlural = new Map(resourceTypes.map(t => [`${t.group}/${t.version}/${t.plural}`, t]));

export function findResourceType(group: string, version: string, plural: string): ResourceType | undefined {
    return byPlural.get(`${group}/${version}/${plural}`);
}

export function resourceTypeOf(plural: string): ResourceType {
    const type = resourceTypes.find(t => t.plural === plural);
    if (!type) {
        throw new Error(`The test server has no resource type "${plural}" (it knows ${resourceTypes.map(t => t.plural).join(', ')})`);
    }
    return type;
}

export function apiVersionOf(type: ResourceType): string {
    return type.group ? `${type.group}/${type.version}` : type.version;
}

/** The group versions served, core first, in the order discovery lists them. */
export function groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const t of resourceTypes) {
        seen.set(`${t.group}/${t.version}`, { group: t.group, version: t.version });
    }
    return [...seen.values()];
}
