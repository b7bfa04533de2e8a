import * as fs from 'node:fs';
import type { ObjectStore } from '../object-store/object-store';
import { listGenerations } from './generation';
import { readLocalState, sha256File, walIsEmpty } from './local-state';
import { verifyIntegrity } from './restore';
import { decodeSegment, ReplicaFormatError, SnapshotHeader } from './segment';
import { readWal, WalPosition } from './wal-reader';

/** Where the newest chain in the store ends: its generation, last contiguous segment, and WAL position. */
export interface ReplicaEnd {
    generation: string;
    sequence: number;
    position: WalPosition;
}

/**
 * What becomes of a local file the replica replaces:
 * - `superseded`: provably an older state of the replica's history (nothing of it is lost);
 * - `damaged`, `unplaced` (its place in the replica's history is unknown): moved aside as
 *   `replaced`, logged and reported in health, since it may hold something the replica lacks;
 * - `diverged`: it holds commits the replica lacks, and the replica holds commits it lacks.
 */
export type ReplacedLocal = 'superseded' | 'damaged' | 'unplaced' | 'diverged';

export type LocalVerdict =
    | {
        action: 'keep';
        reason: string;
        /** The replica position the file provably holds (undefined when there is no replica). */
        base?: ReplicaEnd;
        /** The file provably or possibly holds commits after `base` (so the replica lacks them). */
        ahead: boolean;
    }
    | { action: 'restore'; reason: string; replaceLocal: false }
    | { action: 'restore'; reason: string; replaceLocal: true; local: ReplacedLocal };

/**
 * Decides, before the database opens, whether the local file or the replica wins.
 * The guide's rule: the remote wins only when it is ahead. "Ahead" is proven, never guessed,
 * and a local file is never replaced silently when it may hold commits the replica lacks:
 *
 * 1. Missing or damaged local file (integrity_check, on a read-only connection so that closing
 *    it does not checkpoint and delete the WAL): the replica wins.
 * 2. The local WAL continues the replica's newest position (same salts, the last shipped
 *    frame's checksum still in place): the local file holds everything the replica has, and
 *    maybe more. Keep it.
 * 3. The sidecar (local-state.ts) proves the file is at (or past) a recorded replica position,
 *    either by the main file's hash (clean shutdown, restore) or by its WAL continuing that
 *    position (crash). The file is ahead of that position when the sidecar says so
 *    (`unshippedSince`: commits made while not replicating) or its WAL holds commits after it.
 *    - The replica's newest position is not later: keep the file, ahead or not (an ahead file
 *      then starts a new generation with a snapshot of itself once replication runs).
 *    - It is later and the file is not ahead: the file is an older state; the replica wins.
 *    - It is later and the file is ahead: they diverged (another instance wrote the replica
 *      while this file took commits it never shipped). Rule: the replica stays live, since it is
 *      the history of whoever held the lease and what every other reader of the replica saw;
 *      the local file is kept beside it as `<db>.diverged-<stamp>`, logged loudly and reported
 *      in health until the operator reconciles (`coditect-workspace diverged` promotes a copy
 *      to live). Making the local file live instead would start a generation that hides the
 *      replica's newer one, and retention would eventually delete that one for good.
 * 4. Otherwise the file's place in the replica's history is unknown (an older copy swapped in,
 *    edited by hand, a data directory from elsewhere): the replica wins, and the local file is
 *    moved aside rather than deleted, logged and reported in health. When its sidecar says it
 *    held unshipped commits, it counts as diverged.
 */
