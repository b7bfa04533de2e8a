import type { TimelineRepository } from './timeline-repository';
import type { TimelineFilter } from './timeline-types';

/** The positions `n` of a session's events that match a filter, in order, growing as the session does. */
export class FilterIndex {
    protected positions = new Int32Array(1024);
    protected size = 0;
    /** The session's event count the index covers. */
    covered = 0;

    get length(): number {
        return this.size;
    }

    append(ns: readonly number[]): void {
        if (this.size + ns.length > this.positions.length) {
            const grown = new Int32Array(Math.max(this.positions.length * 2, this.size + ns.length));
            grown.set(this.positions.subarray(0, this.size));
            this.positions = grown;
        }
        for (const n of ns) {
            this.positions[this.size++] = n;
        }
    }

    /** Positions of the matching events `offset` … `offset + limit - 1`. */
    slice(offset: number, limit: number): number[] {
        const from = Math.max(0, Math.min(this.size, offset));
        return Array.from(this.positions.subarray(from, Math.min(this.size, from + Math.max(0, limit))));
    }

    /** How many matching events come before position `n` (binary search). */
    rankOf(n: number): number {
        let lo = 0;
        let hi = this.size;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (this.positions[mid] < n) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

/**
 * Filtered views of sessions, kept between calls: the first use of a filter reads the matching
 * positions once (one walk of the covering scan index), and every later page, count or seek is
 * an array slice or a binary search. A live session's index is extended with its new events
 * only. Invariant: an index covers exactly the session's first `covered` events.
 */
export class FilterIndexCache {
    protected readonly entries = new Map<string, FilterIndex>();

    constructor(protected readonly repo: TimelineRepository, protected readonly capacity = 16) { }

    /** The index of `filter` over the session's first `eventCount` events. */
    get(sessionId: string, filter: TimelineFilter, eventCount: number): FilterIndex {
        const key = `${sessionId}\n${filterKey(filter)}`;
        let index = this.entries.get(key);
        if (index) {
            // Most recently used last.
            this.entries.delete(key);
        } else {
            index = new FilterIndex();
            while (this.entries.size >= this.capacity) {
                this.entries.delete(this.entries.keys().next().value!);
            }
        }
        this.entries.set(key, index);
        if (index.covered < eventCount) {
            let found: number[];
            try {
                found = this.repo.matchingPositions(sessionId, filter, index.covered, eventCount);
            } catch (error) {
                // A malformed filter (or a failed read) leaves nothing behind.
                this.entries.delete(key);
                throw error;
            }
            index.append(found);
            index.covered = eventCount;
        }
        return index;
    }
}

/** The same filter in any order of its lists gives the same key. */
function filterKey(filter: TimelineFilter): string {
    return JSON.stringify([
        filter.agents ? [...filter.agents].sort() : null, filter.kinds ? [...filter.kinds].sort() : null,
        filter.path?.trim().replace(/^\.?\/+/, '').replace(/\/+$/, '') || null, filter.taskId ?? null,
    ]);
}
