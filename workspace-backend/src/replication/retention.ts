import { ObjectNotFoundError, ObjectStore } from '../object-store/object-store';
import { MANIFESTS_PREFIX } from '../file-sync/file-manifest';
import { listGenerations } from './generation';
import { ListedPoint, listRestorePoints, parseRestorePoint, RestorePoint, RestorePointFormatError } from './restore-point';

export interface RetentionPolicy {
    /** Restore points (and what they name) are kept this many days; fractions allowed. */
    keepDays: number;
    /** Whatever the points say, the newest this many generations with a snapshot per database stay. */
    keepGenerations: number;
    now?: Date;
}

export interface RetentionReport {
    pointsDeleted: number;
    pointsKept: number;
    generationsDeleted: Record<string, string[]>;
    manifestsDeleted: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Which restore points to keep: within `keepDays`, every point of the last hour, the newest of
 * each minute of the last day, the newest of each hour before that (so a busy workspace keeps
 * about 1,600 points a week, not one every few seconds); and always the newest point of all,
 * however old, so a store is never left without one.
 */
function pointsToKeep(points: ListedPoint[], keepDays: number, now: Date): Set<string> {
    const kept = new Set<string>();
    const buckets = new Set<string>();
    for (const point of [...points].reverse()) {
        const age = now.getTime() - point.at.getTime();
        if (age > keepDays * DAY) {
            continue;
        }
        const bucket = age <= HOUR ? point.key : age <= DAY ? `m${Math.floor(point.at.getTime() / MINUTE)}` : `h${Math.floor(point.at.getTime() / HOUR)}`;
        if (!buckets.has(bucket)) {
            buckets.add(bucket);
            kept.add(point.key);
        }
    }
    if (points.length > 0) {
        kept.add(points[points.length - 1].key);
    }
    return kept;
}

/**
 * Retention and compaction of the replica: old restore points are thinned and dropped, then the
 * generations and files manifests no kept point names.
 *
 * Invariants (the order of the steps keeps them across a crash):
 * - Nothing a kept point names is deleted: per database, only generations older than the oldest
 *   generation a kept point names go (generation ids sort by time, and a point's chain lies inside
 *   its one generation), and only files manifests no kept point names and older than the newest
 *   kept point (a manifest stored for a point being written right now is newer).
 * - The newest `keepGenerations` generations with a snapshot stay, whatever the points say (the
 *   rule from before restore points; on a store without points it is the only rule).
 * - Points go first: a crash then leaves objects no point names, which the next run deletes.
 * - A point that cannot be read for a reason other than damage (the store fails) stops the run:
 *   deciding without it could delete what it names.
 * Workspace file contents (`files/blobs/`) are not deleted: a blob may serve any manifest.
 */
export async function applyRetention(store: ObjectStore, databases: readonly string[], policy: RetentionPolicy): Promise<RetentionReport> {
    const now = policy.now ?? new Date();
    const points = await listRestorePoints(store);
    const keep = pointsToKeep(points, policy.keepDays, now);
    const report: RetentionReport = { pointsDeleted: 0, pointsKept: keep.size, generationsDeleted: {}, manifestsDeleted: 0 };
    const kept: RestorePoint[] = [];
    for (const point of points.filter(p => keep.has(p.key))) {
        try {
            kept.push(parseRestorePoint(await store.get(point.key), point.key));
        } catch (error) {
            if (!(error instanceof RestorePointFormatError || error instanceof ObjectNotFoundError)) {
                throw error;
            }
        }
    }
    for (const point of points.filter(p => !keep.has(p.key))) {
        await store.delete(point.key);
        report.pointsDeleted++;
    }
    for (const db of databases) {
        const named = kept.map(p => p.databases[db]?.generation).filter((g): g is string => g !== undefined).sort();
        const listings = await listGenerations(store, db);
        const complete = listings.filter(l => l.snapshot);
        if (complete.length <= policy.keepGenerations) {
            continue;
        }
        const floor = complete[complete.length - policy.keepGenerations].generation;
        const cutoff = named.length > 0 && named[0] < floor ? named[0] : floor;
        const doomed = listings.filter(l => l.generation < cutoff);
        for (const listing of doomed) {
            for (const segment of listing.segments) {
                await store.delete(segment.info.key);
            }
            if (listing.snapshot) {
                await store.delete(listing.snapshot.key);
            }
        }
        if (doomed.length) {
            report.generationsDeleted[db] = doomed.map(l => l.generation);
        }
    }
    const namedManifests = new Set(kept.map(p => p.files?.manifest).filter(m => m !== undefined));
    const newestKeptAt = kept.length ? Math.max(...kept.map(p => Date.parse(p.at))) : undefined;
    if (newestKeptAt !== undefined) {
        for await (const info of store.list(MANIFESTS_PREFIX)) {
            if (!namedManifests.has(info.key) && info.updated !== undefined && info.updated.getTime() < newestKeptAt) {
                await store.delete(info.key);
                report.manifestsDeleted++;
            }
        }
    }
    return report;
}
