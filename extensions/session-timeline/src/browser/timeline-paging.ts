import type {
    SeekResult, SeekTarget, SessionTimelineService, TimelineEventSummary, TimelineFilter,
} from '../common/session-timeline-protocol';
import { TimelineEventCache } from './timeline-event-cache';

/**
 * The events of one filtered session that a view has read, by index, and how many match: pages
 * are read from the service into a `TimelineEventCache`. Invariant: an answer to a request made
 * before the indexes started meaning other events (another session or filter, `reset`) is not
 * stored, so no event is ever shown under another's index.
 */
export class TimelinePaging {

    protected cache: TimelineEventCache;
    protected _total = 0;

    /** `pageSize` is read at every request: the preference, clamped, as it is now. */
    constructor(protected readonly service: SessionTimelineService, protected readonly pageSize: () => number) {
        this.cache = new TimelineEventCache(pageSize());
    }

    /** Events matching the filters (all of the session's when unfiltered). */
    get total(): number { return this._total; }
    /** Changes whenever indexes start meaning other events (another session or filter). */
    get generation(): number { return this.cache.generation; }

    /** The event at `index` of the filtered session, if read. */
    eventAt(index: number): TimelineEventSummary | undefined {
        return this.cache.get(index);
    }

    /** The indexes mean other events now: forget what was read. */
    reset(): void {
        this.cache.reset();
    }

    /** The page size changed: a new cache, whose generations continue the old one's. */
    resize(): void {
        this.cache = new TimelineEventCache(this.pageSize(), this.cache);
    }

    /**
     * One round trip: the filter's index of `target` and a page from there. `current` is asked
     * when the answer comes: when a later seek or another session came meanwhile, nothing is kept
     * and the answer is undefined.
     */
    async seek(sessionId: string, target: SeekTarget, filter: TimelineFilter, current: () => boolean): Promise<SeekResult | undefined> {
        const generation = this.cache.generation;
        const result = await this.service.seek(sessionId, target, filter, this.pageSize());
        if (!current()) {
            return undefined;
        }
        this._total = result.total;
        this.cache.store(generation, result.index, result.events);
        return result;
    }

    /** Reads the one event at `index`. */
    async readOne(sessionId: string, filter: TimelineFilter, index: number): Promise<TimelineEventSummary | undefined> {
        const generation = this.cache.generation;
        const page = await this.service.page(sessionId, filter, index, 1);
        this._total = page.total;
        this.cache.store(generation, index, page.events);
        return page.events[0];
    }

    /**
     * Reads the pages of `[start, end]` (and half a page either side) that are neither held nor
     * asked for; `loaded` after each answer that is kept, `failed` after each error. A short page
     * (the session was still being written) is asked for again next time.
     */
    readRange(sessionId: string, filter: TimelineFilter, start: number, end: number, loaded: () => void, failed: (error: unknown) => void): void {
        const pageSize = this.pageSize();
        const half = Math.floor(pageSize / 2);
        const generation = this.cache.generation;
        for (const offset of this.cache.missing(start - half, end + half, this._total)) {
            this.service.page(sessionId, filter, offset, pageSize).then(page => {
                if (!this.cache.store(generation, offset, page.events)) {
                    return;
                }
                if (page.events.length < Math.min(pageSize, page.total - offset)) {
                    this.cache.release(offset);
                }
                this._total = page.total;
                loaded();
            }, error => {
                this.cache.release(offset);
                failed(error);
            });
        }
    }

    /**
     * The live session grew to `eventCount` events. Unfiltered, that is the new total; filtered,
     * the events past the old end are read to learn how many match. `loaded` once the total is new.
     */
    grew(sessionId: string, filter: TimelineFilter, filtered: boolean, eventCount: number, loaded: () => void): void {
        const previous = this._total;
        this.cache.grew(previous);
        if (!filtered) {
            this._total = eventCount;
            loaded();
            return;
        }
        const generation = this.cache.generation;
        this.service.page(sessionId, filter, previous, this.pageSize()).then(page => {
            if (this.cache.store(generation, previous, page.events)) {
                this._total = page.total;
                loaded();
            }
        }, () => undefined);
    }
}
