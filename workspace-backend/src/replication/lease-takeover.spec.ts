import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GcsTestServer } from '@coditect/gcs-test-server';
import { assessReadiness } from '../health/readiness';
import type { ComponentHealth, WorkspaceHealth } from '../health/workspace-health';
import type { ObjectStore } from '../object-store/object-store';
import { ReplicaLease } from './lease';
import { openReplicaStore, resolveReplicationConfig } from './replication-config';
import { replicationHealth } from './replication-health';
import { ReplicationManager, ReplicationStatus } from './replication-manager';
import { restoreDatabase } from './restore';
import { Instance, writtenIds as ids } from './test-support/instance-driver';


/** A health report with one open database and the given replication component, for readiness. */
const healthWith = (replication: ComponentHealth): WorkspaceHealth => ({
    status: 'degraded', version: 'test', startedAt: new Date().toISOString(), workspaceDir: '', dataDir: '',
    components: [{ id: 'db:metrics', label: 'Database metrics', status: 'ok', detail: 'open' }, replication],
});

/** Resolves on the first state change after which `match(status)` holds (or at once if it holds now). */
const whenStatus = (manager: ReplicationManager, match: (s: ReplicationStatus) => boolean): Promise<ReplicationStatus> =>
    new Promise(resolve => {
        if (match(manager.status())) {
            return resolve(manager.status());
        }
        const listener = manager.onStateChanged(() => {
            if (match(manager.status())) {
                listener.dispose();
                resolve(manager.status());
            }
        });
    });

