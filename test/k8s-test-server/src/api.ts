import { applyDefaults } from './defaults';
import { Kubelet } from './kubelet';
import { canonicalJson, KubeObject, thaw } from './objects';
import { Json, jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { apiVersionOf, ResourceType, resourceTypeOf } from './resources';
import { formatSelector, fromLabelSelector, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors';
import { ApiError, alreadyExists, badRequest, conflict, invalid, methodNotAllowed, notFound, Subject, unsupportedMediaType } from './status';
import { Store } from './store';
import { validate } from './validation';

export interface Target {
    type: ResourceType;
    namespace?: string;
    name?: string;
    subresource?: string;
}

export type Query = Record<string, string>;

export const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

/**
 * The verbs on objects, independent of HTTP: what the API server's generic registry does
 * (metadata, resourceVersion preconditions, generation, status kept apart from the main
 * resource, defaults, validation, garbage collection of dependents) over the {@link Store}.
 */
export class Api {
    private readonly terminatingNamespaces = new Set<string>();
    /** Owners waiting for their dependents to go (Foreground deletion), by uid. */
    private readonly foreground = new Map<string, { type: ResourceType; namespace?: string; name: string }>();
    private nextServiceIp = 1;

    constructor(private readonly store: Store, private readonly kubelet: Kubelet) {
        store.listen((type, event) => {
            if (event.type !== 'DELETED') {
                return;
            }
            for (const ref of event.object.metadata.ownerReferences ?? []) {
                if (this.foreground.has(ref.uid)) {
                    setImmediate(() => this.finishForeground(ref.uid));
                }
            }
            const ns = event.object.metadata.namespace;
            if (type.namespaced && ns && this.terminatingNamespaces.has(ns)) {
                setImmediate(() => this.finishNamespace(ns));
            }
        });
    }

    list(target: Target, query: Query): Record<string, unknown> {
        const { type } = target;
        const labels = parseLabelSelector(query.labelSelector);
        const fields = parseFieldSelector(query.fieldSelector, type.selectableFields ?? []);
        let after: string | undefined;
        let listRv = String(this.store.resourceVersion);
        if (query.continue) {
            try {
                const token = JSON.parse(Buffer.from(query.continue, 'base64').toString()) as { rv: string; start: string };
                after = token.start;
                listRv = token.rv;
            } catch {
                throw badRequest('continue key is not valid: illegal base64 data');
            }
        }
        const keyed: [string, KubeObject][] = [];
        for (const object of this.store.of(type.plural).all(type.namespaced ? target.namespace : undefined)) {
            const key = `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
            if ((after === undefined || key > after) && matchesLabels(labels, object.metadata.labels) && matchesFields(fields, object)) {
                keyed.push([key, object]);
            }
        }
        keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const limit = Number(query.limit) > 0 ? Number(query.limit) : Infinity;
        const page = keyed.length > limit ? keyed.slice(0, limit) : keyed;
        const metadata: Record<string, unknown> = { resourceVersion: listRv };
        if (page.length < keyed.length) {
            metadata.continue = Buffer.from(JSON.stringify({ rv: listRv, start: page[page.length - 1][0] })).toString('base64');
            metadata.remainingItemCount = keyed.length - page.length;
        }
        // List items carry no kind/apiVersion: the list's own say what they are.
        const items = page.map(([, { kind: _kind, apiVersion: _apiVersion, ...rest }]) => rest);
        return { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata, items };
    }

    get(target: Target): unknown {
        const object = this.existing(target);
        if (target.subresource === 'scale') {
            return scaleOf(object);
        }
        return object;
    }

    create(target: Target, body: unknown, query: Query): KubeObject {
        const { type } = target;
        if (target.subresource) {
            throw methodNotAllowed('POST');
        }
        const object = this.decode(type, body, target);
        const meta = object.metadata;
        if (meta.resourceVersion) {
            throw new ApiError(500, 'InternalError', 'Internal error occurred: resourceVersion should not be set on objects to be created');
        }
        if (!meta.name && meta.generateName) {
            meta.name = `${meta.generateName}${randomSuffix()}`;
        }
        const namespace = type.namespaced ? target.namespace ?? 'default' : undefined;
        if (namespace !== undefined) {
            meta.namespace = namespace;
            if (this.terminatingNamespaces.has(namespace)) {
                throw new ApiError(403, 'Forbidden', `${subjectOf(type, meta.name ?? '').plural} "${meta.name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
                    { name: meta.name, kind: type.plural, ...(type.group ? { group: type.group } : {}), causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }] });
            }
        } else {
            delete meta.namespace;
        }
        applyDefaults(type.plural, object, undefined, () => this.serviceIp());
        const causes = validate(type.plural, object, undefined);
        if (causes.length) {
            throw invalid(subjectOf(type, meta.name ?? ''), causes);
        }
        if (this.store.get(type.plural, namespace, meta.name)) {
            throw alreadyExists(subjectOf(type, meta.name));
        }
        const now = new Date().toISOString();
        object.metadata = {
            ...meta,
            uid: this.store.newUid(),
            resourceVersion: '',
            creationTimestamp: now,
            ...(type.generation ? { generation: 1 } : {}),
        };
        delete object.metadata.deletionTimestamp;
        delete object.metadata.deletionGracePeriodSeconds;
        if (type.subresources.includes('status')) {
            object.status = type.initialStatus?.();
        }
        if (type.plural === 'persistentvolumeclaims') {
            // The miniature volume binder: every claim is bound at once.
            object.status = { phase: 'Bound', accessModes: object.spec?.accessModes ?? ['ReadWriteOnce'], ...(object.spec?.resources?.requests?.storage ? { capacity: { storage: object.spec.resources.requests.storage } } : {}) };
        }
        if (object.status === undefined) {
            delete object.status;
        }
        if (isDryRun(query)) {
            return { ...object, apiVersion: apiVersionOf(type), kind: type.kind };
        }
        if (namespace !== undefined) {
            this.ensureNamespace(namespace);
        }
        return this.store.create(type, object);
    }

    replace(target: Target, body: unknown, query: Query): unknown {
        const current = this.existing(target);
        if (target.subresource === 'scale') {
            const scale = decodeScale(body, current);
            return scaleOf(this.write(target, current, withReplicas(current, scale), query));
        }
        const object = this.decode(target.type, body, target);
        if (object.metadata.name !== target.name) {
            throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${target.name})`);
        }
        return this.write(target, current, object, query);
    }

    patch(target: Target, contentType: string, body: Buffer, query: Query): unknown {
        const current = this.existing(target);
        const type = contentType.split(';')[0].trim().toLowerCase();
        if (!patchTypes.includes(type)) {
            throw unsupportedMediaType(type, patchTypes);
        }
        let patchDocument: Json;
        try {
            patchDocument = JSON.parse(body.toString()) as Json;
        } catch (error) {
            throw badRequest(`error decoding patch: ${(error as Error).message}`);
        }
        const base: Json = (target.subresource === 'scale' ? scaleOf(current) : thaw(current)) as unknown as Json;
        let patched: Json;
        if (type === 'application/json-patch+json') {
            patched = jsonPatch(base, patchDocument);
        } else if (patchDocument === null || typeof patchDocument !== 'object' || Array.isArray(patchDocument)) {
            throw badRequest('error decoding patch: a merge patch must be a JSON object');
        } else if (type === 'application/merge-patch+json') {
            patched = mergePatch(base, patchDocument);
        } else {
            patched = strategicMergePatch(base, patchDocument);
        }
        if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) {
            throw badRequest('the patch turned the object into something that is not an object');
        }
        if (target.subresource === 'scale') {
            return scaleOf(this.write(target, current, withReplicas(current, decodeScale(patched, current)), query));
        }
        const object = patched as unknown as KubeObject;
        object.metadata ??= {} as KubeObject['metadata'];
        if (object.metadata.name !== target.name) {
            throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${target.name})`);
        }
        // A patch that names a resourceVersion is a precondition on it, as for an update.
        return this.write(target, current, object, query);
    }

    delete(target: Target, body: unknown, query: Query): KubeObject {
        const current = this.existing(target);
        if (target.subresource) {
            throw methodNotAllowed('DELETE');
        }
        const options = (body && typeof body === 'object' ? body : {}) as { preconditions?: { uid?: string; resourceVersion?: string }; propagationPolicy?: string; gracePeriodSeconds?: number; dryRun?: string[] };
        const subject = subjectOf(target.type, current.metadata.name);
        if (options.preconditions?.uid && options.preconditions.uid !== current.metadata.uid) {
            throw conflict(subject, `Precondition failed: UID in precondition: ${options.preconditions.uid}, UID in object meta: ${current.metadata.uid}`);
        }
        if (options.preconditions?.resourceVersion && options.preconditions.resourceVersion !== current.metadata.resourceVersion) {
            throw conflict(subject, `Precondition failed: ResourceVersion in precondition: ${options.preconditions.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
        }
        if (isDryRun(query) || options.dryRun?.includes('All')) {
            return current;
        }
        const policy = query.propagationPolicy ?? options.propagationPolicy ?? (query.orphanDependents === 'true' ? 'Orphan' : 'Background');
        if (!['Background', 'Foreground', 'Orphan'].includes(policy)) {
            throw invalid(subject, [{ reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"` }]);
        }
        const grace = query.gracePeriodSeconds !== undefined ? Number(query.gracePeriodSeconds) : options.gracePeriodSeconds;
        return this.remove(target.type, current, policy, grace);
    }

    deleteCollection(target: Target, body: unknown, query: Query): Record<string, unknown> {
        const listed = this.list(target, { labelSelector: query.labelSelector ?? '', fieldSelector: query.fieldSelector ?? '' });
        const deleted = (listed.items as KubeObject[]).map(item =>
            this.delete({ ...target, namespace: item.metadata.namespace, name: item.metadata.name }, body, query));
        return { ...listed, items: deleted };
    }

    /** Removes an object with garbage collection of its dependents by `policy`; pods and namespaces terminate gracefully. */
    remove(type: ResourceType, current: KubeObject, policy = 'Background', grace?: number): KubeObject {
        if (current.metadata.deletionTimestamp) {
            return current;
        }
        const uid = current.metadata.uid;
        if (policy === 'Orphan') {
            for (const dep of this.store.dependentsOf(uid)) {
                const child = this.store.get(dep.plural, dep.namespace || undefined, dep.name);
                if (child) {
                    const refs = child.metadata.ownerReferences?.filter(r => r.uid !== uid);
                    const metadata = { ...child.metadata, ownerReferences: refs };
                    if (!refs?.length) {
                        delete metadata.ownerReferences;
                    }
                    this.store.update(resourceTypeOf(dep.plural), { ...child, metadata });
                }
            }
        }
        if (type.plural === 'namespaces') {
            return this.terminateNamespace(current);
        }
        if (policy === 'Foreground' && this.store.dependentsOf(uid).length) {
            const marked = this.store.update(type, {
                ...current,
                metadata: { ...current.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 0, finalizers: [...current.metadata.finalizers ?? [], 'foregroundDeletion'] },
            });
            this.foreground.set(uid, { type, namespace: current.metadata.namespace, name: current.metadata.name });
            this.collectDependents(uid, 'Foreground');
            return marked;
        }
        const removed = type.plural === 'pods'
            ? this.kubelet.terminate(current, grace ?? current.spec?.terminationGracePeriodSeconds ?? 30)
            : this.store.remove(type, current.metadata.namespace, current.metadata.name)!;
        if (policy === 'Background') {
            // The garbage collector runs after the owner is gone, as the real one does.
            setImmediate(() => this.collectDependents(uid, 'Background'));
        }
        return removed;
    }

    private collectDependents(uid: string, policy: string): void {
        for (const dep of this.store.dependentsOf(uid)) {
            const child = this.store.get(dep.plural, dep.namespace || undefined, dep.name);
            if (child) {
                this.remove(resourceTypeOf(dep.plural), child, policy);
            }
        }
    }

    private finishForeground(uid: string): void {
        const owner = this.foreground.get(uid);
        if (!owner || this.store.dependentsOf(uid).length) {
            return;
        }
        this.foreground.delete(uid);
        if (this.store.get(owner.type.plural, owner.namespace, owner.name)?.metadata.uid === uid) {
            this.store.remove(owner.type, owner.namespace, owner.name);
        }
    }

    private terminateNamespace(ns: KubeObject): KubeObject {
        const name = ns.metadata.name;
        this.terminatingNamespaces.add(name);
        const marked = this.store.update(resourceTypeOf('namespaces'), {
            ...ns,
            metadata: { ...ns.metadata, deletionTimestamp: new Date().toISOString() },
            status: { ...ns.status, phase: 'Terminating' },
        });
        setImmediate(() => {
            for (const type of ['statefulsets', 'pods', 'services', 'persistentvolumeclaims', 'configmaps', 'secrets'].map(resourceTypeOf)) {
                for (const object of [...this.store.of(type.plural).all(name)]) {
                    this.remove(type, object, 'Background');
                }
            }
            this.finishNamespace(name);
        });
        return marked;
    }

    private finishNamespace(name: string): void {
        if (!this.terminatingNamespaces.has(name)) {
            return;
        }
        const empty = ['statefulsets', 'pods', 'services', 'persistentvolumeclaims', 'configmaps', 'secrets'].every(p => !this.store.of(p).byNamespace.has(name));
        if (empty) {
            this.terminatingNamespaces.delete(name);
            this.store.remove(resourceTypeOf('namespaces'), undefined, name);
        }
    }

    ensureNamespace(name: string): void {
        if (!this.store.get('namespaces', undefined, name)) {
            const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: this.store.newUid(), resourceVersion: '', creationTimestamp: new Date().toISOString() }, spec: {}, status: { phase: 'Active' } };
            applyDefaults('namespaces', ns, undefined, () => '');
            this.store.create(resourceTypeOf('namespaces'), ns);
        }
    }

    /**
     * The common tail of update and patch. The main resource keeps the stored status; the
     * status subresource keeps everything but status; a resourceVersion in the new object must
     * equal the stored one (409 otherwise); generation moves when spec changes; an update that
     * changes nothing is not a write (no new resourceVersion, no event), as in the API server.
     */
    private write(target: Target, current: KubeObject, proposed: KubeObject, query: Query): KubeObject {
        const { type } = target;
        const subject = subjectOf(type, current.metadata.name);
        const rv = proposed.metadata?.resourceVersion;
        if (rv && rv !== current.metadata.resourceVersion) {
            throw conflict(subject);
        }
        if (target.subresource && target.subresource !== 'status' && target.subresource !== 'scale') {
            throw methodNotAllowed('PUT');
        }
        let next: KubeObject;
        if (target.subresource === 'status') {
            next = { ...thaw(current), status: proposed.status };
        } else {
            const meta = proposed.metadata ?? {};
            next = {
                ...proposed,
                metadata: {
                    ...meta,
                    name: current.metadata.name,
                    namespace: current.metadata.namespace,
                    uid: current.metadata.uid,
                    creationTimestamp: current.metadata.creationTimestamp,
                    resourceVersion: current.metadata.resourceVersion,
                },
            };
            for (const key of ['generation', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
                if (current.metadata[key] !== undefined) {
                    (next.metadata as Record<string, unknown>)[key] = current.metadata[key];
                } else {
                    delete next.metadata[key];
                }
            }
            if (!type.namespaced) {
                delete next.metadata.namespace;
            }
            if (type.subresources.includes('status')) {
                next.status = thaw(current.status);
            }
            applyDefaults(type.plural, next, current, () => this.serviceIp());
            const causes = validate(type.plural, next, current);
            if (causes.length) {
                throw invalid(subject, causes);
            }
            if (type.generation && canonicalJson(specOf(next)) !== canonicalJson(specOf(current))) {
                next.metadata.generation = (current.metadata.generation ?? 1) + 1;
            }
        }
        if (next.status === undefined) {
            delete next.status;
        }
        if (canonicalJson({ ...next, apiVersion: current.apiVersion, kind: current.kind }) === canonicalJson(current) || isDryRun(query)) {
            return isDryRun(query) ? { ...next, apiVersion: current.apiVersion, kind: current.kind } : current;
        }
        return this.store.update(type, next);
    }

    private existing(target: Target): KubeObject {
        const object = this.store.get(target.type.plural, target.type.namespaced ? target.namespace : undefined, target.name ?? '');
        if (!object) {
            throw notFound(subjectOf(target.type, target.name ?? ''));
        }
        if (target.subresource && !(target.type.subresources as string[]).includes(target.subresource)) {
            throw notFound(subjectOf(target.type, target.name ?? ''));
        }
        return object;
    }

    private decode(type: ResourceType, body: unknown, target: Target): KubeObject {
        if (body === null || typeof body !== 'object' || Array.isArray(body)) {
            throw badRequest(`the body of the request must be a ${type.kind} object`);
        }
        const object = thaw(body) as KubeObject;
        if (object.apiVersion !== undefined && object.apiVersion !== apiVersionOf(type)) {
            throw badRequest(`the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersionOf(type)})`);
        }
        if (object.kind !== undefined && object.kind !== type.kind) {
            throw badRequest(`the kind in the data (${object.kind}) does not match the expected kind (${type.kind})`);
        }
        object.metadata ??= {} as KubeObject['metadata'];
        if (type.namespaced && object.metadata.namespace && target.namespace && object.metadata.namespace !== target.namespace) {
            throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
        }
        return object;
    }

    private serviceIp(): string {
        const n = this.nextServiceIp++;
        return `10.96.${(n >> 8) & 255}.${n & 255}`;
    }
}

