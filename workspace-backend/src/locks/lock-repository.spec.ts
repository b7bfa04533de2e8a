import * as assert from 'node:assert/strict';
import { TempCluster } from '../database/test-support/temp-cluster';
import { WorkspacePaths } from '../policy/workspace-paths';
import { LockManager } from './lock-manager';
import { LockRepository } from './lock-repository';

describe('locks.db repaired at start (database/schema-repair.ts)', function () {
    this.timeout(30_000);
    const temp = TempCluster.perTest('schema-repair-');

    it('recreates a studio table dropped while the studio was stopped, says so in the log and in health, and locks work after', async () => {
        await temp.open().close();
        temp.tamper('locks', 'DROP TABLE lock_history');
        const locks = temp.open().get('locks');
        const tables = locks.all<{ name: string }>('SELECT name FROM sqlite_schema');
        assert.ok(tables.some(t => t.name === 'lock_history') && tables.some(t => t.name === 'lock_history_by_owner'), 'the table and its indexes are back');
        assert.equal(temp.logged.length, 1);
        assert.match(temp.logged[0], /table lock_history, index lock_history_by_path, index lock_history_by_owner were missing from locks\.db and were recreated; lock_history is empty now/);
        const health = (await temp.cluster.health()).find(c => c.id === 'db:locks')!;
        assert.equal(health.status, 'degraded');
        assert.match(health.detail, /^At start, the studio's table lock_history.*restore locks\.db from the replica if they matter/);
        assert.equal(health.metrics?.schemaRecreated, 'lock_history, lock_history_by_path, lock_history_by_owner');

        const manager = new LockManager(new WorkspacePaths(temp.root), new LockRepository(locks));
        try {
            const lock = await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: { id: 'agent:claude', kind: 'agent', displayName: 'Claude' } });
            assert.ok(lock.id);
            assert.equal(locks.get<{ n: number }>('SELECT count(*) AS n FROM lock_history')!.n > 0, true, 'the recreated history is written');
        } finally {
            manager.dispose();
        }

        await temp.cluster.close();
        temp.logged = [];
        temp.open();
        assert.deepEqual(temp.logged, [], 'nothing to repair at the next start');
        assert.equal((await temp.cluster.health()).find(c => c.id === 'db:locks')!.status, 'ok');
    });
});
