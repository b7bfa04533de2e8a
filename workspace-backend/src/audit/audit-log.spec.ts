import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseCluster } from '../database/database-cluster';
import { AuditLog } from './audit-log';

describe('workspace.db: the audit trail is append-only (migration 6)', () => {
    let root: string;
    let cluster: DatabaseCluster;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'append-only-'));
        cluster = new DatabaseCluster({ dataDir: root }).open();
    });
    afterEach(async () => {
        await cluster.close();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('lets the studio append to audit_log, and no connection change or delete a row', async () => {
        new AuditLog(cluster.get('workspace')).record({ userId: 'user:ada', userName: 'Ada', action: 'budget.set', outcome: 'allowed' });
        const file = cluster.get('workspace').file;
        await cluster.close();
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
