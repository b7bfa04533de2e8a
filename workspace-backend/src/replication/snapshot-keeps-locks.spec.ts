import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from '../database/database-cluster';
import { countElsewhere } from '../database/test-support/count-elsewhere';
import { openAndCloseElsewhere, ourLocksOn } from '../database/test-support/posix-locks';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { DatabaseReplicator } from './database-replicator';

describe('replicating database files without dropping our own locks (database/shared-file-handle.ts)', function () {
    this.timeout(60_000);
    let root: string;
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-fd-')));
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('a replication snapshot reads the main file without dropping our locks on it; another process sees every commit', async () => {
        const cluster = new DatabaseCluster({ dataDir: path.join(root, 'data'), poolSize: 3, checkpointer: { intervalMs: 3_600_000 } }).open();
        const metrics = cluster.get('metrics');
        metrics.run("INSERT INTO cost_state (key, value, updated_at) VALUES ('k1', 'v', 1)");
        const replicator = new DatabaseReplicator({ name: 'metrics', path: metrics.file, store: new DirectoryObjectStore(path.join(root, 'replica')), syncIntervalMs: 60_000 });
        try {
            const before = ourLocksOn(metrics.file);
            assert.ok(before.length > 0, 'our connections lock the database file');
            await replicator.start();
            await replicator.waitForDurable();
            assert.ok(replicator.status().generation, 'the start took a snapshot (it read the main file)');
            assert.deepEqual(ourLocksOn(metrics.file), before, 'reading the main file kept our locks on it');
            openAndCloseElsewhere(metrics.file);
            assert.ok(fs.existsSync(`${metrics.file}-wal`), 'the WAL was not deleted under us');
            metrics.run("INSERT INTO cost_state (key, value, updated_at) VALUES ('k2', 'v', 2)");
            assert.equal(countElsewhere(metrics.file, 'cost_state'), 2, 'another process sees every commit');
        } finally {
            await replicator.stop();
            await cluster.close();
        }
    });
});
