import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GCS_BUCKET, makeReplicaStore } from '@coditect/workspace-backend/test-support';
import { checkAckedWrites } from './acked-writes-check';
import { SoakChildProcess } from './soak-child-process';
import type { AckedWrite } from './soak-protocol';

export interface SoakOptions {
    /** Kills (each followed by a restart and a check); every second one deletes the data folder first. */
    readonly rounds: number;
    /** Each child is killed after a random number of acknowledged writes in [minAcks, maxAcks] (4 writes per loop: task, budget, chat, cost). */
    readonly minAcks?: number;
    readonly maxAcks?: number;
    /** Acknowledged writes timed in the `async` phase after its warm-up loop (0: no async phase). */
    readonly asyncAcks?: number;
    /** Raw better-sqlite3 commits timed as the baseline (0: none). */
    readonly rawCommits?: number;
    readonly log?: (message: string) => void;
}

/** An acknowledged write that a restart did not give back, with the context to chase it. */
export interface LostWrite {
    readonly round: number;
    readonly wiped: boolean;
    readonly write: AckedWrite;
    readonly found: string;
    /** The killed child's last acknowledgements. */
    readonly lastAcks: readonly AckedWrite[];
}

export interface SoakReport {
    readonly rounds: number;
    readonly wipedRounds: number;
    /** What each restart after a deleted data folder restored to (replication health's `restoredAtStart`): a restore point, all six together. */
    readonly wipedRestores: readonly (string | null)[];
    readonly ackedWrites: number;
    readonly lost: readonly LostWrite[];
    readonly integrityFailures: readonly { readonly round: number; readonly database: string; readonly result: string }[];
    /** Acknowledgements refused (NotDurableError): committed, never counted as acknowledged. */
    readonly refused: number;
    readonly walMaxBytes: number;
    /** Spawn to the child's `started` (core started: restored, replicating), per restart, with the data folder kept and deleted. */
    readonly restartKeptMs: readonly number[];
    readonly restartWipedMs: readonly number[];
    /** The child's own `core.start()` duration, per restart. */
    readonly coreStartMs: readonly number[];
    /** Write plus acknowledgement, `ack` mode. */
    readonly ackLatencyMs: readonly number[];
    /** The same in `async` mode (after a warm-up loop: before its first sync a database's lag is unknown and counts as past the bound). */
    readonly asyncLatencyMs: readonly number[];
    readonly rawCommitMs: readonly number[];
}

const WritesPerLoop = 4;
const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** A child that has started its core (restore included); it writes only after `go()`. */
async function startChild(env: Record<string, string>, what: string): Promise<SoakChildProcess> {
    const child = new SoakChildProcess(env);
    await child.until(() => child.message('started') !== undefined, what);
    if (!child.message('started')!.replicating) {
        await child.kill();
        throw new Error(`The soak child's core started without replication running, so ack mode cannot acknowledge anything; ${child.describe()}`);
    }
    return child;
}

/** Raw better-sqlite3 single-row commits with the pragmas of tasks.db (WAL, synchronous FULL): the baseline. */
function rawCommits(file: string, count: number): number[] {
    const db = new Database(file);
    try {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)');
        const insert = db.prepare('INSERT INTO t (payload) VALUES (?)');
        return Array.from({ length: count }, (_, i) => {
            const t = performance.now();
            insert.run(`raw ${i}`);
            return performance.now() - t;
        });
    } finally {
        db.close();
    }
}

/** The `async` phase: a fresh workspace on its own replica prefix; the writes after the first loop are timed. */
async function asyncLatencies(dir: string, replicaEnv: Record<string, string>, count: number): Promise<number[]> {
    const child = await startChild({
        ...replicaEnv, STUDIO_REPLICA_URL: `gs://${GCS_BUCKET}/async`, STUDIO_DURABILITY: 'async', STUDIO_FILE_SYNC: 'off',
        SOAK_DATA_DIR: path.join(dir, 'async', 'data'), SOAK_WORKSPACE_DIR: path.join(dir, 'async', 'ws'), SOAK_SEQ_BASE: '1',
    }, 'the async core started');
    try {
        child.go();
        await child.until(() => child.acks.length >= WritesPerLoop + count, `${count} async acknowledgements`);
    } finally {
        await child.kill();
    }
    return child.acks.slice(WritesPerLoop).map(a => a.latencyMs);
}

