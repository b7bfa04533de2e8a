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
}];
