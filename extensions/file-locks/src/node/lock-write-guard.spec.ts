import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from '@coditect/workspace-backend';
import { LockedFileError, LockWriteGuard } from './lock-write-guard';

const alice = { id: 'user:alice', displayName: 'alice', role: 'developer' as const };
const gemini = { id: 'agent:gemini', kind: 'agent' as const, displayName: 'Gemini' };

describe('LockWriteGuard', () => {
    let root: string;
    let core: WorkspaceCore;
    let guard: LockWriteGuard;
    beforeEach(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
        process.env.STUDIO_REPLICA_URL = 'off';
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });
        await core.start();
        guard = new LockWriteGuard(core);
    });
    afterEach(async () => {
        await core.stop();
        delete process.env.STUDIO_REPLICA_URL;
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('refuses a person\'s write to a file an agent holds, naming the agent', async () => {
        await core.locks.acquire({ path: 'src/a.ts', mode: 'exclusive', owner: gemini });
        assert.throws(() => guard.assertWritable(path.join(root, 'ws', 'src', 'a.ts'), alice),
            (e: Error) => e instanceof LockedFileError && /src\/a\.ts is locked by Gemini \(write lock on src\/a\.ts\)/.test(e.message));
    });

    it('refuses writes inside a folder an agent holds, and writes over an agent\'s read lock', async () => {
        await core.locks.acquire({ path: 'src', mode: 'exclusive', owner: gemini });
        await core.locks.acquire({ path: 'docs/x.md', mode: 'shared', owner: gemini });
        assert.throws(() => guard.assertWritable(path.join(root, 'ws', 'src', 'deep', 'b.ts'), alice), /write lock on src\)/);
        assert.throws(() => guard.assertWritable(path.join(root, 'ws', 'docs', 'x.md'), alice), /read lock on docs\/x\.md/);
    });

    it('lets the holder write, and anyone write what nobody holds', async () => {
        await core.locks.acquire({ path: 'src/a.ts', mode: 'exclusive', owner: { id: alice.id, kind: 'human', displayName: 'alice' } });
        assert.equal(guard.assertWritable(path.join(root, 'ws', 'src', 'a.ts'), alice), 'src/a.ts');
        assert.equal(guard.assertWritable(path.join(root, 'ws', 'free.ts'), alice), 'free.ts');
    });

    it('does not apply workspace locks to files outside the workspace', async () => {
        await core.locks.acquire({ path: '', mode: 'exclusive', owner: gemini });
        assert.equal(guard.assertWritable(path.join(root, 'settings.json'), alice), undefined);
    });
});
