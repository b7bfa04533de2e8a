import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from './workspace-core';
import { LockRepository } from '../locks/lock-repository';
import { LockOwner } from '../locks/lock-types';
import { personPrincipal } from '../policy';

const claude: LockOwner = { id: 'agent:claude', kind: 'agent', displayName: 'Claude' };
const alice: LockOwner = { id: 'user:alice', kind: 'human', displayName: 'Alice' };

describe('locks in locks.db', () => {
    let root: string;
    let core: WorkspaceCore;
    const start = async () => {
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });
        await core.start();
        return core;
    };
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-repo-')));
    afterEach(async () => {
        await core.stop();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('survive a backend restart with their leases still counting; expired ones are reclaimed and logged', async () => {
        await start();
        const live = await core.locks.acquire({ path: 'src/a.ts', mode: 'exclusive', owner: claude, ttlMs: 60_000 });
        await core.locks.acquire({ path: 'README.md', mode: 'shared', owner: claude, ttlMs: 50 });
        await core.locks.acquire({ path: 'README.md', mode: 'shared', owner: alice, ttlMs: 60_000 });
        await core.stop();
        await new Promise(resolve => setTimeout(resolve, 80));

        await start();
        const paths = core.locks.list().map(l => `${l.path}:${l.owner.displayName}`).sort();
        assert.deepEqual(paths, ['README.md:Alice', 'src/a.ts:Claude']);
        assert.equal(core.locks.get(live.id)?.expiresAt, live.expiresAt);
        const history = new LockRepository(core.databases.get('locks')).history('README.md');
        assert.equal(history[0].event, 'expired');
        assert.equal(history[0].ownerName, 'Claude');
        assert.equal((await core.health()).components.find(c => c.id === 'locks')?.status, 'ok');
    });

    it('keep a force-release in the history with who did it and why', async () => {
        await start();
        const lock = await core.locks.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude });
        core.locks.forceRelease(lock.id, personPrincipal({ id: alice.id, displayName: alice.displayName, role: 'developer' }), 'urgent fix');
        const [event] = new LockRepository(core.databases.get('locks')).history('a.ts');
        assert.equal(event.event, 'force-released');
        assert.deepEqual((event.detail as { reason: string }).reason, 'urgent fix');
        assert.equal(core.databases.get('locks').all('SELECT * FROM locks').length, 0);
    });

    it('fall back to memory, and say so, when the locks database is down', async () => {
        fs.mkdirSync(path.join(root, 'data'), { recursive: true });
        fs.mkdirSync(path.join(root, 'data', 'locks.db'));
        await start();
        await core.locks.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude });
        const health = (await core.refreshHealth()).components.find(c => c.id === 'locks');
        assert.equal(health?.status, 'degraded');
        assert.match(health?.detail ?? '', /will not survive a restart/);
    });
});
