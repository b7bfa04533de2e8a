/**
 * Writer child for the crash, fault and fencing specs: writes rows, asks for durable
 * acknowledgements, and reports each acknowledged row to the parent over IPC (messages:
 * writer-process.ts). The replica store comes from the environment as in the studio
 * (STUDIO_REPLICA_URL, STUDIO_GCS_API_ENDPOINT): a directory or GCS.
 *
 * - CRASH_POINT / CRASH_AT: SIGKILL itself at a named point on its CRASH_AT-th occurrence;
 *   otherwise the parent kills it at a moment of its choosing.
 * - CRASH_DURABLE=0: report rows as written without waiting; SIGTERM then stops writing, runs
 *   the final sync, and exits.
 * - CRASH_FIRST_ID: the first row id (two writers keep apart); CRASH_LEASE_TTL_MS: the lease TTL.
 * - CRASH_RESTORE=1: restore from the replica first, as a new pod does; a lease held by
 *   another instance is waited for (reported as `leaseBusy`).
 * - CRASH_WAIT_FOR_GO=1: once loaded, report `ready` and wait for the parent's `go` before the
 *   restore and the lease: a spec can start the process early, so its start-up (seconds on a
 *   loaded machine) does not fall into a window the spec times, such as a lease's remaining life.
 * - CRASH_FREEZE_AFTER_ACK=N: after the N-th acknowledgement, SIGSTOP itself: a pause at a
 *   point with no upload of ours in flight, so everything it may send after SIGCONT is decided
 *   after the pause.
 *
 * A durable wait that fails because the store is failing is retried for the same row (it is
 * committed locally); a FencedError ends the writing: it is reported and the child exits.
 */
import Database from 'better-sqlite3';
import { ObjectStore, PutOptions } from '../../object-store/object-store';
import { FencedError } from '../lease';
import { ReplicationManager } from '../replication-manager';
import { openTestReplicaStore } from './test-replica-store';
import type { WriterMessage } from './writer-process';

const dbPath = process.env.CRASH_DB!;
const point = process.env.CRASH_POINT ?? '';
const at = Number(process.env.CRASH_AT ?? '1');
const durable = process.env.CRASH_DURABLE !== '0';
const syncIntervalMs = Number(process.env.CRASH_SYNC_MS ?? '20');
const firstId = Number(process.env.CRASH_FIRST_ID ?? '1');
const freezeAfter = Number(process.env.CRASH_FREEZE_AFTER_ACK ?? '0');
let seen = 0;

const crash = (name: string) => {
    if (name === point && ++seen >= at) {
        process.kill(process.pid, 'SIGKILL');
    }
};

const send = (message: WriterMessage) => new Promise<void>(resolve => process.send!(message, () => resolve()));

/** Dies while a segment upload is in flight: the put has started, the store has not answered. */
function crashingMidUpload(store: ObjectStore): ObjectStore {
    const put = store.put.bind(store);
    store.put = (key: string, data: Buffer, options?: PutOptions) => {
        const result = put(key, data, options);
        if (key.endsWith('.segment')) {
            setImmediate(() => crash('mid-upload'));
        }
        return result;
    };
    return store;
}

async function startReplication(manager: ReplicationManager): Promise<void> {
    if (process.env.CRASH_WAIT_FOR_GO === '1') {
        const go = new Promise<void>(resolve => process.once('message', () => resolve()));
        await send({ ready: true });
        await go;
    }
    if (process.env.CRASH_RESTORE === '1') {
        await manager.restoreIfNeeded();
    }
    for (;;) {
        try {
            await manager.start();
            break;
        } catch (error) {
            if (!(error instanceof FencedError)) {
                throw error;
            }
            await send({ leaseBusy: error.message });
            await new Promise(resolve => setTimeout(resolve, 100));
        }
    }
    await send({ started: { owner: manager.lease.owner, pid: process.pid, at: Date.now() } });
}

/** Waits until `id` is durable; false once fenced (reported). */
async function acknowledge(manager: ReplicationManager, id: number): Promise<boolean> {
    for (;;) {
        try {
            await manager.waitForDurable('main');
            await send({ ack: id });
            return true;
        } catch (error) {
            if (error instanceof FencedError) {
                await send({ fenced: error.message });
                return false;
            }
            await send({ refused: (error as Error).message });
            await new Promise(resolve => setTimeout(resolve, 50));
        }
    }
}

async function main(): Promise<void> {
    const manager = new ReplicationManager({
        store: crashingMidUpload(openTestReplicaStore()),
        databases: [{ name: 'main', path: dbPath }],
        syncIntervalMs,
        leaseTtlMs: Number(process.env.CRASH_LEASE_TTL_MS ?? '2000'),
        replicator: { checkpointFrames: 30, crashPoint: crash },
    });
    const open = () => {
        const conn = new Database(dbPath);
        conn.pragma('journal_mode = WAL');
        conn.pragma('wal_autocheckpoint = 0');
        conn.pragma('busy_timeout = 5000');
        conn.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)');
        return conn;
    };
    // A restore replaces the file: open it after that, and before replication otherwise.
    let db = process.env.CRASH_RESTORE === '1' ? undefined : open();
    await startReplication(manager);
    db ??= open();
    let stopping = false;
    process.on('SIGTERM', () => {
        stopping = true;
    });
    const insert = db.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    for (let id = firstId; !stopping; id++) {
        insert.run(id, `row ${id} ${'x'.repeat(id % 5 === 0 ? 3000 : 100)}`);
        if (durable) {
            if (!(await acknowledge(manager, id))) {
                break;
            }
        } else {
            await send({ wrote: id });
            await new Promise(resolve => setTimeout(resolve, 2));
        }
        if (id % 25 === 0) {
            const fenced = await manager.snapshot().then(() => false, async error => {
                await send(error instanceof FencedError ? { fenced: error.message } : { refused: `snapshot: ${(error as Error).message}` });
                return error instanceof FencedError;
            });
            if (fenced) {
                break;
            }
        }
        if (freezeAfter && id - firstId + 1 === freezeAfter) {
            await send({ frozen: true });
            process.kill(process.pid, 'SIGSTOP');
        }
    }
    await manager.stop().catch(error => process.stderr.write(`crash-child: stop: ${(error as Error).message}\n`));
    db.close();
    await send({ stopped: true });
    process.exit(0);
}

main().catch(error => {
    process.stderr.write(`crash-child: ${(error as Error).stack}\n`);
    process.exit(3);
});
