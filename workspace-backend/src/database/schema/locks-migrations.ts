import { Migration } from '../migrations';

/** `locks.db`: current locks, waiters, lock history. */
export const locksMigrations: readonly Migration[] = [{
    version: 1,
    description: 'locks, lock_waiters, lock_history',
    up: `
        CREATE TABLE locks (
            path        TEXT PRIMARY KEY,
            holder      TEXT NOT NULL,
            mode        TEXT NOT NULL DEFAULT 'exclusive' CHECK (mode IN ('exclusive', 'shared')),
            acquired_at INTEGER NOT NULL,
            expires_at  INTEGER
        ) STRICT;
        CREATE INDEX locks_by_holder ON locks(holder);
        CREATE TABLE lock_waiters (
            id          INTEGER PRIMARY KEY,
            path        TEXT NOT NULL,
            waiter      TEXT NOT NULL,
            mode        TEXT NOT NULL DEFAULT 'exclusive' CHECK (mode IN ('exclusive', 'shared')),
            queued_at   INTEGER NOT NULL,
            UNIQUE (path, waiter)
        ) STRICT;
        CREATE INDEX lock_waiters_by_path ON lock_waiters(path, id);
        CREATE TABLE lock_history (
            id          INTEGER PRIMARY KEY,
            path        TEXT NOT NULL,
            holder      TEXT NOT NULL,
            event       TEXT NOT NULL CHECK (event IN ('acquired', 'released', 'expired', 'broken')),
            at          INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX lock_history_by_path ON lock_history(path, at);
    `,
}, {
    version: 2,
    description: 'locks keyed by lock id (several shared locks on one path), owners with kind and name, an event history',
    // Version 1 keyed locks by path, which cannot hold two readers of one file, and its history
    // could not say who force-released what. Nothing wrote to those tables before this version.
    up: `
        DROP TABLE locks;
        DROP TABLE lock_waiters;
        DROP TABLE lock_history;
        CREATE TABLE locks (
            id          TEXT PRIMARY KEY,
            path        TEXT NOT NULL,
            mode        TEXT NOT NULL CHECK (mode IN ('exclusive', 'shared')),
            owner_id    TEXT NOT NULL,
            owner_kind  TEXT NOT NULL CHECK (owner_kind IN ('agent', 'human')),
            owner_name  TEXT NOT NULL,
            acquired_at INTEGER NOT NULL,
            expires_at  INTEGER NOT NULL,
            ttl_ms      INTEGER NOT NULL,
            task_id     TEXT
        ) STRICT;
        CREATE INDEX locks_by_path ON locks(path);
        CREATE INDEX locks_by_owner ON locks(owner_id);
        CREATE TABLE lock_history (
            id          INTEGER PRIMARY KEY,
            at          INTEGER NOT NULL,
            event       TEXT NOT NULL,
            path        TEXT NOT NULL,
            mode        TEXT NOT NULL,
            owner_id    TEXT NOT NULL,
            owner_name  TEXT NOT NULL,
            lock_id     TEXT,
            detail      TEXT
        ) STRICT;
        CREATE INDEX lock_history_by_path ON lock_history(path, at);
        CREATE INDEX lock_history_by_owner ON lock_history(owner_id, at);
    `,
}];
