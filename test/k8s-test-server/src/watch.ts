import type * as http from 'node:http';
import { KubeObject } from './objects';
import { apiVersionOf, ResourceType } from './resources';
import { FieldRequirement, matchesFields, matchesLabels, Selector } from './selectors';
import { EventSink, EventType, StoreEvent, TypeStore } from './store';
import { Status } from './status';

export interface WatchFilter {
    namespace?: string;
    labels: Selector;
    fields: readonly FieldRequirement[];
}

export function matches(filter: WatchFilter, object: KubeObject): boolean {
    return (filter.namespace === undefined || (object.metadata.namespace ?? '') === filter.namespace)
        && matchesLabels(filter.labels, object.metadata.labels)
        && matchesFields(filter.fields, object);
}

export interface WatchOptions {
    filter: WatchFilter;
    bookmarks: boolean;
    bookmarkIntervalMs: number;
    timeoutSeconds?: number;
    currentRv: () => number;
    onEnd: (watch: WatchStream) => void;
}

/**
 * One open watch: a chunked 200 response of newline-separated JSON events. Events reach it
 * synchronously from the store, so its order is the store's order. A MODIFIED that makes an
 * object start or stop matching the selectors is sent as ADDED or DELETED, as the API server's
 * watch cache does, so a filtered informer's cache stays exactly the matching set.
 */
export class WatchStream implements EventSink {
    private ended = false;
    private readonly timers: NodeJS.Timeout[] = [];

    constructor(readonly type: ResourceType, private readonly store: TypeStore, private readonly res: http.ServerResponse, private readonly options: WatchOptions) {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
        res.flushHeaders();
        res.on('close', () => this.end());
        if (options.bookmarks) {
            const timer = setInterval(() => this.bookmark(), options.bookmarkIntervalMs);
            timer.unref();
            this.timers.push(timer);
        }
        if (options.timeoutSeconds !== undefined && options.timeoutSeconds > 0) {
            const timer = setTimeout(() => {
                if (options.bookmarks) {
                    this.bookmark();
                }
                this.end();
            }, options.timeoutSeconds * 1000);
            timer.unref();
            this.timers.push(timer);
        }
    }

    /** Sends what happened after `rv` (from history) and subscribes; false if history no longer reaches back that far. */
    startAfter(rv: number): boolean {
        const events = this.store.eventsAfter(rv);
        if (!events) {
            return false;
        }
        for (const event of events) {
            this.deliver(event);
        }
        this.store.sinks.add(this);
        return true;
    }

    /** Sends the current state as ADDED events, then subscribes ("get state and start at most recent"). */
    startWithState(initialEventsEnd: boolean): void {
        for (const object of this.store.all(this.options.filter.namespace)) {
            if (matches(this.options.filter, object)) {
                this.write(JSON.stringify({ type: 'ADDED', object }));
            }
        }
        if (initialEventsEnd) {
            this.bookmark({ 'k8s.io/initial-events-end': 'true' });
        }
        this.store.sinks.add(this);
    }

    deliver(event: StoreEvent): void {
        if (this.ended) {
            return;
        }
        const now = matches(this.options.filter, event.object);
        const before = event.previous !== undefined && event.type === 'MODIFIED' && matches(this.options.filter, event.previous);
        let type: EventType;
        if (event.type !== 'MODIFIED') {
            if (!now) {
                return;
            }
            type = event.type;
        } else if (now) {
            type = before ? 'MODIFIED' : 'ADDED';
        } else if (before) {
            type = 'DELETED';
        } else {
            return;
        }
        event.lines ??= {};
        const line = event.lines[type] ??= JSON.stringify({ type, object: event.object });
        this.write(line);
    }

    /** Sends an ERROR event with the Status and ends the watch (what the API server does on a too-old resourceVersion). */
    fail(status: Status): void {
        this.write(JSON.stringify({ type: 'ERROR', object: status }));
        this.end();
    }

    end(): void {
        if (this.ended) {
            return;
        }
        this.ended = true;
        for (const timer of this.timers) {
            clearTimeout(timer);
        }
        this.store.sinks.delete(this);
        if (!this.res.writableEnded) {
            this.res.end();
        }
        this.options.onEnd(this);
    }

    private bookmark(annotations?: Record<string, string>): void {
        const metadata: Record<string, unknown> = { resourceVersion: String(this.options.currentRv()) };
        if (annotations) {
            metadata.annotations = annotations;
        }
        this.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: this.type.kind, apiVersion: apiVersionOf(this.type), metadata } }));
    }

    private write(line: string): void {
        if (!this.ended && !this.res.writableEnded) {
            this.res.write(line + '\n');
        }
    }
}
