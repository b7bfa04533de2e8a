/**
 * The six databases of a workspace, one file each under the data directory, so that a busy
 * timeline never blocks a lock grant: SQLite allows one writer per file, not per table.
 */
export const DatabaseNames = ['workspace', 'agents', 'tasks', 'locks', 'sessions', 'metrics'] as const;
export type DatabaseName = typeof DatabaseNames[number];

/**
 * `FULL` fsyncs the WAL at every commit: a commit that returned survives power loss.
 * `NORMAL` fsyncs only at checkpoints: in WAL mode it is still safe against a process crash
 * (the commit is in the OS page cache) and never corrupts the file, but on power loss or a
 * kernel panic the last commits before the crash may be rolled back. Measured here, NORMAL
 * commits are about 6x cheaper; on cloud disks, where an fsync takes milliseconds, far more.
 */
export type SynchronousMode = 'FULL' | 'NORMAL';

export interface DatabaseSpec {
    readonly name: DatabaseName;
    /** What a person reads: "locks database". */
    readonly label: string;
    /** What it holds, for documentation and health details. */
    readonly holds: string;
    readonly synchronous: SynchronousMode;
    /** Why that `synchronous` choice, stated where it is made. */
    readonly synchronousWhy: string;
}

export const DatabaseSpecs: Readonly<Record<DatabaseName, DatabaseSpec>> = {
    workspace: {
        name: 'workspace', label: 'workspace database',
        holds: 'workspace settings, agent tokens, the audit log, SQL console history, browser sessions',
        synchronous: 'FULL',
        synchronousWhy: 'rarely written; a revoked token or removed role that came back after a power cut would be a security fault',
    },
    agents: {
        name: 'agents', label: 'agents database',
        holds: 'agent registry, configuration, state-transition log, restarts',
        synchronous: 'NORMAL',
        synchronousWhy: 'state transitions are frequent and re-derived from the running agents after a restart; losing the last few on power loss is harmless',
    },
    tasks: {
        name: 'tasks', label: 'tasks database',
        holds: 'per-agent priority queues and results',
        synchronous: 'FULL',
        synchronousWhy: 'a task the caller was told is queued, or a result it was told is stored, must not vanish on power loss',
    },
    locks: {
        name: 'locks', label: 'locks database',
        holds: 'current locks, waiters, lock history',
        synchronous: 'NORMAL',
        synchronousWhy: 'WAL with NORMAL loses nothing on a process crash; a power cut may drop the last grants, but their holders (agents, browser sessions) die with the machine, and an outside agent renewing a lost lock is told to take it again. FULL would add an fsync to every grant.',
    },
    sessions: {
        name: 'sessions', label: 'sessions database',
        holds: 'timeline events and chat transcripts',
        synchronous: 'NORMAL',
        synchronousWhy: 'the busiest writer (every timeline event); the last milliseconds of a timeline may be lost on power loss, never the file',
    },
    metrics: {
        name: 'metrics', label: 'metrics database',
        holds: 'token usage, cost ledger, budgets, latency samples',
        synchronous: 'NORMAL',
        synchronousWhy: 'many small samples; the providers\' own usage records are the authority on spend, so the last few rows may be re-derived after a power cut',
    },
};

/** The file of a database, relative to the data directory. */
export function databaseFileName(name: DatabaseName): string {
    return `${name}.db`;
}
