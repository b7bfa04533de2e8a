import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeadlockError, LockPermissionError, LockRevokedError, LockTimeoutError } from './lock-errors';
import { LockManager, LockManagerOptions } from './lock-manager';
import { MemoryLockStore } from './lock-store';
import { LockEvent, LockOwner } from './lock-types';
import { WorkspacePathError, WorkspacePaths } from '../policy/workspace-paths';
import { agentPrincipal, personPrincipal } from '../policy';

const agent = (name: string): LockOwner => ({ id: `agent:${name.toLowerCase()}`, kind: 'agent', displayName: name });
const human: LockOwner = { id: 'user:alice', kind: 'human', displayName: 'Alice' };
const claude = agent('Claude');
const gemini = agent('Gemini');
const codex = agent('Codex');
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('LockManager', () => {
    let root: string;
    let store: MemoryLockStore;
    let manager: LockManager;
    let events: LockEvent[];
    const open = (options: LockManagerOptions = {}) => {
        manager?.dispose();
        manager = new LockManager(new WorkspacePaths(root), store, options);
        events = [];
        manager.onLockEvent(e => events.push(e));
        return manager;
    };

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'locks-'));
        store = new MemoryLockStore();
        open();
    });
    afterEach(() => {
        manager.dispose();
        fs.rmSync(root, { recursive: true, force: true });
    });

    describe('compatibility', () => {
        it('lets readers share and keeps a writer out until they are gone', async () => {
            const r1 = await manager.acquire({ path: 'a.ts', mode: 'shared', owner: claude });
            await manager.acquire({ path: 'a.ts', mode: 'shared', owner: gemini });
            await assert.rejects(manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: codex, waitMs: 0 }),
                (e: Error) => e instanceof LockTimeoutError && /held by Claude \(shared on a.ts\), Gemini/.test(e.message));
            manager.release(r1.id, claude);
            assert.equal(manager.list().length, 1);
        });

        it('keeps everyone out of an exclusively locked file, but never its own holder', async () => {
            await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude });
            await assert.rejects(manager.acquire({ path: 'a.ts', mode: 'shared', owner: gemini, waitMs: 0 }), LockTimeoutError);
            await manager.acquire({ path: 'a.ts', mode: 'shared', owner: claude, waitMs: 0 });
            await manager.acquire({ path: 'b.ts', mode: 'exclusive', owner: gemini, waitMs: 0 });
        });

        it('treats a folder lock as covering its subtree, both ways', async () => {
            await manager.acquire({ path: 'src', mode: 'exclusive', owner: claude });
            await assert.rejects(manager.acquire({ path: 'src/deep/x.ts', mode: 'shared', owner: gemini, waitMs: 0 }), LockTimeoutError);
            await manager.acquire({ path: 'srcx/y.ts', mode: 'exclusive', owner: gemini, waitMs: 0 });
            await manager.acquire({ path: 'lib/z.ts', mode: 'exclusive', owner: codex });
            await assert.rejects(manager.acquire({ path: 'lib', mode: 'shared', owner: gemini, waitMs: 0 }), LockTimeoutError);
        });

        it('refuses paths outside the workspace before touching anything', async () => {
            await assert.rejects(manager.acquire({ path: '../x', mode: 'shared', owner: claude }), WorkspacePathError);
            assert.equal(store.history.length, 0);
        });
    });

    describe('waiting', () => {
        it('hands a released lock to the next waiter', async () => {
            const held = await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude });
            const waiting = manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: gemini, waitMs: 5000 });
            await sleep(5);
            assert.equal(manager.waiters().length, 1);
            manager.release(held.id, claude);
            const granted = await waiting;
            assert.equal(granted.owner.id, gemini.id);
            assert.ok(events.some(e => e.kind === 'acquired' && e.lock.id === granted.id && e.waitedMs >= 0));
        });

        it('grants by priority, then in arrival order', async () => {
            const held = await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: human });
            const order: string[] = [];
            const ask = (owner: LockOwner, priority: number) =>
                manager.acquire({ path: 'a.ts', mode: 'exclusive', owner, priority, waitMs: 5000 }).then(lock => {
                    order.push(owner.displayName);
                    manager.release(lock.id, owner);
                });
            const all = Promise.all([ask(claude, 0), ask(gemini, 0), ask(codex, 5)]);
            await sleep(5);
            manager.release(held.id, human);
            await all;
            assert.deepEqual(order, ['Codex', 'Claude', 'Gemini']);
        });

        it('does not let later readers starve a waiting writer', async () => {
            const reader = await manager.acquire({ path: 'a.ts', mode: 'shared', owner: claude });
            const writer = manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: gemini, waitMs: 5000 });
            await sleep(5);
            await assert.rejects(manager.acquire({ path: 'a.ts', mode: 'shared', owner: codex, waitMs: 0 }), LockTimeoutError);
            manager.release(reader.id, claude);
            assert.equal((await writer).owner.id, gemini.id);
        });

        it('times out with the holder named', async () => {
            await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude });
            await assert.rejects(manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: gemini, waitMs: 30 }),
                (e: Error) => e instanceof LockTimeoutError && /held by Claude/.test(e.message));
            assert.equal(manager.waiters().length, 0);
            assert.ok(events.some(e => e.kind === 'wait-ended' && e.outcome === 'timeout'));
        });

        it('escalates a long wait to listeners', async () => {
            open({ escalateAfterMs: 20 });
            await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude });
            const waiting = manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: gemini, waitMs: 200 }).catch(e => e);
            await sleep(60);
            const escalated = events.find(e => e.kind === 'escalated');
            assert.ok(escalated && escalated.kind === 'escalated');
            assert.equal(escalated.waiter.owner.id, gemini.id);
            assert.equal(escalated.waiter.blockedBy[0].owner.id, claude.id);
            assert.ok(await waiting instanceof LockTimeoutError);
        });

        it('can be cancelled', async () => {
            await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude });
            const controller = new AbortController();
            const waiting = manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: gemini, signal: controller.signal });
            controller.abort();
            await assert.rejects(waiting, /cancelled/);
            assert.equal(manager.waiters().length, 0);
        });
    });

    describe('deadlock detection', () => {
        it('refuses the request that closes a cycle, naming it, and leaves the older waiter waiting', async () => {
            await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude });
            await manager.acquire({ path: 'b.ts', mode: 'exclusive', owner: gemini });
            const claudeWaits = manager.acquire({ path: 'b.ts', mode: 'exclusive', owner: claude, waitMs: 5000 });
            await sleep(5);
            await assert.rejects(manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: gemini, waitMs: 5000 }),
                (e: Error) => e instanceof DeadlockError && /Gemini -> Claude -> Gemini/.test(e.message));
            assert.equal(manager.waiters().length, 1);
            manager.releaseAll(gemini.id);
            assert.equal((await claudeWaits).path, 'b.ts');
        });

        it('finds longer cycles through folder locks', async () => {
            await manager.acquire({ path: 'src', mode: 'exclusive', owner: claude });
            await manager.acquire({ path: 'docs/x.md', mode: 'exclusive', owner: gemini });
            await manager.acquire({ path: 'test', mode: 'shared', owner: codex });
            const w1 = manager.acquire({ path: 'docs', mode: 'shared', owner: claude, waitMs: 5000 }).catch(e => e);
            const w2 = manager.acquire({ path: 'test/t.ts', mode: 'exclusive', owner: gemini, waitMs: 5000 }).catch(e => e);
            await sleep(5);
            await assert.rejects(manager.acquire({ path: 'src/a.ts', mode: 'shared', owner: codex, waitMs: 5000 }), DeadlockError);
            manager.dispose();
            await Promise.all([w1, w2]);
        });
    });

    describe('leases', () => {
        it('expires a lease that is not renewed, and tells the holder why on its next operation', async () => {
            const lock = await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude, ttlMs: 30 });
            await sleep(80);
            assert.equal(manager.list().length, 0);
            assert.ok(events.some(e => e.kind === 'expired' && e.lock.id === lock.id));
            assert.throws(() => manager.renew(lock.id, claude), (e: Error) => e instanceof LockRevokedError && /lease of 30 ms ran out/.test(e.message));
        });

        it('keeps a renewed lease', async () => {
            const lock = await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude, ttlMs: 60 });
            await sleep(35);
            manager.renew(lock.id, claude);
            await sleep(35);
            assert.equal(manager.list().length, 1);
        });

        it('hands an expired lock to a waiter', async () => {
            await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude, ttlMs: 30 });
            const next = await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: gemini, waitMs: 2000 });
            assert.equal(next.owner.id, gemini.id);
        });
    });

    describe('force-release', () => {
        it('lets a human take an agent\'s lock; the agent learns on its next operation', async () => {
            const lock = await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude });
            manager.forceRelease(lock.id, personPrincipal({ id: human.id, displayName: human.displayName, role: 'developer' }), 'I need to fix this now');
            assert.throws(() => manager.release(lock.id, claude), (e: Error) => e instanceof LockRevokedError && /force-released by Alice: I need to fix this now/.test(e.message));
        });

        it('refuses an agent taking another agent\'s lock, but allows an admin person', async () => {
            const lock = await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude });
            assert.throws(() => manager.forceRelease(lock.id, agentPrincipal(gemini.id, gemini.displayName), ''), LockPermissionError);
            assert.throws(() => manager.release(lock.id, gemini), LockPermissionError);
            manager.forceRelease(lock.id, personPrincipal({ id: 'user:root', displayName: 'Root', role: 'admin' }), 'stuck');
            assert.equal(manager.list().length, 0);
        });

        it('refuses a human taking another human\'s lock unless admin', async () => {
            const bob: LockOwner = { id: 'user:bob', kind: 'human', displayName: 'Bob' };
            const lock = await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: bob });
            assert.throws(() => manager.forceRelease(lock.id, personPrincipal({ id: human.id, displayName: human.displayName, role: 'developer' }), ''), /only an admin/);
        });
    });

    describe('restart', () => {
        it('recovers live locks with their leases still counting, and reclaims the ones that ran out', async () => {
            const live = await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude, ttlMs: 60_000 });
            await manager.acquire({ path: 'b.ts', mode: 'exclusive', owner: gemini, ttlMs: 40 });
            manager.dispose();
            await sleep(60);
            open();
            assert.deepEqual(manager.list().map(l => l.id), [live.id]);
            assert.equal(manager.get(live.id)?.expiresAt, live.expiresAt, 'the lease was not restarted');
            assert.ok(store.history.some(e => e.kind === 'expired' && e.lock.path === 'b.ts'));
            await assert.rejects(manager.acquire({ path: 'a.ts', mode: 'shared', owner: gemini, waitMs: 0 }), LockTimeoutError);
        });
    });

    it('after locks.db was restored from the replica, an unknown lock is one the restore lost: 410-class, take it again', async () => {
        const kept = await manager.acquire({ path: 'kept.ts', mode: 'exclusive', owner: claude });
        assert.throws(() => manager.renew('lock-never-seen', claude), /There is no lock with id "lock-never-seen"/);
        open({ restoredAt: new Date('2026-12-06T06:00:00Z') });
        assert.throws(() => manager.renew('lock-lost-in-restore', claude), (error: Error) => {
            assert.ok(error instanceof LockRevokedError);
            assert.equal(error.message, 'That lock is no longer yours: the workspace\'s locks were restored from the replica at 2026-12-06T06:00:00.000Z (the disk was lost), and lock "lock-lost-in-restore" was granted after the replica\'s last copy. Acquire it again before writing.');
            return true;
        });
        assert.throws(() => manager.release('lock-lost-in-restore', claude), LockRevokedError);
        assert.equal(manager.renew(kept.id, claude).id, kept.id, 'a lock the replica had is renewed as ever');
    });

    it('announces only what it has stored', async () => {
        manager.onLockEvent(e => {
            if (e.kind === 'acquired') {
                assert.ok(store.locks.has(e.lock.id));
            }
        });
        await manager.acquire({ path: 'a.ts', mode: 'exclusive', owner: claude });
        assert.ok(store.history.some(e => e.kind === 'acquired'));
    });
});

describe('lockManagerOptionsFromEnv', () => {
    it('reads the lease, wait and escalation times, and refuses nonsense naming the variable', async () => {
        const { lockManagerOptionsFromEnv } = await import('./lock-manager');
        assert.deepEqual(lockManagerOptionsFromEnv({ STUDIO_LOCK_ESCALATE_MS: '1500', STUDIO_LOCK_TTL_MS: '60000' }),
            { defaultTtlMs: 60000, defaultWaitMs: undefined, escalateAfterMs: 1500 });
        assert.throws(() => lockManagerOptionsFromEnv({ STUDIO_LOCK_WAIT_MS: 'soon' }), /STUDIO_LOCK_WAIT_MS must be a positive number of milliseconds, not "soon"/);
    });
});
