import { badRequest, ApiError } from './status';

/**
 * The three patch formats the API server accepts for built-in types. Every function returns a
 * new value and leaves its inputs alone: stored objects are shared with open watches and list
 * responses, so they are never changed in place.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7386: objects merge recursively, `null` removes a key, anything else replaces. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
    if (!isObject(patch)) {
        return patch;
    }
    const result: JsonObject = isObject(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(patch)) {
        if (value === null) {
            delete result[key];
        } else {
            result[key] = mergePatch(result[key], value);
        }
    }
    return result;
}

/**
 * The merge keys of the lists that Kubernetes' built-in types declare with
 * `patchStrategy:"merge"`, by field name. `ports` depends on where it is: container ports merge
 * on containerPort, service ports on port. Lists not named here (tolerations, args,
 * volumeClaimTemplates, ...) are atomic and replaced whole, as Kubernetes does.
 */
const mergeKeys: Record<string, string | ((item: JsonObject) => string)> = {
    containers: 'name',
    initContainers: 'name',
    ephemeralContainers: 'name',
    env: 'name',
    volumes: 'name',
    volumeMounts: 'mountPath',
    volumeDevices: 'devicePath',
    imagePullSecrets: 'name',
    ports: item => ('containerPort' in item ? 'containerPort' : 'port'),
    ownerReferences: 'uid',
    conditions: 'type',
    hostAliases: 'ip',
    topologySpreadConstraints: 'topologyKey',
    resourceClaims: 'name',
    containerStatuses: 'name',
    initContainerStatuses: 'name',
};

/** Primitive lists with patchStrategy "merge" (union rather than replace). */
const mergedPrimitiveLists = new Set(['finalizers']);

function keyOf(field: string, item: Json): string | undefined {
    const rule = mergeKeys[field];
    if (!rule || !isObject(item)) {
        return undefined;
    }
    return typeof rule === 'string' ? rule : rule(item);
}

/**
 * Strategic merge patch: a merge patch in which lists of keyed objects merge element by element
 * and the directives kubectl sends are honoured — `$patch: delete|replace|merge`,
 * `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and `$retainKeys`.
 */
export function strategicMergePatch(target: Json | undefined, patch: Json): Json {
    if (!isObject(patch)) {
        return patch;
    }
    if (patch.$patch === 'replace') {
        const { $patch: _ignored, ...rest } = patch;
        return stripDirectives(rest);
    }
    if (patch.$patch === 'delete') {
        return null;
    }
    let result: JsonObject = isObject(target) ? { ...target } : {};
    const orders: [string, Json[]][] = [];
    for (const [key, value] of Object.entries(patch)) {
        if (key === '$patch') {
            continue;
        }
        if (key === '$retainKeys') {
            continue;
        }
        if (key.startsWith('$setElementOrder/')) {
            orders.push([key.slice('$setElementOrder/'.length), Array.isArray(value) ? value : []]);
            continue;
        }
        if (key.startsWith('$deleteFromPrimitiveList/')) {
            const field = key.slice('$deleteFromPrimitiveList/'.length);
            const current = result[field];
            if (Array.isArray(current) && Array.isArray(value)) {
                result[field] = current.filter(item => !value.includes(item));
            }
            continue;
        }
        if (key.startsWith('$')) {
            throw badRequest(`unknown patch directive ${key}`);
        }
        if (value === null) {
            delete result[key];
            continue;
        }
        const current = result[key];
        if (Array.isArray(value)) {
            result[key] = mergeList(key, Array.isArray(current) ? current : [], value);
        } else if (isObject(value)) {
            const merged = strategicMergePatch(current, value);
            if (merged === null) {
                delete result[key];
            } else {
                result[key] = merged;
            }
        } else {
            result[key] = value;
        }
    }
    if (Array.isArray(patch.$retainKeys)) {
        const keep = new Set(patch.$retainKeys.map(String));
        result = Object.fromEntries(Object.entries(result).filter(([k]) => keep.has(k)));
    }
    for (const [field, order] of orders) {
        const list = result[field];
        if (Array.isArray(list)) {
            result[field] = applyOrder(field, list, order);
        }
    }
    return result;
}

function mergeList(field: string, current: Json[], patch: Json[]): Json[] {
    const sample = patch.find(isObject) ?? current.find(isObject);
    const mergeKey = sample === undefined ? undefined : keyOf(field, sample);
    if (!mergeKey) {
        if (mergedPrimitiveLists.has(field)) {
            return [...current, ...patch.filter(item => !current.includes(item))];
        }
        if (patch.length === 1 && isObject(patch[0]) && patch[0].$patch === 'replace') {
            return [];
        }
        return patch.map(stripDirectives);
    }
    if (patch.some(item => isObject(item) && item.$patch === 'replace')) {
        return patch.filter(item => !(isObject(item) && item.$patch === 'replace')).map(stripDirectives);
    }
    const result = [...current];
    for (const item of patch) {
        if (!isObject(item)) {
            continue;
        }
        const id = item[mergeKey];
        const index = result.findIndex(existing => isObject(existing) && existing[mergeKey] === id);
        if (item.$patch === 'delete') {
            if (index >= 0) {
                result.splice(index, 1);
            }
            continue;
        }
        if (index >= 0) {
            result[index] = strategicMergePatch(result[index], item);
        } else {
            result.push(stripDirectives(item));
        }
    }
    return result;
}

