import { DatabaseName, DatabaseSpecs } from './database-names';

/** A database is down (could not be opened) or closed; the message says which and why. */
export class DatabaseUnavailableError extends Error {
    constructor(readonly database: DatabaseName, readonly reason: string) {
        super(`The ${DatabaseSpecs[database].label} is unavailable: ${reason}`);
        this.name = 'DatabaseUnavailableError';
    }
}

/** The file was written by a newer studio; opening it with this one could lose data. */
export class SchemaTooNewError extends Error {
    constructor(readonly database: string, readonly found: number, readonly known: number) {
        super(`${database}.db has schema version ${found} but this studio knows up to ${known}; upgrade the studio or restore an older backup.`);
        this.name = 'SchemaTooNewError';
    }
}

/** A migration failed; nothing of it was applied (all pending migrations run in one transaction). */
export class MigrationError extends Error {
    constructor(readonly database: string, readonly version: number, cause: unknown) {
        super(`${database}.db: migration to schema version ${version} failed and was rolled back: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
        this.name = 'MigrationError';
    }
}

/** An ad-hoc query ran past its time limit and was stopped (its worker process killed). */
export class QueryTimeoutError extends Error {
    constructor(readonly database: string, readonly timeoutMs: number) {
        super(`The query on ${database}.db ran longer than ${timeoutMs} ms and was stopped; narrow it (a WHERE clause, a LIMIT) or raise the time limit.`);
        this.name = 'QueryTimeoutError';
    }
}

/** An ad-hoc query failed in its worker (bad SQL, a write on the read-only path, ...). */
export class QueryError extends Error {
    constructor(readonly database: string, message: string, readonly code?: string) {
        super(`The query on ${database}.db failed: ${message}`);
        this.name = 'QueryError';
    }
}

/**
 * A write the file system refused (disk full, read-only, I/O error). SQLite rolled the
 * transaction back; the message names the database and what to do.
 */
export class DatabaseWriteError extends Error {
    constructor(readonly database: DatabaseName, readonly code: string, cause: unknown) {
        super(`The ${DatabaseSpecs[database].label} could not be written: ${describeWriteFailure(code, cause)}`, { cause });
        this.name = 'DatabaseWriteError';
    }
}

/** The SQLite result codes that mean the storage, not the statement, failed. */
export function isStorageFailure(code: unknown): code is string {
    return typeof code === 'string' && (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN');
}

function describeWriteFailure(code: string, cause: unknown): string {
    if (code === 'SQLITE_FULL') {
        return 'the disk is full (or the database reached its size limit); free some space, then retry.';
    }
    if (code.startsWith('SQLITE_READONLY')) {
        return 'its file or folder has become read-only; remount the data directory read-write.';
    }
    return `the disk reported an error (${code}: ${cause instanceof Error ? cause.message : String(cause)}); check the disk and the system log.`;
}

/** Who holds a database's writer claim (writer-claim.ts), as its holder wrote it down. */
export interface WriterHolder {
    readonly pid: number;
    readonly host: string;
    /** What the holder is, in words: "the studio", "the operator CLI". */
    readonly role: string;
    readonly since: string;
}

export function describeWriterHolder(holder: WriterHolder | undefined): string {
    return holder ? `${holder.role} (pid ${holder.pid} on host ${holder.host}, since ${holder.since})` : 'another process (it left no description)';
}

/**
 * Another process (or another cluster in this one) writes this database: one writer per
 * database is the rule that keeps SQLITE_BUSY away from callers, so a second one is refused at
 * open rather than left to contend.
 */
export class WriterClaimedError extends DatabaseUnavailableError {
    constructor(database: DatabaseName, readonly holder: WriterHolder | undefined) {
        super(database, `it is written by ${describeWriterHolder(holder)}, and a database has one writer at a time. Stop that process, or send the change through it (the studio's HTTP API or SQL console); reading works beside it (open the cluster read-only).`);
        this.name = 'WriterClaimedError';
    }
}

/** A write through a cluster opened read-only. */
export class ReadOnlyDatabaseError extends Error {
    constructor(readonly database: DatabaseName) {
        super(`The ${DatabaseSpecs[database].label} was opened read-only here, so nothing was written; write through the process that holds its writer claim (the studio).`);
        this.name = 'ReadOnlyDatabaseError';
    }
}

/**
 * SQLITE_BUSY reached a writer despite the one-writer rule: something outside the studio's
 * writers held the database's write lock past the busy timeout (the last guard, not the
 * design). Nothing of the write was applied; it is counted in health.
 */
export class DatabaseBusyError extends Error {
    readonly at = Date.now();

    constructor(readonly database: DatabaseName, readonly holder: string, readonly busyTimeoutMs: number, cause: unknown) {
        super(`The ${DatabaseSpecs[database].label} stayed locked by ${holder} for more than ${busyTimeoutMs} ms, so this write was not applied; retry it, and if it recurs, stop that writer (health lists these).`, { cause });
        this.name = 'DatabaseBusyError';
    }
}
