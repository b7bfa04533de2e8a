import type { ComponentHealth } from '../health/workspace-health';
import { AnyCorePart, messageOf, PartHealthOptions, PartId, StartedParts } from './core-part';

/** Where a part stands. A part that failed after it was made (its readiness) keeps its instance, to be stopped. */
type PartState =
    | { readonly kind: 'not-started' }
    | { readonly kind: 'off' }
    | { readonly kind: 'up'; readonly instance: unknown }
    | { readonly kind: 'down'; readonly reason: string; readonly instance?: unknown };

const NotStarted: PartState = { kind: 'not-started' };

/**
 * Starts a list of parts (core-part.ts) in the order given, stops them in reverse, and reports
 * their health, the same way for every part.
 *
 * Invariants:
 * - The order is checked when the runner is made: ids are unique, and each part comes after its
 *   needs and after the parts it `stopsAfter`.
 * - A part that throws is `down` ("<label> did not start: <message>"), and so is every part that
 *   needs it ("<label> did not start: <need> did not start (<why>)"); the others start and serve
 *   all the same, because a workspace with one broken part is still worth opening.
 * - Once stop() is called, parts not started yet are never started; stop() waits for the part
 *   starting now, then stops each part that is up, each once, and collects what they could not do.
 * - A stopped part stays reachable through `get`/`find` (what it holds is closed, not forgotten).
 */
export class PartRunner<Parts, Context> {
    protected readonly states = new Map<string, PartState>();
    protected readonly byId = new Map<string, AnyCorePart<Parts, Context>>();
    protected readonly stopOrder: readonly AnyCorePart<Parts, Context>[];
    protected starting: Promise<void> | undefined;
    protected stopping: Promise<string[]> | undefined;

    constructor(protected readonly parts: readonly AnyCorePart<Parts, Context>[], protected readonly context: Context) {
        for (const part of parts) {
            const earlier = [...part.needs, ...part.stopsAfter ?? []].find(id => !this.byId.has(id));
            if (earlier !== undefined) {
                throw new Error(`The part "${part.id}" is declared before "${earlier}", which it needs or stops after; declare it after.`);
            }
            if (this.byId.has(part.id)) {
                throw new Error(`The part "${part.id}" is declared twice.`);
            }
            this.byId.set(part.id, part);
        }
        this.stopOrder = stopOrderOf(parts);
    }

    /** True once start() has been called. */
    get started(): boolean {
        return this.starting !== undefined;
    }

    /** Starts every part once; later calls return the same promise. Never rejects for a part's failure. */
    start(): Promise<void> {
        this.starting ??= this.startAll();
        return this.starting;
    }

    /** Stops every part that is up (see the invariants); resolves with what they could not do. Later calls return the same promise. */
    stop(): Promise<string[]> {
        this.stopping ??= this.stopAll();
        return this.stopping;
    }

    /** A part's instance; throws, saying why, when it is not up. */
    get<K extends PartId<Parts>>(id: K): Parts[K] {
        const state = this.stateOf(id);
        if (state.kind === 'up') {
            return state.instance as Parts[K];
        }
        const label = this.partOf(id).label;
        switch (state.kind) {
            case 'down': throw new Error(`${label} did not start: ${state.reason}`);
            case 'off': throw new Error(`${label} is off in this workspace.`);
            default: throw new Error(`${label}: the workspace core has not started yet; await start() before using it.`);
        }
    }

    /** A part's instance when it is up, else undefined. */
    find<K extends PartId<Parts>>(id: K): Parts[K] | undefined {
        const state = this.stateOf(id);
        return state.kind === 'up' ? state.instance as Parts[K] : undefined;
    }

    /**
     * The health components of the parts named, in that order: a part that is up reports its
     * own, one that is down one `down` component (id and label the part's), one not started yet
     * its `startingDetail` once start() was called, one that is off nothing.
     */
    async health(ids: readonly PartId<Parts>[], options: PartHealthOptions = {}): Promise<ComponentHealth[]> {
        const each = await Promise.all(ids.map(async (id): Promise<readonly ComponentHealth[]> => {
            const part = this.partOf(id);
            const state = this.stateOf(id);
            switch (state.kind) {
                case 'up': return part.health ? part.health(state.instance as never, this.view(part), options) : [];
                case 'down': return [{ id: part.id, label: part.label, status: 'down', detail: `${part.label} did not start: ${state.reason}` }];
                case 'not-started': return this.started && part.startingDetail ? [{ id: part.id, label: part.label, status: 'starting', detail: part.startingDetail }] : [];
                default: return [];
            }
        }));
        return each.flat();
    }