function specOf(object: KubeObject): unknown {
    const { metadata: _metadata, status: _status, apiVersion: _apiVersion, kind: _kind, ...rest } = object;
    return rest;
}

export function subjectOf(type: ResourceType, name: string): Subject {
    return { plural: type.plural, group: type.group, kind: type.kind, name };
}

function isDryRun(query: Query): boolean {
    return query.dryRun === 'All';
}

function randomSuffix(): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let suffix = '';
    for (let i = 0; i < 5; i++) {
        suffix += alphabet[Math.floor(Math.random() * alphabet.length)];
    }
    return suffix;
}

/** The autoscaling/v1 Scale of a StatefulSet. */
export function scaleOf(sts: KubeObject): Record<string, unknown> {
    const { name, namespace, uid, resourceVersion, creationTimestamp } = sts.metadata;
    return {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
        spec: { replicas: sts.spec?.replicas ?? 1 },
        status: { replicas: sts.status?.replicas ?? 0, selector: formatSelector(fromLabelSelector(sts.spec?.selector)) },
    };
}

function decodeScale(body: unknown, sts: KubeObject): { replicas: number; resourceVersion?: string } {
    const scale = body as { kind?: string; metadata?: { name?: string; resourceVersion?: string }; spec?: { replicas?: unknown } } | null;
    if (!scale || typeof scale !== 'object') {
        throw badRequest('the body of the request must be a Scale object');
    }
    if (scale.metadata?.name !== undefined && scale.metadata.name !== sts.metadata.name) {
        throw badRequest(`the name of the object (${scale.metadata.name}) does not match the name on the URL (${sts.metadata.name})`);
    }
    const replicas = scale.spec?.replicas ?? 0;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw invalid({ plural: 'statefulsets', group: 'autoscaling', kind: 'Scale', name: sts.metadata.name },
            [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
    }
    return { replicas, resourceVersion: scale.metadata?.resourceVersion };
}

function withReplicas(sts: KubeObject, scale: { replicas: number; resourceVersion?: string }): KubeObject {
    const next = thaw(sts);
    next.spec = { ...next.spec, replicas: scale.replicas };
    next.metadata.resourceVersion = scale.resourceVersion ?? '';
    return next;
}
