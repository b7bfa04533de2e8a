import * as crypto from 'node:crypto';
import type { ObjectStore } from '../object-store/object-store';

/**
 * A restore point: one instant of the whole workspace, as the store holds it.
 *
 *   points/<stamp>-<rand>.json   { format, at, databases: { <db>: { generation, sequence } }, files? }
 *
 * For each database it names the chain that was in the store at `at`: the generation and the
 * last segment shipped (0: the snapshot alone). For the workspace files it names a files
 * manifest (file-sync/file-manifest.ts: every path's content hash, mode and mtime, content-
 * addressed, created only) whose blobs were all stored before it was written.
 *
 * Invariants:
 * - A point is written once, create-only, in one put: a reader sees all of it or none of it, so
 *   the six databases and the files can never be restored to different instants by accident.
 * - A point is written only after every object it names is acknowledged by the store: segments
 *   are shipped before the replicator's position advances, blobs and index entries before file
 *   sync records them. (Objects can still go missing later; restore checks, and skips the point.)
 * - The key sorts by time: the newest point is the last in key order, and `at` is the key's stamp.
 */
const POINTS_PREFIX = 'points/';

export interface RestorePointDatabase {
    generation: string;
    /** The last segment of the chain at that instant; 0 when the snapshot alone was shipped. */
    sequence: number;
}

export interface RestorePoint {
    format: 1;
    /** When the point was taken (ISO). */
    at: string;
    databases: Record<string, RestorePointDatabase>;
    /** The files manifest key at that instant; absent when the workspace files are not synced. */
    files?: { manifest: string; entries: number };
}

export interface ListedPoint {
    key: string;
    at: Date;
}

function restorePointKey(at: Date): string {
    const stamp = at.toISOString().replace(/[-:]/g, '');
    return `${POINTS_PREFIX}${stamp}-${crypto.randomBytes(3).toString('hex')}.json`;
}

/** The instant a point key names, or undefined for a key that is not a point. */
export function pointTime(key: string): Date | undefined {
    const match = /^points\/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z-[0-9a-f]+\.json$/.exec(key);
    if (!match) {
        return undefined;
    }
    const [, y, mo, d, h, mi, s, ms] = match;
    return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
}

/** Every restore point in the store, oldest first. */
export async function listRestorePoints(store: ObjectStore): Promise<ListedPoint[]> {
    const points: ListedPoint[] = [];
    for await (const info of store.list(POINTS_PREFIX)) {
        const at = pointTime(info.key);
        if (at) {
            points.push({ key: info.key, at });
        }
    }
    return points.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export class RestorePointFormatError extends Error { }

export function parseRestorePoint(data: Buffer, key: string): RestorePoint {
    let point: RestorePoint;
    try {
        point = JSON.parse(data.toString('utf8')) as RestorePoint;
    } catch (error) {
        throw new RestorePointFormatError(`Restore point ${key} is not JSON (${(error as Error).message})`);
    }
    const databasesOk = point && typeof point.databases === 'object' && point.databases !== null
        && Object.values(point.databases).every(d => typeof d?.generation === 'string' && Number.isInteger(d.sequence) && d.sequence >= 0);
    if (point?.format !== 1 || typeof point.at !== 'string' || !databasesOk || (point.files !== undefined && typeof point.files.manifest !== 'string')) {
        throw new RestorePointFormatError(`Restore point ${key} is not a format-1 restore point this studio understands`);
    }
    return point;
}

/** Writes a point create-only; returns its key. */
export async function writeRestorePoint(store: ObjectStore, point: Omit<RestorePoint, 'format' | 'at'>, at = new Date()): Promise<string> {
    const key = restorePointKey(at);
    const body: RestorePoint = { format: 1, at: at.toISOString(), ...point };
    await store.put(key, Buffer.from(JSON.stringify(body)), { ifAbsent: true, contentType: 'application/json' });
    return key;
}
