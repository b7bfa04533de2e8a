import Database from 'better-sqlite3';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { syncDirectory } from '../object-store/directory-object-store';
import { ObjectNotFoundError, ObjectStore } from '../object-store/object-store';
import { GenerationListing, listGenerations } from './generation';
import { saveLocalState } from './local-state';
import { continues, decodeSegment, decodeSnapshot, ReplicaFormatError } from './segment';
import { ImageBuilder } from './snapshot-image';
import { WalPosition } from './wal-reader';

export interface RestoreProgress {
    db: string;
    phase: 'listing' | 'snapshot' | 'segments' | 'verifying' | 'done';
    bytes: number;
    segments: number;
    totalSegments: number;
}

export interface RestoreResult {
    db: string;
    generation: string;
    segments: number;
    bytes: number;
    dbSizePages: number;
    position: WalPosition;
    /** Why the chain stopped before the last listed segment, when it did. */
    truncatedBecause?: string;
}

export class RestoreError extends Error { }

export interface RestoreOptions {
    store: ObjectStore;
    db: string;
    /** Where the database file goes; any existing file there is replaced (its -wal/-shm removed). */
    targetPath: string;
    /** A specific generation; default: the newest one with a valid snapshot. */
    generation?: string;
    /**
     * With `generation`: stop after exactly this segment (a restore point's instant). A chain that
     * ends before it is a RestoreError, never a shorter restore: the point could not be met.
     */
    throughSequence?: number;
    onProgress?: (progress: RestoreProgress) => void;
    /** Build and verify only, leave the target untouched (`verify`). */
    dryRun?: boolean;
}

/**
 * Rebuilds a database from its replica: the newest generation whose snapshot is valid, plus
 * the longest run of segments that continue it (sequence 1, 2, ... each chained to the last).
 *
 * Invariants: the image is built in a temporary file next to the target, fsynced, checked with
 * `PRAGMA integrity_check`, and only then renamed over the target (after removing the target's
 * stale -wal/-shm, which belong to the old file); a crash leaves the old database or the new
 * one. A chain stops at the first missing or damaged segment: later segments cannot be applied
 * without it, and the result says so.
 */
export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
    const { store, db } = options;
    const progress: RestoreProgress = { db, phase: 'listing', bytes: 0, segments: 0, totalSegments: 0 };
    const report = () => options.onProgress?.({ ...progress });
    report();
    const generations = (await listGenerations(store, db)).filter(g => g.snapshot && (!options.generation || g.generation === options.generation));
    if (generations.length === 0) {
        throw new RestoreError(options.generation
            ? `No generation ${options.generation} of ${db} in ${store.description}.`
            : `No replica of ${db} in ${store.description} (no generation with a snapshot).`);
    }
    const failures: string[] = [];
    for (const listing of [...generations].reverse()) {
        try {
            return await restoreGeneration(options, listing, progress, report);
        } catch (error) {
            if (!(error instanceof RestoreError) || options.generation) {
                throw error;
            }
            failures.push(`${listing.generation}: ${error.message}`);
        }
    }
    throw new RestoreError(`No valid generation of ${db} in ${store.description}: ${failures.join('; ')}`);
}

