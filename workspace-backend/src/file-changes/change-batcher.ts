import { ChangeAuthor, authorKey, FileChangeRecord, FileChangeType } from './change-author';

/** More changes than this by one author in one pass make one bulk record. */
export const DefaultBulkThreshold = 50;
/** How many paths a bulk record names. */
export const BulkPathsShown = 20;
/** An author that just made a bulk record stays in bulk for this long (a checkout spread over several passes). */
const BulkContinuesMs = 5_000;

export interface AttributedChange {
    readonly path: string;
    readonly change: FileChangeType;
    readonly at: number;
    readonly author: ChangeAuthor;
}

/**
 * Turns the changes decided in one pass into timeline records. Invariant: an author's changes
 * become one record each while they are few; more than `threshold` in a pass (or any, while that
 * author's previous bulk is recent) become one record with the count and the first paths, so a
 * `git checkout` of thousands of files or an `npm install` cannot flood the timeline.
 */
export class ChangeBatcher {
    protected readonly bulkUntil = new Map<string, number>();

    constructor(protected readonly threshold = DefaultBulkThreshold) { }

    records(changes: readonly AttributedChange[], now: number): FileChangeRecord[] {
        const byAuthor = new Map<string, AttributedChange[]>();
        for (const change of changes) {
            const key = authorKey(change.author);
            const list = byAuthor.get(key) ?? [];
            list.push(change);
            byAuthor.set(key, list);
        }
        const records: FileChangeRecord[] = [];
        for (const [key, list] of byAuthor) {
            const continuing = (this.bulkUntil.get(key) ?? 0) >= now;
            if (list.length <= this.threshold && !continuing) {
                records.push(...list.map(c => ({ at: c.at, author: c.author, count: 1, path: c.path, change: c.change })));
                continue;
            }
            this.bulkUntil.set(key, now + BulkContinuesMs);
            const counts = { created: 0, updated: 0, deleted: 0 };
            list.forEach(c => counts[c.change]++);
            records.push({ at: list[0].at, author: list[0].author, count: list.length, counts, paths: list.slice(0, BulkPathsShown).map(c => c.path) });
        }
        for (const [key, until] of this.bulkUntil) {
            if (until < now) {
                this.bulkUntil.delete(key);
            }
        }
        return records.sort((a, b) => a.at - b.at);
    }
}