for (const kind of ['directory', 'gcs'] as const) {
    /**
     * A backend SIGKILLed while holding the replica lease, then started again: the new one takes the
     * lease over by itself (at once when the holder is provably its own dead predecessor, after the
     * expiry otherwise), says so in health meanwhile, and never writes beside a live holder.
     */
    describe(`replica lease takeover after SIGKILL (child processes, ${kind} store)`, function () {
        this.timeout(120_000);
        let root: string;
        let dataDir: string;
        let server: GcsTestServer | undefined;
        let env: Record<string, string>;
        let store: ObjectStore;
        const open: { manager?: ReplicationManager; app?: Database.Database; instances: Instance[] } = { instances: [] };

        beforeEach(async () => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), 'lease-takeover-'));
            dataDir = path.join(root, 'data');
            env = { INSTANCE_DATA_DIR: dataDir };
            if (kind === 'gcs') {
                server = new GcsTestServer();
                const { url } = await server.start();
                env = { ...env, STUDIO_REPLICA_URL: 'gs://replica/ws/1', STUDIO_GCS_API_ENDPOINT: url };
            } else {
                env = { ...env, STUDIO_REPLICA_URL: pathToFileURL(path.join(root, 'replica')).href };
            }
            store = openReplicaStore(resolveReplicationConfig(dataDir, env))!;
        });
        afterEach(async () => {
            await Promise.all(open.instances.splice(0).map(i => i.kill()));
            await open.manager?.stop().catch(() => undefined);
            open.app?.close();
            open.manager = open.app = undefined;
            await server?.stop();
            server = undefined;
            fs.rmSync(root, { recursive: true, force: true });
        });

        const instance = (extra: Record<string, string>) => {
            const started = new Instance({ ...env, ...extra });
            open.instances.push(started);
            return started;
        };
        /** The successor, in this process: restore if needed, open the database, then start waiting for the lease. */
        const successor = async (host: string) => {
            const dbPath = path.join(dataDir, 'metrics.db');
            const logs: string[] = [];
            const manager = open.manager = new ReplicationManager({ store, databases: [{ name: 'metrics', path: dbPath }], syncIntervalMs: 50, leaseTtlMs: 3000, leaseHost: host, log: m => logs.push(m) });
            await manager.restoreIfNeeded();
            const app = open.app = new Database(dbPath);
            app.pragma('journal_mode = WAL');
            app.pragma('wal_autocheckpoint = 0');
            return { manager, app, dbPath, logs };
        };

        it('another host waits, says whom for in health (unready), and takes over after the expiry without a restart', async () => {
            const first = instance({ INSTANCE_HOST: 'host-a', INSTANCE_LEASE_TTL_MS: '3000', INSTANCE_DURABLE: '1' });
            await first.waitFor(m => m.ack === 20, '20 durable acknowledgements');
            await first.kill();
            const held = (await new ReplicaLease(store).read())!.record;
            assert.equal(held.host, 'host-a');
            assert.equal(held.pid, first.pid);

            const { manager, app, dbPath } = await successor('host-b');
            let tookOverAt: number | undefined;
            manager.onStateChanged(() => tookOverAt ??= manager.status().waitingForLease ? undefined : Date.now());
            assert.equal(await manager.start({ waitForLease: true }), 'waiting');
            const waiting = replicationHealth(manager.status());
            assert.equal(waiting.status, 'degraded');
            assert.match(waiting.detail, new RegExp(`^Waiting for the replica lease held by ${held.owner} \\(host host-a, pid ${first.pid}\\) to expire in \\d+ s`));
            const readiness = assessReadiness(healthWith(waiting), { maxReplicationLagMs: 600_000 });
            assert.equal(readiness.ready, false);
            assert.match(readiness.problems.join('\n'), /Replication is not running yet: Waiting for the replica lease held by/);
            // The successor serves writes meanwhile; they are shipped once the lease is ours.
            app.prepare('INSERT INTO t (id, v) VALUES (?, ?)').run(1_000_000, 'written while waiting');

            await manager.started();
            const status = manager.status();
            assert.equal(status.waitingForLease, undefined);
            assert.equal(status.databases.length, 1, 'replication started by itself');
            assert.ok(tookOverAt !== undefined && tookOverAt >= Date.parse(held.expiresAt), 'the lease was taken only after it expired');
            assert.equal((await new ReplicaLease(store).read())!.record.owner, manager.lease.owner);
            await manager.waitForDurable('metrics');
            const ready = replicationHealth(manager.status());
            assert.equal(ready.status, 'ok', ready.detail);
            assert.equal(assessReadiness(healthWith(ready), { maxReplicationLagMs: 600_000 }).ready, true);

            const restored = path.join(root, 'restored', 'metrics.db');
            await restoreDatabase({ store, db: 'metrics', targetPath: restored });
            const got = ids(restored);
            assert.deepEqual([...first.acked, 1_000_000].filter(id => !got.has(id)), [], 'every acknowledged row, and the row written while waiting, is in the replica');
            assert.ok(ids(dbPath).has(1_000_000));
        });

        it('the same host takes over at once when the holder is our dead predecessor', async () => {
            const first = instance({ INSTANCE_HOST: 'host-a', INSTANCE_LEASE_TTL_MS: '600000', INSTANCE_DURABLE: '1' });
            await first.waitFor(m => m.ack === 5, '5 durable acknowledgements');
            await first.kill();
            const held = (await new ReplicaLease(store).read())!.record;
            assert.ok(Date.parse(held.expiresAt) > Date.now() + 60_000, 'the dead holder\'s lease is far from expiring');

            const { manager, logs } = await successor('host-a');
            assert.equal(await manager.start({ waitForLease: true }), 'started');
            assert.equal((await new ReplicaLease(store).read())!.record.owner, manager.lease.owner);
            assert.match(logs.join('\n'), new RegExp(`took over the replica lease of our dead predecessor ${held.owner} \\(host host-a, pid ${first.pid}\\)`));
            await manager.waitForDurable('metrics');
        });

        it('a live holder on the same host keeps us waiting (never two writers), and its clean stop hands the lease over', async () => {
            const first = instance({ INSTANCE_HOST: 'host-a', INSTANCE_LEASE_TTL_MS: '1500', INSTANCE_DURABLE: '1' });
            await first.waitFor(m => m.ack === 5, '5 durable acknowledgements');
            const { manager } = await successor('host-a');
            assert.equal(await manager.start({ waitForLease: true }), 'waiting');
            const firstExpiry = Date.parse(manager.status().waitingForLease!.holder!.expiresAt);
            // Wait until the holder has renewed past the expiry we first saw: we are still waiting.
            const later = await whenStatus(manager, s => s.waitingForLease?.holder !== undefined && Date.parse(s.waitingForLease.holder.expiresAt) > firstExpiry);
            assert.equal(later.waitingForLease!.holder!.pid, first.pid);
            assert.equal(later.databases.length, 0, 'nothing replicates beside the live holder');
            const acked = first.acked.length;
            await first.waitFor(m => m.ack === first.acked[acked - 1] + 3, 'the holder still acknowledging durable writes');

            await first.stop();
            await manager.started();
            assert.equal(manager.status().waitingForLease, undefined);
            assert.equal(manager.status().databases.length, 1);
            await manager.waitForDurable('metrics');
        });
    });
}
