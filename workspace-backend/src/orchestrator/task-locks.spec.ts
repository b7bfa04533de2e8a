import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LockManager } from '../locks/lock-manager';
import { MemoryLockStore } from '../locks/lock-store';
import type { LockOwner } from '../locks/lock-types';
import { WorkspacePaths } from '../policy/workspace-paths';
import { releaseTaskLocks } from './task-locks';

const claude: LockOwner = { id: 'agent:claude', kind: 'agent', displayName: 'Claude' };
const gemini: LockOwner = { id: 'agent:gemini', kind: 'agent', displayName: 'Gemini' };

describe('releaseTaskLocks', () => {
    let root: string;
    let locks: LockManager;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'task-locks-'));
        locks = new LockManager(new WorkspacePaths(root), new MemoryLockStore());
    });
    afterEach(() => {
        locks.dispose();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('releases the locks the agent took for that task, and no other lock', async () => {
        await locks.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude, taskId: '7' });
        await locks.acquire({ path: 'b.ts', mode: 'shared', owner: claude, taskId: '7' });
        await locks.acquire({ path: 'c.ts', mode: 'exclusive', owner: claude, taskId: '8' });
        await locks.acquire({ path: 'd.ts', mode: 'exclusive', owner: claude });
        await locks.acquire({ path: 'e.ts', mode: 'exclusive', owner: gemini, taskId: '7' });
        releaseTaskLocks(locks, claude, 7);
        assert.deepEqual(locks.list().map(l => l.path).sort(), ['c.ts', 'd.ts', 'e.ts']);
    });
});
