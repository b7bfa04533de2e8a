import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ObjectStore } from '../object-store/object-store';
import { DatabaseReplicator } from './database-replicator';
import { listGenerations } from './generation';
import { FencedError, ReplicaLease } from './lease';
import { restoreDatabase } from './restore';
import { makeReplicaStore, REPLICA_STORE_KINDS, ReplicaStoreFixture } from './test-support/replica-store-fixtures';

/** Replicate a real database through a workload, restore it elsewhere, compare; on each kind of store. */
for (const kind of REPLICA_STORE_KINDS) describe(`DatabaseReplicator + restoreDatabase, ${kind} store`, () => {
    let dir: string;
    let replica: ReplicaStoreFixture;
    let store: ObjectStore;
    let app: Database.Database;
    let dbPath: string;
    let replicator: DatabaseReplicator;

    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repl-'));
        replica = await makeReplicaStore(kind, dir);
        store = replica.store;
        dbPath = path.join(dir, 'data', 'main.db');
        fs.mkdirSync(path.dirname(dbPath), { recursive: true });
        app = new Database(dbPath);
        app.pragma('journal_mode = WAL');
        app.pragma('wal_autocheckpoint = 0');
        app.pragma('busy_timeout = 5000');
        app.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    });
    afterEach(async () => {
        await replicator?.stop().catch(() => undefined);
        app.close();
        await replica.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const dump = (db: Database.Database) => JSON.stringify(db.prepare('SELECT * FROM t ORDER BY id').all()) + JSON.stringify(db.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").all());
    const restoreAndDump = async () => {
        const target = path.join(dir, `restored-${Math.random()}.db`);
        const result = await restoreDatabase({ store, db: 'main', targetPath: target });
        const db = new Database(target, { readonly: true });
        try {
            return { dump: dump(db), result };
        } finally {
            db.close();
        }
    };

    it('a random workload with VACUUM, schema changes, big transactions and checkpoints restores equal', async function () {
        this.timeout(60_000);
        replicator = new DatabaseReplicator({ name: 'main', path: dbPath, store, syncIntervalMs: 50, checkpointFrames: 40 });
        await replicator.start();
        const insert = app.prepare('INSERT INTO t (v) VALUES (?)');
        for (let round = 0; round < 30; round++) {
            const n = 1 + Math.floor(Math.random() * (round % 7 === 0 ? 400 : 10));
            app.transaction(() => { for (let i = 0; i < n; i++) insert.run(`r${round}-${i}-${'x'.repeat(Math.floor(Math.random() * 300))}`); })();
            if (round === 10) app.exec('DELETE FROM t WHERE id % 3 = 0; VACUUM;');
            if (round === 15) app.exec('CREATE TABLE extra (k TEXT PRIMARY KEY, n INTEGER); CREATE INDEX t_v ON t (v);');
            if (round === 20) app.exec('DROP INDEX t_v; DELETE FROM t WHERE id > 100; VACUUM;');
            if (round % 4 === 0) await replicator.waitForDurable();
            const { dump: restored } = await restoreAndDump().catch(() => ({ dump: '' }));
            if (round % 4 === 0) assert.equal(restored, dump(app), `round ${round}: the acknowledged state restores`);
        }
        await replicator.waitForDurable();
        const { dump: restored, result } = await restoreAndDump();
        assert.equal(restored, dump(app));
        assert.ok(result.segments > 0);
        const status = replicator.status();
        assert.ok(status.lastSyncAt && status.lagMs !== undefined && status.generation);
    });

    it('resumes the same generation after a restart with the disk kept', async () => {
        replicator = new DatabaseReplicator({ name: 'main', path: dbPath, store, syncIntervalMs: 60_000 });
        await replicator.start();
        app.prepare('INSERT INTO t (v) VALUES (?)').run('a');
        await replicator.waitForDurable();
        const generation = replicator.status().generation;
        await replicator.stop();
        app.prepare('INSERT INTO t (v) VALUES (?)').run('b');
        replicator = new DatabaseReplicator({ name: 'main', path: dbPath, store, syncIntervalMs: 60_000 });
        await replicator.start();
        await replicator.waitForDurable();
        assert.equal(replicator.status().generation, generation);
        assert.equal((await restoreAndDump()).dump, dump(app));
    });

    it('a rogue checkpoint while we were away starts a new generation, and restore still matches', async () => {
        replicator = new DatabaseReplicator({ name: 'main', path: dbPath, store, syncIntervalMs: 60_000 });
        await replicator.start();
        app.prepare('INSERT INTO t (v) VALUES (?)').run('a');
        await replicator.waitForDurable();
        const first = replicator.status().generation;
        await replicator.stop();
        app.prepare('INSERT INTO t (v) VALUES (?)').run('b');
        const [rogue] = app.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        assert.equal(rogue.busy, 0);
        app.prepare('INSERT INTO t (v) VALUES (?)').run('c');
        replicator = new DatabaseReplicator({ name: 'main', path: dbPath, store, syncIntervalMs: 60_000 });
        await replicator.start();
        await replicator.waitForDurable();
        assert.notEqual(replicator.status().generation, first);
        assert.equal((await listGenerations(store, 'main')).length, 2);
        assert.equal((await restoreAndDump()).dump, dump(app));
    });

    it('a rogue checkpoint while we run cannot discard unshipped frames', async () => {
        replicator = new DatabaseReplicator({ name: 'main', path: dbPath, store, syncIntervalMs: 60_000 });
        await replicator.start();
        await replicator.waitForDurable();
        app.prepare('INSERT INTO t (v) VALUES (?)').run('unshipped');
        app.pragma('busy_timeout = 50');
        const [rogue] = app.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        assert.equal(rogue.busy, 1, 'our pin keeps the WAL from being reset');
        await replicator.waitForDurable();
        assert.equal((await restoreAndDump()).dump, dump(app));
    });

    it('refuses durable writes with a clear error when the store keeps failing', async () => {
        replicator = new DatabaseReplicator({ name: 'main', path: dbPath, store, syncIntervalMs: 60_000, maxFailureMs: 0 });
        await replicator.start();
        await replicator.waitForDurable();
        const original = store.put.bind(store);
        store.put = async () => { throw new Error('disk full'); };
        app.prepare('INSERT INTO t (v) VALUES (?)').run('x');
        await assert.rejects(replicator.waitForDurable(), /disk full/);
        await new Promise(resolve => setTimeout(resolve, 5));
        await assert.rejects(replicator.waitForDurable(), /Durable write refused: the replica store .* failing since .*disk full/);
        assert.match(replicator.status().lastError ?? '', /disk full/);
        store.put = original;
        await replicator.sync();
        await replicator.waitForDurable();
        assert.equal((await restoreAndDump()).dump, dump(app));
    });

    it('fencing: a second writer cannot take a live lease, and a writer whose lease was taken stops', async () => {
        const a = new ReplicaLease(store, { ttlMs: 60_000, owner: 'A' });
        await a.acquire();
        const b = new ReplicaLease(store, { ttlMs: 60_000, owner: 'B' });
        await assert.rejects(b.acquire(), (e: Error) => e instanceof FencedError && /leased by A/.test(e.message));
        replicator = new DatabaseReplicator({ name: 'main', path: dbPath, store, lease: a, syncIntervalMs: 60_000 });
        await replicator.start();
        await replicator.waitForDurable();
        // B takes over after A's lease "expired" (forced here by B's clock).
        const late = new ReplicaLease(store, { ttlMs: 60_000, owner: 'B', now: () => Date.now() + 120_000 });
        await late.acquire();
        await assert.rejects(a.renew(), (e: Error) => e instanceof FencedError && /Another instance took the replica lease .*B/.test(e.message));
        app.prepare('INSERT INTO t (v) VALUES (?)').run('after fencing');
        await assert.rejects(replicator.waitForDurable(), FencedError);
        assert.match(replicator.status().fenced ?? '', /Another instance/);
    });
});
