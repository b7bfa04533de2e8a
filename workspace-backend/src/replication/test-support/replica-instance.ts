/**
 * Child process for the lease-takeover and divergence specs: one workspace instance on one data
 * directory, as the core runs it (judge and restore, open the database, start replication
 * waiting for the lease, write, stop, seal), with only the `metrics` database.
 *
 * Environment: INSTANCE_DATA_DIR, STUDIO_REPLICA_URL (file:// or gs://, with
 * STUDIO_GCS_API_ENDPOINT), INSTANCE_HOST (the host name the lease records),
 * INSTANCE_LEASE_TTL_MS, INSTANCE_FIRST_ID and INSTANCE_ROWS (how many rows to write; 0: none;
 * absent: until stopped), INSTANCE_DURABLE=1 (acknowledge a row once it is in the replica;
 * otherwise once committed locally, the way the studio answers an ordinary write).
 *
 * Messages to the parent: {opened, ids, status}, {started}, {state} on every replication state
 * change, {ack: id}, {wroteAll}, {startFailed}, {log}, and {stopped} after SIGTERM's clean stop.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openReplicaStore, resolveReplicationConfig } from '../replication-config';
import { ReplicationManager } from '../replication-manager';

const dataDir = process.env.INSTANCE_DATA_DIR!;
const dbPath = path.join(dataDir, 'metrics.db');
const firstId = Number(process.env.INSTANCE_FIRST_ID ?? '1');
const rows = process.env.INSTANCE_ROWS === undefined ? Infinity : Number(process.env.INSTANCE_ROWS);
const durable = process.env.INSTANCE_DURABLE === '1';
const send = (message: object) => process.send!(message);

async function main(): Promise<void> {
    const manager = new ReplicationManager({
        store: openReplicaStore(resolveReplicationConfig(dataDir))!,
        databases: [{ name: 'metrics', path: dbPath }],
        syncIntervalMs: 50,
        leaseTtlMs: Number(process.env.INSTANCE_LEASE_TTL_MS ?? '30000'),
        leaseHost: process.env.INSTANCE_HOST,
        log: message => send({ log: message }),
    });
    let stopping = false;
    let stopped: () => void = () => undefined;
    // Replication's timers do not keep a process alive; a studio's server does, this does here.
    const alive = setInterval(() => undefined, 1 << 30);
    const stop = new Promise<void>(resolve => stopped = resolve);
    process.on('SIGTERM', () => {
        stopping = true;
        stopped();
    });
    fs.mkdirSync(dataDir, { recursive: true });
    await manager.restoreIfNeeded();
    const app = new Database(dbPath);
    app.pragma('journal_mode = WAL');
    app.pragma('wal_autocheckpoint = 0');
    app.pragma('busy_timeout = 5000');
    app.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)');
    const ids = (app.prepare('SELECT id FROM t ORDER BY id').all() as { id: number }[]).map(r => r.id);
    send({ opened: true, ids, status: manager.status() });
    manager.onStateChanged(() => send({ state: manager.status() }));
    try {
        send({ started: await manager.start({ waitForLease: true }), status: manager.status() });
    } catch (error) {
        // What an instance does when replication does not start: it serves its local databases.
        send({ startFailed: (error as Error).message });
    }
    const insert = app.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    for (let id = firstId; id < firstId + rows && !stopping; id++) {
        insert.run(id, `row ${id} ${'x'.repeat(id % 7 === 0 ? 2000 : 80)}`);
        if (durable) {
            await manager.waitForDurable('metrics');
        } else if (id % 50 === 0) {
            await new Promise(resolve => setImmediate(resolve));
        }
        send({ ack: id });
    }
    send({ wroteAll: true });
    await stop;
    await manager.stop().catch(error => send({ log: `stop: ${(error as Error).message}` }));
    app.close();
    await manager.sealLocalState();
    clearInterval(alive);
    process.send!({ stopped: true, status: manager.status() }, () => process.exit(0));
}

main().catch(error => {
    process.stderr.write(`replica-instance: ${(error as Error).stack}\n`);
    process.exit(3);
});
