import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { listGenerations } from './generation';
import { resolveReplicationConfig } from './replication-config';
import { ReplicationManager } from './replication-manager';
import { restoreDatabase } from './restore';

describe('scheduled snapshots', () => {
    let root: string;
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshots-')));
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('start new generations on their interval and keep only the newest ones', async () => {
        const dbPath = path.join(root, 'metrics.db');
        const app = new Database(dbPath);
        app.pragma('journal_mode = WAL');
        app.pragma('wal_autocheckpoint = 0');
        app.exec('CREATE TABLE t (x)');
        const store = new DirectoryObjectStore(path.join(root, 'replica'));
        const manager = new ReplicationManager({ store, databases: [{ name: 'metrics', path: dbPath }], syncIntervalMs: 50, snapshotIntervalMs: 150, retainGenerations: 2, keepDays: 0 });
        await manager.start();
        let stopped = false;
        try {
            const seen = new Set<string>();
            const deadline = Date.now() + 20_000;
            while (seen.size < 3 && Date.now() < deadline) {
                app.prepare('INSERT INTO t VALUES (?)').run(Date.now());
                (await listGenerations(store, 'metrics')).forEach(g => seen.add(g.generation));
                await new Promise(resolve => setTimeout(resolve, 50));
            }
            assert.ok(seen.size >= 3, `at least three generations came and went (saw ${seen.size})`);
            // Stopping waits for a snapshot under way and its retention: then the count is settled.
            await manager.stop();
            stopped = true;
            const kept = await listGenerations(store, 'metrics');
            assert.ok(kept.length <= 2, `no more than the two newest are kept (${kept.length} are)`);
        } finally {
            if (!stopped) {
                await manager.stop();
            }
            app.close();
        }
    });

    it('start a new generation once a chain reaches the segment limit, so a restore reads a bounded chain that loses nothing', async () => {
        const dbPath = path.join(root, 'tasks.db');
        const app = new Database(dbPath);
        app.pragma('journal_mode = WAL');
        app.pragma('wal_autocheckpoint = 0');
        app.exec('CREATE TABLE t (x)');
        const store = new DirectoryObjectStore(path.join(root, 'replica'));
        const manager = new ReplicationManager({ store, databases: [{ name: 'tasks', path: dbPath }], syncIntervalMs: 3_600_000, replicator: { maxSegments: 3 } });
        await manager.start();
        try {
            for (let i = 0; i < 8; i++) {
                app.prepare('INSERT INTO t VALUES (?)').run(i);
                await manager.waitForDurable('tasks');
            }
            const generations = await listGenerations(store, 'tasks');
            assert.ok(generations.length >= 3, `8 commits at 3 segments a chain make at least three generations (${generations.length})`);
            assert.ok(generations.every(g => g.snapshot && g.segments.length <= 3), JSON.stringify(generations.map(g => [g.generation, g.segments.length])));
            const restored = await restoreDatabase({ store, db: 'tasks', targetPath: path.join(root, 'check', 'tasks.db') });
            assert.ok(restored.segments <= 3);
            const check = new Database(path.join(root, 'check', 'tasks.db'), { readonly: true });
            assert.deepEqual(check.prepare('SELECT x FROM t ORDER BY x').pluck().all(), [0, 1, 2, 3, 4, 5, 6, 7]);
            check.close();
        } finally {
            await manager.stop();
            app.close();
        }
    });

    it('are configured from the environment, and refuse nonsense', () => {
        const config = resolveReplicationConfig(root, { STUDIO_SNAPSHOT_INTERVAL_MS: '3600000', STUDIO_REPLICA_KEEP_GENERATIONS: '5' });
        assert.equal(config.snapshotIntervalMs, 3_600_000);
        assert.equal(config.retainGenerations, 5);
        assert.equal(resolveReplicationConfig(root, {}).snapshotIntervalMs, 24 * 60 * 60_000);
        assert.equal(resolveReplicationConfig(root, {}).maxSegments, 1000);
        assert.equal(resolveReplicationConfig(root, { STUDIO_REPLICA_MAX_SEGMENTS: '50' }).maxSegments, 50);
        assert.throws(() => resolveReplicationConfig(root, { STUDIO_REPLICA_KEEP_GENERATIONS: 'all' }), /STUDIO_REPLICA_KEEP_GENERATIONS="all" must be a positive number/);
    });
});
