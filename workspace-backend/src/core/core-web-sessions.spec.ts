import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from './workspace-core';
import { WebSessionRecord } from '../web-sessions/web-session-repository';

const hashOf = (id: string) => crypto.createHash('sha256').update(id).digest('hex');
const session = (id: string, changes: Partial<WebSessionRecord> = {}): WebSessionRecord => ({
    idHash: hashOf(id), userId: 'user:ada', userName: 'Ada', role: 'admin', fingerprint: 'fp-1',
    createdAt: 1_000, expiresAt: 100_000, lastUsedAt: 1_000, client: '127.0.0.1', ...changes,
});

describe('web sessions in workspace.db', () => {
    let root: string;
    let core: WorkspaceCore;
    const start = async () => {
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });
        await core.start();
    };
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'web-sessions-')));
    afterEach(async () => {
        await core.stop();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('keeps a session across a restart, by the hash of its id only', async () => {
        await start();
        core.webSessions.insert(session('secret-session-id'));
        await core.stop();
        await start();
        assert.deepEqual(core.webSessions.get(hashOf('secret-session-id')), session('secret-session-id'));
        assert.equal(core.webSessions.get(hashOf('another-id')), undefined);
        const file = fs.readFileSync(path.join(root, 'data', 'workspace.db'));
        assert.equal(file.includes('secret-session-id'), false);
    });

    it('refuses to store anything but a SHA-256 hex digest as the key, so a raw id never reaches the database', async () => {
        await start();
        assert.throws(() => core.webSessions.insert({ ...session('x'), idHash: 'the-raw-session-id' }), /SHA-256 hex digest/);
        assert.throws(() => core.webSessions.insert(session('y', { expiresAt: 1_000 })), /CHECK constraint/);
    });

    it('touches forward only, revokes one, every session of another fingerprint, and the expired or idle ones', async () => {
        await start();
        const repo = core.webSessions;
        repo.insert(session('a'));
        repo.insert(session('b', { fingerprint: 'fp-old' }));
        repo.insert(session('c', { expiresAt: 5_000 }));
        repo.insert(session('d', { lastUsedAt: 2_000 }));
        repo.touch(hashOf('a'), 9_000);
        repo.touch(hashOf('a'), 3_000);
        assert.equal(repo.get(hashOf('a'))!.lastUsedAt, 9_000);

        assert.equal(repo.deleteOtherThan('fp-1'), 1);
        assert.deepEqual(repo.allOf('fp-old'), []);
        // At 6 000 with an idle cutoff of 2 500: c is past its end, d unused since 2 000.
        assert.equal(repo.deleteExpired(6_000, 2_500), 2);
        assert.deepEqual(repo.allOf('fp-1').map(s => s.idHash), [hashOf('a')]);
        assert.equal(repo.delete(hashOf('a')), true);
        assert.equal(repo.delete(hashOf('a')), false);
    });
});
