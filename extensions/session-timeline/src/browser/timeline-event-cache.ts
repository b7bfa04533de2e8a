import type { TimelineEventSummary } from '../common/session-timeline-protocol';

/**
 * The events a view has fetched, by their index in the (filtered) session, in fixed-size pages.
 * `generation` changes whenever what the indexes mean changes (another session, another filter),
 * so an answer to an older request is dropped rather than stored under the wrong index.
 */
export class TimelineEventCache {
    protected pages = new Map<number, readonly TimelineEventSummary[]>();
    protected requested = new Set<number>();
    protected gen = 0;

    /** `after`: the cache this one replaces, so generations keep growing and no late answer lands in the new one. */
    constructor(readonly pageSize: number, after?: TimelineEventCache) {
        if (!(pageSize >= 1)) {
            throw new Error(`A page holds at least one event, not ${pageSize}.`);
        }
        this.gen = after ? after.generation + 1 : 0;
    }

    get generation(): number {
        return this.gen;
    }

    /** Forget everything: the indexes mean something else now. */
    reset(): number {
        this.pages.clear();
        this.requested.clear();
        return ++this.gen;
    }

    get(index: number): TimelineEventSummary | undefined {
        const page = this.pages.get(Math.floor(index / this.pageSize));
        return page?.[index % this.pageSize];
    }

    /** Stores events fetched from `offset` (any offset: they are spread over their pages) if `generation` is still current. */
    store(generation: number, offset: number, events: readonly TimelineEventSummary[]): boolean {
        if (generation !== this.gen) {
            return false;
        }
        for (let i = 0; i < events.length;) {
            const index = offset + i;
            const pageNo = Math.floor(index / this.pageSize);
            const start = index % this.pageSize;
            const page = [...(this.pages.get(pageNo) ?? [])];
            const take = Math.min(this.pageSize - start, events.length - i);
            for (let k = 0; k < take; k++) {
                page[start + k] = events[i + k];
            }
            this.pages.set(pageNo, page);
            i += take;
        }
        return true;
    }

    /** The offsets of pages over `[first, last]` that are neither held whole nor asked for; marks them asked for. */
    missing(first: number, last: number, total: number): number[] {
        const out: number[] = [];
        if (total <= 0 || last < first) {
            return out;
        }
        const lastIndex = Math.min(last, total - 1);
        for (let pageNo = Math.floor(Math.max(0, first) / this.pageSize); pageNo * this.pageSize <= lastIndex; pageNo++) {
            const expected = Math.min(this.pageSize, total - pageNo * this.pageSize);
            const page = this.pages.get(pageNo);
            // Counted, not `every`: a page filled by a seek is sparse, and `every` skips the holes.
            const whole = page !== undefined && page.filter(e => e !== undefined).length >= expected;
            if (!whole && !this.requested.has(pageNo)) {
                this.requested.add(pageNo);
                out.push(pageNo * this.pageSize);
            }
        }
        return out;
    }

    /** A request for the page at `offset` failed or came back short: it may be asked for again. */
    release(offset: number): void {
        this.requested.delete(Math.floor(offset / this.pageSize));
    }

    /** The session grew: its last page, fetched while it was partial, is fetched again when seen. */
    grew(previousTotal: number): void {
        const pageNo = Math.floor(Math.max(0, previousTotal - 1) / this.pageSize);
        this.requested.delete(pageNo);
    }
}
