import { Emitter, Event } from '../common/emitter';
import { DefaultPrices } from './default-prices';
import type { PriceInterval, PricePoint, PriceSource } from './price-types';

/** Highest precedence first. */
const Precedence: readonly PriceSource[] = ['preference', 'file', 'default'];

/**
 * Suffixes vendors put on a model family's name for a dated snapshot; a usage of
 * `claude-sonnet-4-5-20250929` is priced as `claude-sonnet-4-5` unless the snapshot has its own price.
 */
const SnapshotSuffixes = [/-\d{8}$/, /-\d{4}-\d{2}-\d{2}$/, /-latest$/, /-preview-\d{2}-\d{2}$/, /-\d{3}$/];

/** The names a model is looked up by, most specific first: as recorded, without a `models/` prefix, without snapshot suffixes. */
export function priceNameCandidates(model: string): string[] {
    const names = [model];
    let name = model.startsWith('models/') ? model.slice('models/'.length) : model;
    if (name !== model) {
        names.push(name);
    }
    for (let stripped = true; stripped;) {
        stripped = false;
        for (const suffix of SnapshotSuffixes) {
            const shorter = name.replace(suffix, '');
            if (shorter !== name && shorter) {
                name = shorter;
                names.push(name);
                stripped = true;
            }
        }
    }
    return names;
}

export interface PriceLookup {
    readonly point: PricePoint;
    readonly source: PriceSource;
    readonly pricedAs: string;
}

/**
 * Every model's price at every instant, from three sources: the shipped defaults, the
 * workspace's `.coditect/prices.json`, and the preference `coditect.costs.priceOverrides`.
 *
 * The rule, in one place (`priceAt`): look the model up by its names, most specific first
 * (`priceNameCandidates`); for the first name any source prices at time t, the preference
 * beats the file beats the defaults, and within a source the entry with the latest `from` not
 * after t applies. A model no source prices at t is uncosted at t, never free.
 */
export class PriceTable {
    protected readonly layers = new Map<PriceSource, Map<string, PricePoint[]>>();
    protected readonly schedules = new Map<string, PriceInterval[]>();
    protected readonly changed = new Emitter<void>();
    /** Fires after a source changed; schedules may differ. */
    readonly onChange: Event<void> = this.changed.event;

    constructor(defaults: readonly PricePoint[] = DefaultPrices) {
        this.setLayer('default', defaults, false);
    }

    /** Replaces one source's prices (the file was edited, the preference pushed). */
    setLayer(source: PriceSource, points: readonly PricePoint[], notify = true): void {
        const byModel = new Map<string, PricePoint[]>();
        for (const point of points) {
            const list = byModel.get(point.model) ?? [];
            list.push(point);
            byModel.set(point.model, list);
        }
        byModel.forEach(list => list.sort((a, b) => a.from - b.from));
        this.layers.set(source, byModel);
        this.schedules.clear();
        if (notify) {
            this.changed.fire();
        }
    }

    points(source: PriceSource): PricePoint[] {
        return [...(this.layers.get(source)?.values() ?? [])].flat();
    }

    /** Every model any source names. */
    knownModels(): string[] {
        const names = new Set<string>();
        this.layers.forEach(layer => layer.forEach((_, model) => names.add(model)));
        return [...names].sort();
    }

    priceAt(model: string, t: number): PriceLookup | undefined {
        for (const name of priceNameCandidates(model)) {
            for (const source of Precedence) {
                const list = this.layers.get(source)?.get(name);
                const point = list && lastAtOrBefore(list, t);
                if (point) {
                    return { point, source, pricedAs: name };
                }
            }
        }
        return undefined;
    }

    /** The model's price history as it applies, from the beginning of time: consecutive intervals, the first from 0. */
    schedule(model: string): PriceInterval[] {
        let intervals = this.schedules.get(model);
        if (!intervals) {
            const boundaries = new Set<number>([0]);
            for (const name of priceNameCandidates(model)) {
                this.layers.forEach(layer => layer.get(name)?.forEach(p => boundaries.add(p.from)));
            }
            intervals = [];
            for (const from of [...boundaries].sort((a, b) => a - b)) {
                const found = this.priceAt(model, from);
                const last = intervals[intervals.length - 1];
                if (last && last.price === found?.point && last.source === found?.source) {
                    continue;
                }
                intervals.push({ from, price: found?.point, source: found?.source, pricedAs: found?.pricedAs });
            }
            intervals = intervals.map((interval, i) => ({ ...interval, to: intervals![i + 1]?.from }));
            this.schedules.set(model, intervals);
        }
        return intervals;
    }

    /** A stable text of the schedule: when it changes, the model's ledger entries are priced again. */
    fingerprint(model: string): string {
        return JSON.stringify(this.schedule(model).map(i => [i.from, i.source ?? null, i.pricedAs ?? null, i.price ? pointText(i.price) : null]));
    }

    dispose(): void {
        this.changed.dispose();
    }
}

function lastAtOrBefore(list: readonly PricePoint[], t: number): PricePoint | undefined {
    let found: PricePoint | undefined;
    for (const point of list) {
        if (point.from > t) {
            break;
        }
        found = point;
    }
    return found;
}

function pointText(p: PricePoint): string {
    const lc = p.longContext;
    return [p.input, p.output, p.cacheRead, p.cacheWrite, lc ? [lc.aboveTokens, lc.input, lc.output, lc.cacheRead, lc.cacheWrite].join('/') : ''].join(',');
}