    protected async startAll(): Promise<void> {
        for (const part of this.parts) {
            if (this.stopping) {
                return;
            }
            this.states.set(part.id, await this.startOne(part));
        }
        for (const part of this.parts) {
            const state = this.stateOf(part.id);
            if (state.kind === 'up' && part.ready) {
                await part.ready(state.instance as never).catch(error => this.states.set(part.id, { kind: 'down', reason: messageOf(error), instance: state.instance }));
            }
        }
    }

    protected async startOne(part: AnyCorePart<Parts, Context>): Promise<PartState> {
        for (const need of part.needs) {
            const state = this.stateOf(need);
            if (state.kind === 'down') {
                return { kind: 'down', reason: `${this.partOf(need).label} did not start (${state.reason})` };
            }
            if (state.kind !== 'up') {
                return { kind: 'off' };
            }
        }
        try {
            const instance = await part.start(this.context, this.view(part));
            return instance === undefined ? { kind: 'off' } : { kind: 'up', instance };
        } catch (error) {
            return { kind: 'down', reason: messageOf(error) };
        }
    }

    protected async stopAll(): Promise<string[]> {
        await this.starting;
        const problems: string[] = [];
        for (const part of this.stopOrder) {
            const state = this.stateOf(part.id);
            const instance = state.kind === 'up' || state.kind === 'down' ? state.instance : undefined;
            if (instance === undefined || !part.stop) {
                continue;
            }
            try {
                // Only a list of lines is what a stop could not finish; whatever else a stop returns (a
                // disposer's own result) says nothing.
                const unfinished: unknown = await part.stop(instance as never, this.view(part));
                if (Array.isArray(unfinished)) {
                    problems.push(...unfinished.map(String));
                }
            } catch (error) {
                problems.push(`${part.stopStep ?? `stopping ${part.label.toLowerCase()}`}: ${messageOf(error)}`);
            }
        }
        return problems;
    }

    /** What `part` sees of the others: `get` only its needs, `find` any part. */
    protected view(part: AnyCorePart<Parts, Context>): StartedParts<Parts> {
        return {
            get: id => {
                if (!part.needs.includes(id)) {
                    throw new Error(`The part "${part.id}" asked for "${id}", which is not among its needs; declare it there, or use find().`);
                }
                return this.get(id);
            },
            find: id => this.find(id),
        };
    }

    protected stateOf(id: string): PartState {
        this.partOf(id);
        return this.states.get(id) ?? NotStarted;
    }

    protected partOf(id: string): AnyCorePart<Parts, Context> {
        const part = this.byId.get(id);
        if (!part) {
            throw new Error(`There is no part "${id}"; the parts are ${[...this.byId.keys()].join(', ')}.`);
        }
        return part;
    }
}

/**
 * Reverse start order, except that a part with `stopsAfter` waits until all of those have
 * stopped, and then stops at once (several waiting on the same part keep their reverse order).
 */
function stopOrderOf<P extends { readonly id: string; readonly stopsAfter?: readonly string[] }>(parts: readonly P[]): P[] {
    const order: P[] = [];
    const stopped = new Set<string>();
    let waiting: P[] = [];
    const place = (part: P) => {
        order.push(part);
        stopped.add(part.id);
    };
    for (const part of [...parts].reverse()) {
        if ((part.stopsAfter ?? []).every(id => stopped.has(id))) {
            place(part);
        } else {
            waiting.push(part);
        }
        let ready = waiting.filter(w => (w.stopsAfter ?? []).every(id => stopped.has(id)));
        while (ready.length > 0) {
            waiting = waiting.filter(w => !ready.includes(w));
            ready.forEach(place);
            ready = waiting.filter(w => (w.stopsAfter ?? []).every(id => stopped.has(id)));
        }
    }
    return order;
}
