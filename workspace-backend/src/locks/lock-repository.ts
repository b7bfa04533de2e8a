import type { SqlConnection } from '../database/sql-connection';
import type { SqliteDatabase } from '../database/sqlite-database';
import { LockChange, LockStore } from './lock-store';
import { LockEvent, LockInfo } from './lock-types';

interface LockRow {
    id: string; path: string; mode: 'shared' | 'exclusive'; owner_id: string; owner_kind: 'agent' | 'human'; owner_name: string;
    acquired_at: number; expires_at: number; ttl_ms: number; task_id: string | null;
}

/**
 * The lock manager's store in `locks.db`: current locks (table `locks`) and everything that
 * happened to them (table `lock_history`). Each call commits before it returns.
 */
export class LockRepository implements LockStore {
    constructor(protected readonly db: SqliteDatabase, protected readonly now: () => number = Date.now) {
        if (db.name !== 'locks') {
            throw new Error(`LockRepository needs the locks database, not the ${db.label}`);
        }
    }

    loadLocks(): LockInfo[] {
        return this.db.all<LockRow>('SELECT * FROM locks ORDER BY acquired_at').map(row => ({
            id: row.id, path: row.path, mode: row.mode,
            owner: { id: row.owner_id, kind: row.owner_kind, displayName: row.owner_name },
            acquiredAt: row.acquired_at, expiresAt: row.expires_at, ttlMs: row.ttl_ms, taskId: row.task_id ?? undefined,
        }));
    }

    apply(change: LockChange): void {
        this.db.transaction(tx => {
            if (change.save) {
                this.saveLock(tx, change.save);
            }
            if (change.remove) {
                tx.run('DELETE FROM locks WHERE id = ?', change.remove);
            }
            // Renewals are frequent and say nothing new; the row's expiry is their record.
            if (change.event.kind !== 'renewed') {
                this.appendHistory(tx, change.event);
            }
        });
    }

    protected saveLock(tx: SqlConnection, lock: LockInfo): void {
        tx.run(`INSERT INTO locks (id, path, mode, owner_id, owner_kind, owner_name, acquired_at, expires_at, ttl_ms, task_id)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at, ttl_ms = excluded.ttl_ms`,
        lock.id, lock.path, lock.mode, lock.owner.id, lock.owner.kind, lock.owner.displayName, lock.acquiredAt, lock.expiresAt, lock.ttlMs, lock.taskId ?? null);
    }

    protected appendHistory(tx: SqlConnection, event: LockEvent): void {
        const subject = 'lock' in event ? event.lock : event.waiter;
        const lockId = 'lock' in event ? event.lock.id : null;
        const detail = event.kind === 'force-released' ? JSON.stringify({ by: event.by, reason: event.reason })
            : event.kind === 'acquired' ? JSON.stringify({ waitedMs: event.waitedMs })
                : event.kind === 'wait-ended' ? JSON.stringify({ outcome: event.outcome })
                    : event.kind === 'changed-outside' ? JSON.stringify(event.lock.changedOutside)
                        : null;
        tx.run('INSERT INTO lock_history (at, event, path, mode, owner_id, owner_name, lock_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            this.now(), event.kind, subject.path, subject.mode, subject.owner.id, subject.owner.displayName, lockId, detail);
    }

    /** The history of one path, newest first. */
    history(path: string, limit = 100): { at: number; event: string; ownerName: string; detail: unknown }[] {
        return this.db.all<{ at: number; event: string; owner_name: string; detail: string | null }>(
            'SELECT at, event, owner_name, detail FROM lock_history WHERE path = ? ORDER BY id DESC LIMIT ?', path, limit)
            .map(r => ({ at: r.at, event: r.event, ownerName: r.owner_name, detail: r.detail ? JSON.parse(r.detail) : undefined }));
    }
}
