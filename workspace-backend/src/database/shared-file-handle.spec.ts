import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from './database-cluster';
import { countElsewhere } from './test-support/count-elsewhere';
import { openAndCloseElsewhere, ourLocksOn } from './test-support/posix-locks';

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
});
