import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from './workspace-core';

describe('the audit log in workspace.db', () => {
    let root: string;
    let core: WorkspaceCore;
    const start = async () => {
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });
        await core.start();
    };
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-')));
    afterEach(async () => {
        await core.stop();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('keeps admin actions and failed logins across a restart, newest first, filterable by action', async () => {
        await start();
        core.audit.record({ action: 'login.failed', outcome: 'refused', detail: 'token expired', client: '10.0.0.7' });
        core.audit.record({ userId: 'user:ada', userName: 'Ada', action: 'lock.force-release', target: 'src/a.ts', outcome: 'allowed' });
        core.audit.record({ userId: 'user:bob', userName: 'Bob', action: 'lock.force-release', target: 'src/b.ts', outcome: 'refused', detail: 'needs the admin role' });
        await core.stop();

        await start();
        const all = core.audit.recent();
        assert.deepEqual(all.map(e => e.action), ['lock.force-release', 'lock.force-release', 'login.failed']);
        assert.equal(all[2].client, '10.0.0.7');
        assert.equal(all[2].userId, undefined);
        const releases = core.audit.recent({ action: 'lock.force-release' });
        assert.deepEqual(releases.map(e => `${e.userName}:${e.target}:${e.outcome}`), ['Bob:src/b.ts:refused', 'Ada:src/a.ts:allowed']);
        const rows = core.databases.get('workspace').all<{ n: number }>('SELECT count(*) AS n FROM audit_log');
        assert.equal(rows[0].n, 3);
    });

    it('refuses an outcome outside allowed/refused/failed rather than writing a line nobody can read', async () => {
        await start();
        assert.throws(() => core.audit.record({ action: 'x', outcome: 'maybe' as 'allowed' }), /CHECK constraint/);
        assert.equal(core.audit.recent().length, 0);
    });
});
