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

export type LocalVerdict =
    | { action: 'keep'; reason: string }
    | { action: 'restore'; reason: string; replaceLocal: boolean };

/**
 * Decides, before the database opens, whether the local file or the replica wins.
 * The guide's rule: the remote wins only when it is ahead. "Ahead" is proven, never guessed:
 *
 * 1. Missing or damaged local file (integrity_check, on a read-only connection so that closing
 *    it does not checkpoint and delete the WAL): the replica wins.
 * 2. The local WAL continues the replica's newest position (same salts, the last shipped
 *    frame's checksum still in place): the local file holds everything the replica has, and
 *    maybe more. Keep it.
 * 3. The sidecar (local-state.ts) proves the file is at a recorded replica position, either by
 *    the main file's hash (clean shutdown, restore) or by its WAL continuing that position
 *    (crash). If the replica's newest position is not later, keep the file; if it is later
 *    (another instance wrote the replica since), the replica wins.
 * 4. Otherwise the file's place in the replica's history is unknown (an older copy swapped in,
 *    edited by hand, a data directory from elsewhere): the replica wins, and the local file is
 *    moved aside rather than deleted, so nothing is lost for good.
 */
export async function judgeLocalDatabase(store: ObjectStore, db: string, dbPath: string): Promise<LocalVerdict> {
    const end = await newestReplicaEnd(store, db);
    if (!fs.existsSync(dbPath)) {
        return end ? { action: 'restore', reason: 'the local database is missing', replaceLocal: false } : { action: 'keep', reason: 'no local database and no replica' };
    }
    if (!end) {
        return { action: 'keep', reason: 'no replica yet' };
    }
    try {
        verifyIntegrity(dbPath, { readonly: true });
    } catch (error) {
        return { action: 'restore', reason: `the local database is damaged (${(error as Error).message})`, replaceLocal: true };
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
        return { action: 'keep', reason: `the local WAL continues the replica (generation ${end.generation}, segment ${end.sequence})` };
    }
    const state = readLocalState(dbPath);
    if (!state || state.db !== db) {
        return { action: 'restore', reason: 'the local database has no record of its place in the replica (a file from elsewhere or from before replication)', replaceLocal: true };
    }
    const proven = state.mainFileSha256 !== undefined
        ? state.mainFileSha256 === await sha256File(dbPath)
        : walContinues(state.position);
    if (!proven) {
        return { action: 'restore', reason: `the local database is not the state it recorded (generation ${state.generation}, segment ${state.sequence}): ${state.mainFileSha256 ? 'its contents changed (an older copy swapped in?)' : 'its WAL does not continue that position'}`, replaceLocal: true };
    }
    const replicaAhead = end.generation > state.generation || (end.generation === state.generation && end.sequence > state.sequence);
    return replicaAhead
        ? { action: 'restore', reason: `the replica is ahead: generation ${end.generation} segment ${end.sequence}, the local database is at generation ${state.generation} segment ${state.sequence}`, replaceLocal: true }
        : { action: 'keep', reason: `the local database is at generation ${state.generation} segment ${state.sequence}, the replica is not ahead` };
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
