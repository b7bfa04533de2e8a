import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from '../database/database-cluster';
import { changeWhileStopped } from '../database/test-support/change-while-stopped';
import { WorkspacePaths } from '../policy/workspace-paths';
import { LockManager } from './lock-manager';
import { LockRepository } from './lock-repository';

describe('locks.db repaired at start (database/schema-repair.ts)', function () {
    this.timeout(30_000);
    let root: string;
    let dataDir: string;
    let cluster: DatabaseCluster | undefined;
    let logged: string[];
    const openCluster = () => {
        cluster = new DatabaseCluster({ dataDir, log: line => logged.push(line) }).open();
        return cluster;
    };
    const tamper = (name: string, sql: string) => changeWhileStopped(dataDir, name, sql);

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-repair-'));
        dataDir = path.join(root, 'data');
        logged = [];
    });
    afterEach(async () => {
        await cluster?.close();
        cluster = undefined;
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('recreates a studio table dropped while the studio was stopped, says so in the log and in health, and locks work after', async () => {
        await openCluster().close();
        tamper('locks', 'DROP TABLE lock_history');
        const locks = openCluster().get('locks');
        const tables = locks.all<{ name: string }>('SELECT name FROM sqlite_schema');
        assert.ok(tables.some(t => t.name === 'lock_history') && tables.some(t => t.name === 'lock_history_by_owner'), 'the table and its indexes are back');
        assert.equal(logged.length, 1);
        assert.match(logged[0], /table lock_history, index lock_history_by_path, index lock_history_by_owner were missing from locks\.db and were recreated; lock_history is empty now/);
        const health = (await cluster!.health()).find(c => c.id === 'db:locks')!;
        assert.equal(health.status, 'degraded');
        assert.match(health.detail, /^At start, the studio's table lock_history.*restore locks\.db from the replica if they matter/);
        assert.equal(health.metrics?.schemaRecreated, 'lock_history, lock_history_by_path, lock_history_by_owner');

        const manager = new LockManager(new WorkspacePaths(root), new LockRepository(locks));
        try {
            const lock = await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: { id: 'agent:claude', kind: 'agent', displayName: 'Claude' } });
            assert.ok(lock.id);
            assert.equal(locks.get<{ n: number }>('SELECT count(*) AS n FROM lock_history')!.n > 0, true, 'the recreated history is written');
        } finally {
            manager.dispose();
        }

        await cluster!.close();
        logged = [];
        openCluster();
        assert.deepEqual(logged, [], 'nothing to repair at the next start');
        assert.equal((await cluster!.health()).find(c => c.id === 'db:locks')!.status, 'ok');
    });
});
