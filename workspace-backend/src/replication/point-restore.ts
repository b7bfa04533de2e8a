import * as fs from 'node:fs';
import * as path from 'node:path';
import { syncDirectory } from '../object-store/directory-object-store';
import { ObjectNotFoundError, ObjectStore } from '../object-store/object-store';
import { moveDatabaseAside } from './kept-copies';
import { localStatePath } from './local-state';
import { RestoreError, RestoreProgress, RestoreResult, restoreDatabase } from './restore';
import { ListedPoint, listRestorePoints, parseRestorePoint, RestorePoint, RestorePointFormatError } from './restore-point';

export interface PointRestoreOptions {
    store: ObjectStore;
    databases: readonly { name: string; path: string }[];
    /** Point in time: the newest point at or before it. Default: the newest point. */
    at?: Date;
    /**
     * Checks the point's files manifest before anything is replaced: returns why it cannot be
     * restored (missing, damaged, a blob gone), undefined when it can; throws when the store fails.
     */
    checkFiles?: (manifest: string) => Promise<string | undefined>;
    onProgress?: (progress: RestoreProgress) => void;
}

interface SkippedPoint {
    key: string;
    at: string;
    reason: string;
}

export interface PointRestoreResult {
    point: ListedPoint & { files?: RestorePoint['files'] };
    /** Newer points (within the time asked for) that could not be restored, and why. */
    skipped: SkippedPoint[];
    databases: (RestoreResult & { movedAside?: string })[];
}

/** The store has no restore point at all (written before they existed): the caller falls back, and says so. */
export class NoRestorePointsError extends RestoreError { }

/**
 * Restores every database to one restore point: the newest one (at or before `at`) whose every
 * named object is present and valid. Each database is rebuilt to exactly the point's
 * (generation, segment), a chain cut there, so all of them stand at the same instant.
 *
 * Invariants:
 * - All databases of a point are rebuilt and checked beside their files (`.<db>.incoming`)
 *   before any is swapped in: a point that fails half-way replaces nothing, and the previous
 *   point is tried. Existing files are moved aside (`before-restore`), never deleted.
 * - A point is skipped only for missing or damaged objects (RestoreError, a files check's
 *   reason); a store that fails to answer fails the restore, never yields an older instant.
 */
export async function restoreToRestorePoint(options: PointRestoreOptions): Promise<PointRestoreResult> {
    const { store } = options;
    const points = await listRestorePoints(store);
    if (points.length === 0) {
        throw new NoRestorePointsError(`No restore points in ${store.description} (a replica written before restore points existed, or by a studio without them).`);
    }
    const candidates = options.at ? points.filter(p => p.at.getTime() <= options.at!.getTime()) : points;
    if (candidates.length === 0) {
        throw new RestoreError(`No restore point at or before ${options.at!.toISOString()} in ${store.description}: the oldest kept is ${points[0].at.toISOString()} ` +
            '(retention keeps STUDIO_REPLICA_KEEP_DAYS days). Pick a time at or after it.');
    }
    const skipped: SkippedPoint[] = [];
    for (const candidate of [...candidates].reverse()) {
        const reason = await tryPoint(options, candidate);
        if (typeof reason === 'string') {
            skipped.push({ key: candidate.key, at: candidate.at.toISOString(), reason });
            continue;
        }
        const databases = options.databases.map((db, i) => {
            const movedAside = swapInIncoming(db.path);
            return { ...reason.results[i], movedAside };
        });
        for (const dir of new Set(options.databases.map(db => path.dirname(db.path)))) {
            await syncDirectory(dir);
        }
        return { point: { ...candidate, files: reason.point.files }, skipped, databases };
    }
    throw new RestoreError(`No restore point${options.at ? ` at or before ${options.at.toISOString()}` : ''} in ${store.description} can be restored: ` +
        skipped.map(s => `${s.at}: ${s.reason}`).join('; '));
}

/** Rebuilds every database of one point beside its file; returns why the point is unusable, or the results. */
async function tryPoint(options: PointRestoreOptions, candidate: ListedPoint): Promise<string | { point: RestorePoint; results: RestoreResult[] }> {
    let point: RestorePoint;
    try {
        point = parseRestorePoint(await options.store.get(candidate.key), candidate.key);
    } catch (error) {
        if (error instanceof RestorePointFormatError || error instanceof ObjectNotFoundError) {
            return (error as Error).message;
        }
        throw error;
    }
    const unnamed = options.databases.filter(db => !point.databases[db.name]).map(db => db.name);
    if (unnamed.length) {
        return `it does not name ${unnamed.join(', ')}`;
    }
    if (point.files && options.checkFiles) {
        const filesProblem = await options.checkFiles(point.files.manifest);
        if (filesProblem) {
            return filesProblem;
        }
    }
    const results: RestoreResult[] = [];
    try {
        for (const db of options.databases) {
            const { generation, sequence } = point.databases[db.name];
            try {
                results.push(await restoreDatabase({ store: options.store, db: db.name, targetPath: incomingPath(db.path), generation, throughSequence: sequence, onProgress: options.onProgress }));
            } catch (error) {
                if (error instanceof RestoreError) {
                    throw new RestoreError(`${db.name}: ${error.message}`);
                }
                throw error;
            }
        }
    } catch (error) {
        for (const db of options.databases) {
            removeIncoming(db.path);
        }
        if (error instanceof RestoreError) {
            return error.message;
        }
        throw error;
    }
    return { point, results };
}

/** Where a database is rebuilt before it is swapped in. */
export function incomingPath(dbPath: string): string {
    return path.join(path.dirname(dbPath), `.${path.basename(dbPath)}.incoming`);
}

function removeIncoming(dbPath: string): void {
    for (const file of [incomingPath(dbPath), localStatePath(incomingPath(dbPath))]) {
        fs.rmSync(file, { force: true });
    }
}

/**
 * Moves an existing database aside (never deleted) and renames the rebuilt one, with its
 * sidecar, into place; returns where the old file went. The caller syncs the directory.
 */
export function swapInIncoming(dbPath: string): string | undefined {
    const movedAside = fs.existsSync(dbPath) ? moveDatabaseAside(dbPath, 'before-restore') : undefined;
    fs.renameSync(incomingPath(dbPath), dbPath);
    fs.renameSync(localStatePath(incomingPath(dbPath)), localStatePath(dbPath));
    return movedAside;
}