export async function judgeLocalDatabase(store: ObjectStore, db: string, dbPath: string): Promise<LocalVerdict> {
    const end = await newestReplicaEnd(store, db);
    if (!fs.existsSync(dbPath)) {
        return end ? { action: 'restore', reason: 'the local database is missing', replaceLocal: false } : { action: 'keep', reason: 'no local database and no replica', ahead: false };
    }
    if (!end) {
        return { action: 'keep', reason: 'no replica yet', ahead: false };
    }
    try {
        verifyIntegrity(dbPath, { readonly: true });
    } catch (error) {
        return { action: 'restore', reason: `the local database is damaged (${(error as Error).message})`, replaceLocal: true, local: 'damaged' };
    }
    // The WAL proves a position only by content: the salts and the last shipped frame's
    // checksum (or, after our checkpoint, salt-1 one higher: SQLite restarts a WAL only once
    // every frame is in the main file). A position at an empty WAL proves nothing this way.
    const walContinues = (position: WalPosition) => {
        if (walIsEmpty(dbPath) || position.walEmpty) {
            return false;
        }
        const read = readWal(`${dbPath}-wal`, position);
        return read.kind === 'frames' || (read.kind === 'empty' && position.restartSalt1 !== undefined);
    };
    if (walContinues(end.position)) {
        return { action: 'keep', reason: `the local WAL continues the replica (generation ${end.generation}, segment ${end.sequence})`, base: end, ahead: walCommitsAfter(dbPath, end.position) };
    }
    const state = readLocalState(dbPath);
    if (!state || state.db !== db) {
        return { action: 'restore', reason: 'the local database has no record of its place in the replica (a file from elsewhere or from before replication)', replaceLocal: true, local: 'unplaced' };
    }
    const provenByHash = state.mainFileSha256 !== undefined && state.mainFileSha256 === await sha256File(dbPath);
    const proven = provenByHash || (state.mainFileSha256 === undefined && walContinues(state.position));
    if (!proven) {
        const why = `the local database is not the state it recorded (generation ${state.generation}, segment ${state.sequence}): ${state.mainFileSha256 ? 'its contents changed (an older copy swapped in?)' : 'its WAL does not continue that position'}`;
        return state.unshippedSince
            ? { action: 'restore', reason: `${why}, and it recorded commits the replica lacks since ${state.unshippedSince}`, replaceLocal: true, local: 'diverged' }
            : { action: 'restore', reason: why, replaceLocal: true, local: 'unplaced' };
    }
    // Hash-proven: the main file is the recorded position, so any committed frame in the WAL is
    // a later commit. WAL-proven: the frames after the recorded position are.
    const ahead = state.unshippedSince !== undefined || (provenByHash ? walCommitsAfter(dbPath, undefined) : walCommitsAfter(dbPath, state.position));
    const local = `generation ${state.generation} segment ${state.sequence}${ahead ? ` plus commits the replica lacks${state.unshippedSince ? ` (since ${state.unshippedSince})` : ''}` : ''}`;
    const replicaAhead = end.generation > state.generation || (end.generation === state.generation && end.sequence > state.sequence);
    if (!replicaAhead) {
        return { action: 'keep', reason: `the local database is at ${local}, the replica is not ahead`, base: { generation: state.generation, sequence: state.sequence, position: state.position }, ahead };
    }
    const replica = `the replica moved on to generation ${end.generation} segment ${end.sequence}`;
    return ahead
        ? { action: 'restore', reason: `the local database diverged from the replica: it is at ${local}, and ${replica}`, replaceLocal: true, local: 'diverged' }
        : { action: 'restore', reason: `the replica is ahead: ${replica}, the local database is at ${local}`, replaceLocal: true, local: 'superseded' };
}

/** Whether the local WAL holds committed frames after `position` (from its start when undefined). */
export function walCommitsAfter(dbPath: string, position: WalPosition | undefined): boolean {
    if (walIsEmpty(dbPath)) {
        return false;
    }
    const read = readWal(`${dbPath}-wal`, position);
    return read.kind === 'discontinuity' || (read.kind === 'frames' && read.frames.length > 0);
}

/**
 * The end of the newest generation's contiguous chain, reading only the last segment (or the
 * snapshot's header): undefined when there is no generation with a snapshot.
 */
export async function newestReplicaEnd(store: ObjectStore, db: string): Promise<ReplicaEnd | undefined> {
    const generations = (await listGenerations(store, db)).filter(g => g.snapshot);
    const newest = generations[generations.length - 1];
    if (!newest) {
        return undefined;
    }
    let contiguous = 0;
    while (contiguous < newest.segments.length && newest.segments[contiguous].sequence === contiguous + 1) {
        contiguous++;
    }
    for (let i = contiguous - 1; i >= 0; i--) {
        try {
            const header = decodeSegment(await store.get(newest.segments[i].info.key)).header;
            return { generation: newest.generation, sequence: header.sequence, position: header.after };
        } catch {
            // A damaged segment ends the chain before it; try the one before.
        }
    }
    const header = await readSnapshotHeader(store, newest.snapshot!.key);
    return { generation: newest.generation, sequence: 0, position: header.position };
}

/** Reads just the JSON header of a snapshot object (they can be hundreds of megabytes). */
export async function readSnapshotHeader(store: ObjectStore, key: string): Promise<SnapshotHeader> {
    const stream = await store.getStream(key);
    const chunks: Buffer[] = [];
    let length = 0;
    try {
        for await (const chunk of stream) {
            chunks.push(chunk as Buffer);
            length += (chunk as Buffer).length;
            if (length >= 12) {
                const head = Buffer.concat(chunks);
                const jsonLength = head.readUInt32BE(8);
                if (head.subarray(0, 8).toString('latin1') !== 'CDSNP001') {
                    throw new ReplicaFormatError(`${key} is not a replica snapshot (bad magic)`);
                }
                if (length >= 12 + jsonLength) {
                    return JSON.parse(head.subarray(12, 12 + jsonLength).toString()) as SnapshotHeader;
                }
            }
        }
    } finally {
        stream.destroy();
    }
    throw new ReplicaFormatError(`${key} ends before its header`);
}
