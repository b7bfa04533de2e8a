import * as assert from 'node:assert/strict';
import type { LockInfo, LockWaiter } from '@coditect/workspace-backend/types';
import { applyLockEvent, emptyLockState, lockStateOf } from './lock-state';

const owner = { id: 'agent:claude', kind: 'agent' as const, displayName: 'Claude' };
const lock = (id: string, path = 'a.ts'): LockInfo => ({ id, path, mode: 'exclusive', owner, acquiredAt: 1, expiresAt: 2, ttlMs: 1 });
const waiter = (requestId: string): LockWaiter => ({ requestId, path: 'a.ts', mode: 'exclusive', owner, priority: 0, enqueuedAt: 1, deadline: 2, blockedBy: [] });

describe('applyLockEvent', () => {
    it('adds granted and renewed locks, and removes released, expired and force-released ones', () => {
        let state = applyLockEvent(emptyLockState(), { kind: 'acquired', lock: lock('1'), waitedMs: 0 });
        state = applyLockEvent(state, { kind: 'acquired', lock: lock('2'), waitedMs: 0 });
        state = applyLockEvent(state, { kind: 'renewed', lock: { ...lock('2'), expiresAt: 9 } });
        assert.equal(state.locks.get('2')?.expiresAt, 9);
        state = applyLockEvent(state, { kind: 'expired', lock: lock('1') });
        assert.deepEqual([...state.locks.keys()], ['2']);
        state = applyLockEvent(state, { kind: 'force-released', lock: lock('2'), by: owner, reason: '' });
        assert.equal(state.locks.size, 0);
    });

    it('keeps the mark of a change made outside a lock until the lock goes', () => {
        const changedOutside = { at: 5, by: 'a terminal or another process', path: 'a.ts' };
        let state = applyLockEvent(lockStateOf([lock('1')], []), { kind: 'changed-outside', lock: { ...lock('1'), changedOutside } });
        assert.deepEqual(state.locks.get('1')?.changedOutside, changedOutside);
        state = applyLockEvent(state, { kind: 'renewed', lock: { ...lock('1'), changedOutside, expiresAt: 9 } });
        assert.deepEqual(state.locks.get('1')?.changedOutside, changedOutside);
        state = applyLockEvent(state, { kind: 'released', lock: lock('1') });
        assert.equal(state.locks.size, 0);
    });

    it('tracks waiters from waiting to the end of their wait', () => {
        let state = applyLockEvent(lockStateOf([], []), { kind: 'waiting', waiter: waiter('w') });
        assert.equal(state.waiters.size, 1);
        state = applyLockEvent(state, { kind: 'wait-ended', waiter: waiter('w'), outcome: 'timeout' });
        assert.equal(state.waiters.size, 0);
    });

    it('never changes the state it is given', () => {
        const before = lockStateOf([lock('1')], []);
        applyLockEvent(before, { kind: 'released', lock: lock('1') });
        assert.equal(before.locks.size, 1);
    });
});