/** `$setElementOrder`: the listed elements in that order, the server's others after them. */
function applyOrder(field: string, list: Json[], order: Json[]): Json[] {
    const mergeKey = order.length && isObject(order[0]) ? keyOf(field, order[0]) : undefined;
    const identity = (item: Json) => (mergeKey && isObject(item) ? item[mergeKey] : item);
    const remaining = [...list];
    const ordered: Json[] = [];
    for (const wanted of order) {
        const index = remaining.findIndex(item => identity(item) === identity(wanted));
        if (index >= 0) {
            ordered.push(remaining[index]);
            remaining.splice(index, 1);
        }
    }
    return [...ordered, ...remaining];
}

function stripDirectives(value: Json): Json {
    if (Array.isArray(value)) {
        return value.map(stripDirectives);
    }
    if (!isObject(value)) {
        return value;
    }
    const result: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
        if (!key.startsWith('$')) {
            result[key] = stripDirectives(item);
        }
    }
    return result;
}

export interface JsonPatchOperation {
    op: string;
    path: string;
    from?: string;
    value?: Json;
}

/**
 * RFC 6902 (add, remove, replace, move, copy, test). A failed `test` or a path that does not
 * exist is a 422 as the API server sends it for json-patch; a malformed document is a 400.
 */
export function jsonPatch(target: Json, operations: unknown): Json {
    if (!Array.isArray(operations)) {
        throw badRequest('json patch must be an array of operations');
    }
    let document: Json = structuredClone(target);
    for (const raw of operations) {
        if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
            throw badRequest(`invalid json patch operation: ${JSON.stringify(raw)}`);
        }
        const op = raw as unknown as JsonPatchOperation;
        switch (op.op) {
            case 'add': document = addAt(document, op.path, requireValue(op)); break;
            case 'remove': document = removeAt(document, op.path).document; break;
            case 'replace':
                getAt(document, op.path);
                document = addAt(removeAt(document, op.path).document, op.path, requireValue(op));
                break;
            case 'move': {
                const removed = removeAt(document, requireFrom(op));
                document = addAt(removed.document, op.path, removed.value);
                break;
            }
            case 'copy': document = addAt(document, op.path, structuredClone(getAt(document, requireFrom(op)))); break;
            case 'test': {
                const actual = getAt(document, op.path);
                if (JSON.stringify(canonical(actual)) !== JSON.stringify(canonical(requireValue(op)))) {
                    throw patchFailed(`testing value ${op.path} failed: test failed`);
                }
                break;
            }
            default: throw badRequest(`Unexpected kind: ${op.op}`);
        }
    }
    return document;
}

function patchFailed(message: string): ApiError {
    return new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);
}

function requireValue(op: JsonPatchOperation): Json {
    if (!('value' in op)) {
        throw badRequest(`json patch ${op.op} operation does not have a value`);
    }
    return op.value as Json;
}

function requireFrom(op: JsonPatchOperation): string {
    if (typeof op.from !== 'string') {
        throw badRequest(`json patch ${op.op} operation does not have a from`);
    }
    return op.from;
}

function canonical(value: Json): Json {
    if (Array.isArray(value)) {
        return value.map(canonical);
    }
    if (isObject(value)) {
        return Object.fromEntries(Object.keys(value).sort().map(k => [k, canonical(value[k])]));
    }
    return value;
}

function pointer(path: string): string[] {
    if (path === '') {
        return [];
    }
    if (!path.startsWith('/')) {
        throw badRequest(`invalid json pointer "${path}"`);
    }
    return path.slice(1).split('/').map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(document: Json, path: string): Json {
    let current: Json = document;
    for (const segment of pointer(path)) {
        if (Array.isArray(current)) {
            const index = Number(segment);
            if (!/^\d+$/.test(segment) || index >= current.length) {
                throw patchFailed(`array index out of bounds: ${path}`);
            }
            current = current[index];
        } else if (isObject(current) && segment in current) {
            current = current[segment];
        } else {
            throw patchFailed(`doc is missing path: "${path}": missing value`);
        }
    }
    return current;
}

function parentOf(document: Json, path: string): { parent: Json; last: string } {
    const segments = pointer(path);
    if (!segments.length) {
        throw badRequest(`json patch cannot change the whole document (path "${path}")`);
    }
    const last = segments.pop()!;
    const parentPath = segments.map(s => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
    return { parent: getAt(document, parentPath), last };
}

function addAt(document: Json, path: string, value: Json): Json {
    if (path === '') {
        return value;
    }
    const { parent, last } = parentOf(document, path);
    if (Array.isArray(parent)) {
        const index = last === '-' ? parent.length : Number(last);
        if (!/^(\d+|-)$/.test(last) || index > parent.length) {
            throw patchFailed(`array index out of bounds: ${path}`);
        }
        parent.splice(index, 0, value);
    } else if (isObject(parent)) {
        parent[last] = value;
    } else {
        throw patchFailed(`doc is missing path: "${path}": missing value`);
    }
    return document;
}

function removeAt(document: Json, path: string): { document: Json; value: Json } {
    const { parent, last } = parentOf(document, path);
    const value = getAt(document, path);
    if (Array.isArray(parent)) {
        parent.splice(Number(last), 1);
    } else if (isObject(parent)) {
        delete parent[last];
    }
    return { document, value };
}
