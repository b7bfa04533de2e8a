import type { Json } from './patch';

/** The shape of stored objects, as loose as Kubernetes JSON is. */
export interface OwnerReference {
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
    name: string;
    namespace?: string;
    generateName?: string;
    uid: string;
    resourceVersion: string;
    generation?: number;
    creationTimestamp: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    finalizers?: string[];
    [key: string]: unknown;
}

export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: ObjectMeta;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    spec?: any;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    status?: any;
    [key: string]: unknown;
}

export function asJson(object: KubeObject): Json {
    return object as unknown as Json;
}

/**
 * Stored objects are frozen: one object is shared by the store, every open watch and every
 * response, and a write makes a new one. Freezing turns an accidental in-place change into a
 * TypeError at the line that made it instead of a watch that silently saw the future.
 */
export function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const item of Object.values(value)) {
            deepFreeze(item);
        }
    }
    return value;
}

/** A deep copy that can be changed (of a frozen stored object). */
export function thaw<T>(value: T): T {
    return structuredClone(value);
}

/** JSON with object keys sorted: equal for equal values whatever order a client wrote keys in. */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) => {
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
            return Object.fromEntries(Object.keys(v).sort().map(k => [k, (v as Record<string, unknown>)[k]]));
        }
        return v;
    });
}