async function restoreGeneration(options: RestoreOptions, listing: GenerationListing, progress: RestoreProgress, report: () => void): Promise<RestoreResult> {
    const { store, db } = options;
    progress.phase = 'snapshot';
    progress.totalSegments = options.throughSequence ?? listing.segments.length;
    report();
    let snapshot;
    try {
        const data = await store.get(listing.snapshot!.key);
        progress.bytes += data.length;
        snapshot = decodeSnapshot(data);
    } catch (error) {
        throw new RestoreError(`snapshot unreadable (${(error as Error).message})`, { cause: unlessDamaged(error) });
    }
    const builder = new ImageBuilder(snapshot.image, snapshot.header.pageSize);
    let position = snapshot.header.position;
    let dbSizePages = snapshot.header.dbSizePages;
    let applied = 0;
    let truncatedBecause: string | undefined;
    progress.phase = 'segments';
    const through = options.throughSequence;
    const segments = through !== undefined ? listing.segments.slice(0, through) : listing.segments;
    const fetched = prefetch(store, segments.map(s => s.info.key), SEGMENT_PREFETCH);
    for (const [index, segment] of segments.entries()) {
        if (segment.sequence !== applied + 1) {
            truncatedBecause = `segment ${applied + 1} is missing`;
            break;
        }
        let decoded;
        try {
            const data = await fetched(index);
            progress.bytes += data.length;
            decoded = decodeSegment(data);
        } catch (error) {
            unlessDamaged(error);
            truncatedBecause = `segment ${segment.sequence} is unreadable (${(error as Error).message})`;
            break;
        }
        if (decoded.header.pageSize !== snapshot.header.pageSize || !continues(position, decoded.header)) {
            truncatedBecause = `segment ${segment.sequence} does not continue the chain`;
            break;
        }
        builder.apply(decoded.frames);
        position = decoded.header.after;
        dbSizePages = decoded.header.dbSizePages;
        applied++;
        progress.segments = applied;
        report();
    }
    if (through !== undefined && applied < through) {
        throw new RestoreError(`generation ${listing.generation} of ${db} stops at segment ${applied} (${truncatedBecause ?? `segment ${applied + 1} is missing`}); the restore point needs segment ${through}`);
    }
    progress.phase = 'verifying';
    report();
    const image = builder.result();
    const dir = path.dirname(options.targetPath);
    await fs.promises.mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${path.basename(options.targetPath)}.restore-${crypto.randomBytes(4).toString('hex')}`);
    try {
        const handle = await fs.promises.open(temp, 'wx');
        try {
            await handle.writeFile(image);
            await handle.sync();
        } finally {
            await handle.close();
        }
        verifyIntegrity(temp);
        if (!options.dryRun) {
            for (const suffix of ['-wal', '-shm', '-journal', '-replica.json']) {
                await fs.promises.rm(options.targetPath + suffix, { force: true });
            }
            await fs.promises.rename(temp, options.targetPath);
            await syncDirectory(dir);
            // The file is exactly this replica position: record it with its hash (local-state.ts).
            saveLocalState(options.targetPath, {
                db, generation: listing.generation, sequence: applied, position,
                mainFileSha256: crypto.createHash('sha256').update(image).digest('hex'),
            });
        }
    } finally {
        for (const suffix of ['', '-wal', '-shm']) {
            await fs.promises.rm(temp + suffix, { force: true });
        }
    }
    progress.phase = 'done';
    report();
    return { db, generation: listing.generation, segments: applied, bytes: progress.bytes, dbSizePages, position, truncatedBecause };
}

/**
 * Only a replica object that is missing or damaged ends a chain (or skips a generation). A store
 * that fails to answer (the network, throttling, a body cut off after the client's retries) says
 * nothing about the replica: it is rethrown and fails the restore, which can be tried again.
 * Treating it as damage would silently restore an older generation or a shorter chain, without
 * rows that were acknowledged as durable.
 */
function unlessDamaged(error: unknown): unknown {
    if (error instanceof ReplicaFormatError || error instanceof ObjectNotFoundError) {
        return error;
    }
    throw error;
}

/** Opens the file and runs `integrity_check`; throws RestoreError with SQLite's findings. */
export function verifyIntegrity(file: string, options: { readonly?: boolean } = {}): void {
    let conn: Database.Database | undefined;
    try {
        // Read-only when checking a live database's file: closing a read-write connection
        // checkpoints the WAL into the main file and deletes it, which ends the WAL's proof of
        // where the file stands in the replica (local-vs-replica.ts).
        conn = new Database(file, { readonly: options.readonly ?? false });
        const rows = conn.pragma('integrity_check') as { integrity_check: string }[];
        const findings = rows.map(r => r.integrity_check);
        if (findings.length !== 1 || findings[0] !== 'ok') {
            throw new RestoreError(`integrity_check failed: ${findings.slice(0, 5).join('; ')}`);
        }
    } catch (error) {
        if (error instanceof RestoreError) {
            throw error;
        }
        throw new RestoreError(`the rebuilt file does not open as a database: ${(error as Error).message}`);
    } finally {
        conn?.close();
    }
}

/** Segments downloaded ahead of the one being applied: a chain is many small objects, one round trip each. */
const SEGMENT_PREFETCH = 8;

/**
 * Gets `keys` in order with up to `window` downloads in flight; `fetched(i)` resolves or rejects
 * as `store.get(keys[i])` did. Downloads past the last one asked for are left to finish unread
 * (their failures are held, never unhandled).
 */
function prefetch(store: ObjectStore, keys: readonly string[], window: number): (index: number) => Promise<Buffer> {
    // A slot is emptied once read, so a long chain is never held in memory.
    const started: (Promise<{ data: Buffer } | { error: unknown }> | undefined)[] = [];
    const start = (upTo: number) => {
        for (let i = started.length; i < Math.min(upTo, keys.length); i++) {
            started.push(store.get(keys[i]).then(data => ({ data }), error => ({ error })));
        }
    };
    return async index => {
        start(index + window);
        const result = await started[index]!;
        started[index] = undefined;
        if ('error' in result) {
            throw result.error;
        }
        return result.data;
    };
}
