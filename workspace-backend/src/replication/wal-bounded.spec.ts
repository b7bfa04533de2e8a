import * as assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from '../database/database-cluster';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { ObjectInfo, PutOptions } from '../object-store/object-store';
import { DatabaseReplicator } from './database-replicator';
import { restoreDatabase } from './restore';

/**
 * A lock storm as the replicator sees it: forty clients commit small transactions all the time
 * (each commit appends every page it touches to the WAL, about 12 KiB here), so commits land between every upload and the write lock a checkpoint takes. Checkpoints
 * used to give up then (and every sync read the whole WAL again): in a 60 s storm of 40 lock
 * clients `locks.db-wal` grew to 236 MB over a 1.7 MB database. Now the last attempt checkpoints
 * anyway, shipping the tail it copied under the lock, and syncs read only what is new.
 *
 * The storm is tied to the replicator's uploads, not to the clock: before the replicator hears the
 * answer to a segment upload, every client commits once. So commits land between every upload and the lock, on every
 * attempt, however slow the machine is (the condition that starved checkpoints), and what the WAL
 * may hold is a count of frames, not of seconds: what was committed before a checkpoint was due
 * (200 frames) plus the uploads of one checkpointing round (at most five, 40 commits each). With
 * clients paced by timers instead, a loaded machine stretched each round while the commits kept
 * coming, and the bound moved with the load (14.2 MiB at a load of 15, against 4 MiB idle).
 */
describe('the WAL stays bounded under a storm of writers', function () {
    this.timeout(180_000);
    let root: string;
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-bounded-')));
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('checkpoints keep up with 40 clients that commit during every upload; every commit reaches the replica and restores', async () => {
        const cluster = new DatabaseCluster({ dataDir: path.join(root, 'data'), poolSize: 3, checkpointer: { intervalMs: 3_600_000 } }).open();
        const locks = cluster.get('locks');
        const perClient = 75;
        const clients = 40;
        let walMax = 0;
        let written = 0;
        let stormDone!: () => void;
        const stormOver = new Promise<void>(resolve => stormDone = resolve);
        /** One commit of each client that has not yet made all of its commits. */
        const burst = () => {
            for (let c = 0; c < clients && written < clients * perClient; c++) {
                const i = Math.floor(written / clients);
                locks.run('INSERT INTO lock_history (at, event, path, mode, owner_id, owner_name, lock_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                    written, 'acquired', `src/file-${c}-${i}.ts`, 'exclusive', `agent:${c}`, `Agent ${c}`, `lock-${c}-${i}`, null);
                written++;
                walMax = Math.max(walMax, locks.walBytes());
            }
            if (written >= clients * perClient) {
                stormDone();
            }
        };
        // Every segment upload is overtaken by a burst: its frames are the tail the next lock finds.
        class StormedStore extends DirectoryObjectStore {
            override async put(key: string, data: Buffer, options?: PutOptions): Promise<ObjectInfo> {
                const stored = await super.put(key, data, options);
                if (key.endsWith('.segment')) {
                    burst();
                }
                return stored;
            }
        }
        const store = new StormedStore(path.join(root, 'replica'));
        // Checkpoint at 200 frames (800 KiB), so the test needs a few seconds of storm, not a minute.
        const replicator = new DatabaseReplicator({ name: 'locks', path: locks.file, store, syncIntervalMs: 20, checkpointFrames: 200 });
        try {
            await replicator.start();
            burst();
            await stormOver;
            await replicator.waitForDurable();
            const churn = fs.statSync(locks.file).size;
            // About 1,000 frames (4 MiB) at most, counted above; without the tail-taking checkpoint no
            // checkpoint would ever complete and the WAL would hold every frame of the storm (40 MiB).
            assert.ok(walMax < 8 * 1024 * 1024, `the WAL stayed bounded: at most ${(walMax / 1024 / 1024).toFixed(1)} MiB for ${written} commits (database ${(churn / 1024 / 1024).toFixed(1)} MiB)`);
            assert.ok(replicator.status().checkpointsWithTail > 0, 'checkpoints took the tail committed during their upload');
        } finally {
            await replicator.stop();
        }
        const restored = path.join(root, 'restored.db');
        await restoreDatabase({ store, db: 'locks', targetPath: restored });
        const db = new Database(restored, { readonly: true });
        try {
            assert.equal((db.prepare('SELECT count(*) AS n FROM lock_history').get() as { n: number }).n, clients * perClient, 'every commit is in the replica');
            assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
        } finally {
            db.close();
            await cluster.close();
        }
    });
});
