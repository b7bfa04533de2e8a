import * as assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from '../database/database-cluster';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { DatabaseReplicator } from './database-replicator';
import { restoreDatabase } from './restore';

/**
 * A lock storm as the replicator sees it: forty clients commit small transactions all the time
 * (each commit appends every page it touches to the WAL, about 12 KiB here), so commits land between every upload and the write lock a checkpoint takes. Checkpoints
 * used to give up then (and every sync read the whole WAL again): in a 60 s storm of 40 lock
 * clients `locks.db-wal` grew to 236 MB over a 1.7 MB database. Now the last attempt checkpoints
 * anyway, shipping the tail it copied under the lock, and syncs read only what is new.
 */
describe('the WAL stays bounded under a storm of writers', function () {
    this.timeout(180_000);
    let root: string;
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-bounded-')));
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('checkpoints keep up with 40 clients that never pause; every commit reaches the replica and restores', async () => {
        const cluster = new DatabaseCluster({ dataDir: path.join(root, 'data'), poolSize: 3, checkpointer: { intervalMs: 3_600_000 } }).open();
        const locks = cluster.get('locks');
        const store = new DirectoryObjectStore(path.join(root, 'replica'));
        // Checkpoint at 200 frames (800 KiB), so the test needs seconds of storm, not a minute.
        const replicator = new DatabaseReplicator({ name: 'locks', path: locks.file, store, syncIntervalMs: 50, checkpointFrames: 200 });
        const perClient = 150;
        let walMax = 0;
        let written = 0;
        try {
            await replicator.start();
            const client = async (c: number) => {
                for (let i = 0; i < perClient; i++) {
                    locks.run('INSERT INTO lock_history (at, event, path, mode, owner_id, owner_name, lock_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                        written, 'acquired', `src/file-${c}-${i}.ts`, 'exclusive', `agent:${c}`, `Agent ${c}`, `lock-${c}-${i}`, null);
                    written++;
                    walMax = Math.max(walMax, locks.walBytes());
                    // About 25 commits a second each, a thousand in all: the rate of the storm that was seen.
                    await new Promise(resolve => setTimeout(resolve, 40));
                }
            };
            await Promise.all(Array.from({ length: 40 }, (_, c) => client(c)));
            await replicator.waitForDurable();
            const churn = fs.statSync(locks.file).size;
            assert.ok(walMax < 10 * 1024 * 1024, `the WAL stayed bounded: at most ${(walMax / 1024 / 1024).toFixed(1)} MiB for ${written} commits (database ${(churn / 1024 / 1024).toFixed(1)} MiB)`);
        } finally {
            await replicator.stop();
        }
        const restored = path.join(root, 'restored.db');
        await restoreDatabase({ store, db: 'locks', targetPath: restored });
        const db = new Database(restored, { readonly: true });
        try {
            assert.equal((db.prepare('SELECT count(*) AS n FROM lock_history').get() as { n: number }).n, 40 * perClient, 'every commit is in the replica');
            assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
        } finally {
            db.close();
            await cluster.close();
        }
    });
});
