import * as assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { TempCluster } from '../database/test-support/temp-cluster';
import { AuditLog } from './audit-log';

describe('workspace.db: the audit trail is append-only (migration 6)', () => {
    const temp = TempCluster.perTest('append-only-');
    beforeEach(() => temp.open());

    it('lets the studio append to audit_log, and no connection change or delete a row', async () => {
        new AuditLog(temp.cluster.get('workspace')).record({ userId: 'user:ada', userName: 'Ada', action: 'budget.set', outcome: 'allowed' });
        const file = temp.cluster.get('workspace').file;
        await temp.cluster.close();
        const raw = new Database(file);
        try {
            assert.throws(() => raw.exec('UPDATE audit_log SET outcome = \'refused\''), /audit_log is append-only: its rows cannot be changed/);
            assert.throws(() => raw.exec('DELETE FROM audit_log'), /audit_log is append-only: its rows cannot be deleted/);
            assert.equal((raw.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n, 1);
        } finally {
            raw.close();
        }
    });
});
