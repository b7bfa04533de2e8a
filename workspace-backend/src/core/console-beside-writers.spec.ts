import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { countElsewhere } from '../database/test-support/count-elsewhere';
import { SqlConsole } from '../sql-console/sql-console';
import { WorkspaceCore } from './workspace-core';

/**
 * Found by a fault-injection pass on main: an admin's console statement `PRAGMA locking_mode =
 * EXCLUSIVE` (which the console refuses), repeated a few times while the lock manager granted
 * locks and replication snapshotted, left the backend writing into a deleted `locks.db-wal`:
 * grants answered 201 were invisible to every other connection and gone after a restart. The
 * console's worker process could take the database for itself (and, closing, checkpoint and
 * delete the WAL) because the studio's own process had silently dropped its locks on the file.
 */
describe('the SQL console beside the studio\'s writers', function () {
    this.timeout(60_000);
    let root: string;
    const saved = { url: process.env.STUDIO_REPLICA_URL, interval: process.env.STUDIO_SYNC_INTERVAL_MS, snapshots: process.env.STUDIO_SNAPSHOT_INTERVAL_MS };
    const cores: WorkspaceCore[] = [];

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'console-writers-'));
        process.env.STUDIO_REPLICA_URL = pathToFileURL(path.join(root, 'replica')).href;
        process.env.STUDIO_SYNC_INTERVAL_MS = '20';
        // Snapshots read every database's main file: several happen while the test runs.
        process.env.STUDIO_SNAPSHOT_INTERVAL_MS = '100';
    });
    afterEach(async () => {
        await Promise.all(cores.splice(0).map(c => c.stop()));
        for (const [key, value] of [['STUDIO_REPLICA_URL', saved.url], ['STUDIO_SYNC_INTERVAL_MS', saved.interval], ['STUDIO_SNAPSHOT_INTERVAL_MS', saved.snapshots]] as const) {
            if (value === undefined) delete process.env[key]; else process.env[key] = value;
        }
        fs.rmSync(root, { recursive: true, force: true });
    });

    const startCore = async () => {
        const core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') }, { orchestrator: { prefork: false } });
        cores.push(core);
        await core.start();
        return core;
    };

    it('refused EXCLUSIVE-mode statements, repeated between lock grants and snapshots, lose no grant', async () => {
        const core = await startCore();
        const admin = new SqlConsole(core.databases, { defaultTimeoutMs: 5000 }).openSession({ id: 'user:ada', displayName: 'Ada', role: 'admin' });
        const locksFile = core.databases.get('locks').file;
        const granted: string[] = [];
        try {
            for (let round = 0; round < 5; round++) {
                const refused = await admin.run({ database: 'locks', sql: 'PRAGMA locking_mode = EXCLUSIVE', allowWrites: true });
                assert.ok(refused.error, 'the console refuses the statement');
                const lock = await core.locks.acquire({ path: `src/f${round}.ts`, mode: 'exclusive', owner: { id: 'agent:a', kind: 'agent', displayName: 'A' } });
                granted.push(lock.id);
                await core.databases.get('locks').quickCheck();
            }
            assert.ok(fs.existsSync(`${locksFile}-wal`), 'the WAL the studio writes into was not deleted under it');
            assert.equal(countElsewhere(locksFile, 'locks'), granted.length, 'every granted lock is visible to another connection');
        } finally {
            await admin.dispose();
        }
        await core.stop();
        cores.splice(0);
        const again = await startCore();
        assert.deepEqual(again.locks.list().map(l => l.id).sort(), [...granted].sort(), 'every grant survived the restart');
    });
});
