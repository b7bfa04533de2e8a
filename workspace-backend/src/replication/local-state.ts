import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { WalPosition } from './wal-reader';

/**
 * What the local database file is known to contain, relative to the replica: the sidecar file
 * `<db file>-replica.json` beside the database (like `-wal` and `-shm`).
 *
 * Meaning: "this database holds at least everything up to `position` of `generation`, segment
 * `sequence`". It is written only after that is true locally:
 * - by the replicator after each shipped segment and each new generation (the frames were read
 *   from this very WAL), and after its checkpoint while it still holds the write lock (so no
 *   writer can restart the WAL before the `restartSalt1` position is on disk);
 * - by `sealLocalState` once every connection is closed, with the SHA-256 of the main file,
 *   because closing checkpoints the WAL into the main file and deletes it: from then on only
 *   the file's bytes can prove which state it is in;
 * - by restore, with the hash of the file it just built.
 *
 * - with `unshippedSince` when the file also holds commits made after `position` that the
 *   replica lacks: written when such commits are noticed while this instance is not replicating
 *   (waiting for the lease, fenced, a final sync that failed) and at stop (replication-manager.ts).
 *   It says "ahead of `position`", so a replica that moved past `position` since has diverged
 *   from this file (local-vs-replica.ts keeps both). The replicator's next record drops it: by
 *   then those commits are in the store.
 *
 * The file is replaced atomically (write, rename) but not fsynced: after a process crash the
 * rename is visible; after a power cut an older sidecar may come back, which only ever claims
 * less, so the worst case is restoring from the replica what the disk also had.
 */
export interface LocalReplicaState {
    db: string;
    generation: string;
    sequence: number;
    position: WalPosition;
    /** SHA-256 (hex) of the main file, when taken with no WAL beside it. */
    mainFileSha256?: string;
    /** Since when (ISO) the file is known to hold commits after `position` that were never shipped. */
    unshippedSince?: string;
    savedAt: string;
}

export function localStatePath(dbPath: string): string {
    return `${dbPath}-replica.json`;
}

export function saveLocalState(dbPath: string, state: Omit<LocalReplicaState, 'savedAt'>): void {
    const file = localStatePath(dbPath);
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify({ ...state, savedAt: new Date().toISOString() }));
    fs.renameSync(temp, file);
}

export function readLocalState(dbPath: string): LocalReplicaState | undefined {
    try {
        return JSON.parse(fs.readFileSync(localStatePath(dbPath), 'utf8')) as LocalReplicaState;
    } catch {
        return undefined;
    }
}

export async function sha256File(file: string): Promise<string> {
    const hash = crypto.createHash('sha256');
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
        hash.update(chunk as Buffer);
    }
    return hash.digest('hex');
}

/** True when there is no WAL with frames beside the database (absent, empty, or header only). */
export function walIsEmpty(dbPath: string): boolean {
    try {
        return fs.statSync(`${dbPath}-wal`).size <= 32;
    } catch {
        return true;
    }
}

/**
 * Identifies the WAL's current contents cheaply (size and modification time; 'none' without a
 * WAL). While no replicator runs nobody checkpoints (the cluster handed that role to
 * replication), so any commit changes it: a changed fingerprint means local commits.
 */
export function walFingerprint(dbPath: string): string {
    try {
        const stat = fs.statSync(`${dbPath}-wal`);
        return `${stat.size}:${stat.mtimeMs}`;
    } catch {
        return 'none';
    }
}

/**
 * Records that the file holds commits after `base` the replica lacks, keeping what the sidecar
 * proves: its main-file hash stays when it records this very position (nobody checkpointed since,
 * so the main file is unchanged), and the WAL proves the rest.
 */
export function markUnshipped(dbPath: string, base: Omit<LocalReplicaState, 'savedAt' | 'mainFileSha256' | 'unshippedSince'>, since: string): void {
    const recorded = readLocalState(dbPath);
    const samePlace = recorded && recorded.generation === base.generation && recorded.sequence === base.sequence && JSON.stringify(recorded.position) === JSON.stringify(base.position);
    saveLocalState(dbPath, { ...base, mainFileSha256: samePlace ? recorded.mainFileSha256 : undefined, unshippedSince: since });
}

/**
 * After every connection to the database closed: record the main file's hash with the state the
 * replicator reached, so the next start can prove the file is that state (or newer) without a WAL.
 * With frames still in a WAL, the replicator's last record stays: the WAL itself proves it.
 */
export async function sealLocalState(dbPath: string, state: Omit<LocalReplicaState, 'savedAt' | 'mainFileSha256'>): Promise<void> {
    if (!fs.existsSync(dbPath) || !walIsEmpty(dbPath)) {
        return;
    }
    saveLocalState(dbPath, { ...state, mainFileSha256: await sha256File(dbPath) });
}
