import * as crypto from 'node:crypto';
import { deepFreeze, KubeObject } from './objects';
import { apiVersionOf, ResourceType, resourceTypes } from './resources';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * One change, as it was when it happened. `previous` lets a selector-filtered watch turn a
 * MODIFIED into ADDED or DELETED when the object starts or stops matching, as the API server's
 * watch cache does. `lines` caches the serialized event per type so fan-out to many watchers
 * serializes each change once.
 */
export interface StoreEvent {
    type: EventType;
    object: KubeObject;
    previous?: KubeObject;
    rv: number;
    lines?: Partial<Record<EventType, string>>;
}

export type StoreListener = (type: ResourceType, event: StoreEvent) => void;

export interface EventSink {
    deliver(event: StoreEvent): void;
}

/**
 * All objects of one resource type: namespace → name → object, plus the bounded event history
 * that watches resume from. History holds events in resourceVersion order; once it is full the
 * oldest are dropped and `compactedRv` remembers the newest dropped one, below which a watch
 * can no longer be served (410).
 */
export class TypeStore {
    readonly byNamespace = new Map<string, Map<string, KubeObject>>();
    readonly sinks = new Set<EventSink>();
    private history: StoreEvent[] = [];
    private historyStart = 0;
    compactedRv = 0;
    size = 0;

    constructor(readonly type: ResourceType, private readonly historyLimit: number) { }

    get(namespace: string, name: string): KubeObject | undefined {
        return this.byNamespace.get(namespace)?.get(name);
    }

    *all(namespace?: string): Iterable<KubeObject> {
        if (namespace !== undefined) {
            yield* this.byNamespace.get(namespace)?.values() ?? [];
            return;
        }
        for (const objects of this.byNamespace.values()) {
            yield* objects.values();
        }
    }

    record(event: StoreEvent): void {
        this.history.push(event);
        if (this.history.length - this.historyStart > this.historyLimit) {
            this.compactedRv = this.history[this.historyStart].rv;
            this.history[this.historyStart] = undefined as unknown as StoreEvent;
            this.historyStart++;
            // Compact now and then rather than shift() per event: amortized O(1) per write.
            if (this.historyStart > 1024 && this.historyStart * 2 > this.history.length) {
                this.history = this.history.slice(this.historyStart);
                this.historyStart = 0;
            }
        }
        for (const sink of this.sinks) {
            sink.deliver(event);
        }
    }

    /** Events after `rv`, or undefined when some of them were already dropped. */
    eventsAfter(rv: number): StoreEvent[] | undefined {
        if (rv < this.compactedRv) {
            return undefined;
        }
        let lo = this.historyStart;
        let hi = this.history.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (this.history[mid].rv <= rv) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return this.history.slice(lo);
    }
}

export interface StoreOptions {
    historyLimit: number;
}

/**
 * The in-memory etcd: every object of every type, one global resourceVersion counter (so
 * resourceVersions compare across types, as etcd revisions do), an index from owner uid to
 * dependents (so garbage collection and the StatefulSet controller find children without
 * scanning), and synchronous listeners for the controllers.
 */
export class Store {
    private readonly types = new Map<string, TypeStore>();
    private readonly dependents = new Map<string, Set<string>>();
    private readonly listeners: StoreListener[] = [];
    private rv = 0;

    constructor(options: StoreOptions) {
        for (const type of resourceTypes) {
            this.types.set(type.plural, new TypeStore(type, options.historyLimit));
        }
    }

    get resourceVersion(): number {
        return this.rv;
    }

    of(plural: string): TypeStore {
        const store = this.types.get(plural);
        if (!store) {
            throw new Error(`no resource type ${plural}`);
        }
        return store;
    }

    get(plural: string, namespace: string | undefined, name: string): KubeObject | undefined {
        return this.of(plural).get(namespace ?? '', name);
    }

    listen(listener: StoreListener): void {
        this.listeners.push(listener);
    }

    newUid(): string {
        return crypto.randomUUID();
    }

    /** Stores a new object; metadata (uid, timestamps) must be complete except resourceVersion. */
    create(type: ResourceType, object: KubeObject): KubeObject {
        const stored = this.stamp(type, object);
        const ns = stored.metadata.namespace ?? '';
        const store = this.of(type.plural);
        let objects = store.byNamespace.get(ns);
        if (!objects) {
            objects = new Map();
            store.byNamespace.set(ns, objects);
        }
        objects.set(stored.metadata.name, stored);
        store.size++;
        this.indexOwners(type, stored, undefined);
        this.emit(type, { type: 'ADDED', object: stored, rv: this.rv });
        return stored;
    }

    update(type: ResourceType, object: KubeObject): KubeObject {
        const ns = object.metadata.namespace ?? '';
        const store = this.of(type.plural);
        const previous = store.get(ns, object.metadata.name);
        if (!previous) {
            throw new Error(`update of missing ${type.plural} ${ns}/${object.metadata.name}`);
        }
        const stored = this.stamp(type, object);
        store.byNamespace.get(ns)!.set(stored.metadata.name, stored);
        this.indexOwners(type, stored, previous);
        this.emit(type, { type: 'MODIFIED', object: stored, previous, rv: this.rv });
        return stored;
    }

    /** Removes an object; the DELETED event and the returned object carry a new resourceVersion. */
    remove(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
        const ns = namespace ?? '';
        const store = this.of(type.plural);
        const objects = store.byNamespace.get(ns);
        const previous = objects?.get(name);
        if (!objects || !previous) {
            return undefined;
        }
        objects.delete(name);
        if (!objects.size) {
            store.byNamespace.delete(ns);
        }
        store.size--;
        this.indexOwners(type, undefined, previous);
        const removed = this.stamp(type, previous);
        this.emit(type, { type: 'DELETED', object: removed, previous, rv: this.rv });
        return removed;
    }

    /** Keys (`plural/namespace/name`) of the objects whose ownerReferences name `uid`. */
    dependentsOf(uid: string): { plural: string; namespace: string; name: string }[] {
        return [...this.dependents.get(uid) ?? []].map(key => {
            const [plural, namespace, name] = key.split('/');
            return { plural, namespace, name };
        });
    }

    private stamp(type: ResourceType, object: KubeObject): KubeObject {
        this.rv++;
        return deepFreeze({
            ...object,
            apiVersion: apiVersionOf(type),
            kind: type.kind,
            metadata: { ...object.metadata, resourceVersion: String(this.rv) },
        });
    }

    private indexOwners(type: ResourceType, current: KubeObject | undefined, previous: KubeObject | undefined): void {
        const object = current ?? previous!;
        const key = `${type.plural}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
        for (const ref of previous?.metadata.ownerReferences ?? []) {
            const set = this.dependents.get(ref.uid);
            set?.delete(key);
            if (set && !set.size) {
                this.dependents.delete(ref.uid);
            }
        }
        for (const ref of current?.metadata.ownerReferences ?? []) {
            let set = this.dependents.get(ref.uid);
            if (!set) {
                set = new Set();
                this.dependents.set(ref.uid, set);
            }
            set.add(key);
        }
    }

    private emit(type: ResourceType, event: StoreEvent): void {
        this.of(type.plural).record(event);
        for (const listener of this.listeners) {
            listener(type, event);
        }
    }
}
