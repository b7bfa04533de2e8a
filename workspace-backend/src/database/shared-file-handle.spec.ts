import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { DatabaseReplicator } from '../replication/database-replicator';
import { DatabaseCluster } from './database-cluster';
import { countElsewhere } from './test-support/count-elsewhere';

/**
 * The POSIX locks this process holds on a file, as the kernel lists them (Linux /proc/locks):
 * "READ 128-128" and the like. SQLite's connections hold them on the database file and its
 * -shm; closing any other descriptor of those files would silently drop them all, and another
 * process would then take itself for the first or the last connection (reinitialising the -shm
 * we have mapped, or checkpointing and deleting the WAL we still write into).
 */
function ourLocksOn(file: string): string[] {
    const inode = fs.statSync(file).ino;
    return fs.readFileSync('/proc/locks', 'utf8').split('\n')
        .map(line => line.trim().split(/\s+/))
        .filter(f => f[4] === String(process.pid) && f[5]?.endsWith(`:${inode}`))
        .map(f => `${f[3]} ${f[6]}-${f[7]}`)
        .sort();
}

/** Another process opens the database and closes it again, as a query worker does. */
function openAndCloseElsewhere(file: string): void {
    execFileSync(process.execPath, ['-e', `const D = require('better-sqlite3'); new D(${JSON.stringify(file)}).close();`], { cwd: __dirname });
}

describe('reading database files without dropping our own locks', function () {
    this.timeout(60_000);
    let root: string;
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-fd-')));
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('walPages() reads the -shm without dropping our locks on it; another process sees every commit', async () => {
        const cluster = new DatabaseCluster({ dataDir: root, poolSize: 3, checkpointer: { intervalMs: 3_600_000 } }).open();
        try {
            const tasks = cluster.get('tasks');
            tasks.run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES ('a', '{}', 1)");
            const before = ourLocksOn(`${tasks.file}-shm`);
            assert.ok(before.length > 0, 'our connections lock the -shm');
            assert.ok(tasks.walPages() > 0, 'the WAL holds frames');
            tasks.walPages();
            assert.deepEqual(ourLocksOn(`${tasks.file}-shm`), before, 'reading the -shm kept our locks on it');
            openAndCloseElsewhere(tasks.file);
            assert.ok(fs.existsSync(`${tasks.file}-wal`), 'the WAL was not deleted under us');
            tasks.run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES ('b', '{}', 2)");
            assert.equal(countElsewhere(tasks.file, 'tasks'), 2, 'another process sees every commit');
        } finally {
            await cluster.close();
        }
    });

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
