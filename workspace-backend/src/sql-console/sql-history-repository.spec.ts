import * as assert from 'node:assert/strict';
import { TempCluster } from '../database/test-support/temp-cluster';
import { SqlHistoryRepository } from './sql-history-repository';

describe('workspace.db: a console write\'s audit row is append-only (migration 6)', () => {
    const temp = TempCluster.perTest('append-only-');
    beforeEach(() => temp.open());

    it('lets a console write\'s audit row be completed once, from running to its outcome, and nothing else', () => {
        const workspace = temp.cluster.get('workspace');
        const history = new SqlHistoryRepository(workspace);
        const id = history.startWrite({ id: 'user:ada', displayName: 'Ada', role: 'admin' }, 'tasks', 'DELETE FROM x', 1);
        assert.throws(() => workspace.run('UPDATE sql_write_audit SET sql = \'SELECT 1\' WHERE id = ?', id), /sql_write_audit is append-only/, 'not even while running');
        history.finishWrite(id, 'committed', 3, null);
        assert.equal(workspace.get<{ outcome: string }>('SELECT outcome FROM sql_write_audit WHERE id = ?', id)!.outcome, 'committed');
        assert.throws(() => history.finishWrite(id, 'rolled back (sqlite)', null, 'x'), /sql_write_audit is append-only: a row may only be completed once/);
        assert.throws(() => workspace.run('UPDATE sql_write_audit SET outcome = \'running\' WHERE id = ?', id), /append-only/);
        assert.throws(() => workspace.run('DELETE FROM sql_write_audit'), /sql_write_audit is append-only: its rows cannot be deleted/);
    });
});