/**
 * The soak: a real workspace core in a child process writes through its own write paths in `ack`
 * mode against the GCS test server (the real client); the parent SIGKILLs it after a random
 * number of acknowledgements, deletes the data folder every second round, and restarts it. Once
 * the restarted core has started (restoring from the replica when the folder is gone) and before
 * it writes again, every write acknowledged so far must be there with its value, and all six
 * databases must pass `integrity_check`. Every wait is on the child's messages or its exit.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
    const log = options.log ?? (() => undefined);
    const minAcks = options.minAcks ?? WritesPerLoop;
    const maxAcks = options.maxAcks ?? 10 * WritesPerLoop;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-'));
    const replica = await makeReplicaStore('gcs', dir);
    const dataDir = path.join(dir, 'data');
    const envOf = (round: number) => ({
        ...replica.env, STUDIO_DURABILITY: 'ack', STUDIO_FILE_SYNC: 'off',
        SOAK_DATA_DIR: dataDir, SOAK_WORKSPACE_DIR: path.join(dir, 'ws'), SOAK_SEQ_BASE: String(round * 1_000_000 + 1),
    });
    const acked: AckedWrite[] = [];
    const lost: LostWrite[] = [];
    const integrityFailures: { round: number; database: string; result: string }[] = [];
    const restartKeptMs: number[] = [];
    const restartWipedMs: number[] = [];
    const wipedRestores: (string | null)[] = [];
    const coreStartMs: number[] = [];
    const ackLatencyMs: number[] = [];
    let refused = 0;
    let walMaxBytes = 0;
    let child: SoakChildProcess | undefined;
    try {
        child = await startChild(envOf(0), 'the first core started');
        child.go();
        for (let round = 1; round <= options.rounds; round++) {
            const target = randomInt(minAcks, maxAcks);
            const current: SoakChildProcess = child;
            await current.until(() => current.acks.length >= target, `${target} acknowledgements`);
            // A random moment within the write under way or the next few.
            await new Promise(resolve => setTimeout(resolve, Math.random() * 20));
            await current.kill();
            const acks = current.acks;
            acked.push(...acks.map(a => a.write));
            ackLatencyMs.push(...acks.map(a => a.latencyMs));
            walMaxBytes = Math.max(walMaxBytes, ...acks.map(a => a.walBytes));
            refused += current.messages.filter(m => m.refused).length;
            const wiped = round % 2 === 0;
            if (wiped) {
                fs.rmSync(dataDir, { recursive: true, force: true });
            }
            child = await startChild(envOf(round), `the core restarted after round ${round}`);
            (wiped ? restartWipedMs : restartKeptMs).push(child.startedAt! - child.spawnedAt);
            if (wiped) {
                wipedRestores.push(child.message('started')!.restoredAtStart);
            }
            coreStartMs.push(child.message('started')!.startMs);
            const check = checkAckedWrites(dataDir, acked);
            walMaxBytes = Math.max(walMaxBytes, check.walBytes);
            const lastAcks = acks.slice(-3).map(a => a.write);
            lost.push(...check.lost.map(l => ({ round, wiped, write: l.write, found: l.found, lastAcks })));
            integrityFailures.push(...check.integrityFailures.map(f => ({ round, ...f })));
            log(`round ${round}/${options.rounds}: killed after ${acks.length} acknowledgements${wiped ? ', data folder deleted' : ''}; ` +
                `restarted in ${(child.startedAt! - child.spawnedAt).toFixed(0)} ms (core.start ${child.message('started')!.startMs.toFixed(0)} ms); ` +
                `${acked.length} acknowledged so far, ${check.lost.length} lost, ${check.integrityFailures.length} integrity failures`);
            if (round < options.rounds) {
                child.go();
            }
        }
        await child.kill();
        child = undefined;
        const asyncLatencyMs = options.asyncAcks ? await asyncLatencies(dir, replica.env, options.asyncAcks) : [];
        const rawCommitMs = options.rawCommits ? rawCommits(path.join(dir, 'raw.db'), options.rawCommits) : [];
        return {
            rounds: options.rounds, wipedRounds: restartWipedMs.length, wipedRestores, ackedWrites: acked.length, lost, integrityFailures, refused, walMaxBytes,
            restartKeptMs, restartWipedMs, coreStartMs, ackLatencyMs, asyncLatencyMs, rawCommitMs,
        };
    } finally {
        await child?.kill();
        await replica.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
