import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { WriterClaimedError, WriterHolder } from './database-errors';
import { DatabaseName } from './database-names';

/** The lock file of a database's writer claim, beside it in the data directory. */
export function writerClaimFile(dataDir: string, name: DatabaseName): string {
    return path.join(dataDir, `${name}.writer.lock`);
}

/**
 * The right to write one database, held by exactly one connection of one process at a time, so
 * SQLite's write lock on the database itself is never contended by two of our writers: that
 * contention is what made SQLITE_BUSY reach callers under load (SQLite's busy handler polls and
 * is not fair; a writer could starve past any timeout).
 *
 * The claim is an EXCLUSIVE transaction, never committed, on an empty SQLite file of its own
 * (`<name>.writer.lock`). SQLite takes it with POSIX advisory locks, which the kernel drops when
 * the holder dies, however it dies: a SIGKILLed studio never leaves a stale claim, and nothing
 * has to guess whether a recorded pid is still alive. SQLite also arbitrates between
 * connections of one process (threads), where POSIX locks alone would not.
 *
 * Invariant: nothing else in the process may open the lock file (closing any descriptor of a
 * file drops every POSIX lock the process holds on it); only this class names it.
 * The holder's description goes to a sidecar (`<name>.writer.json`) so a refused claimer can say
 * who holds it; the sidecar is advisory, the lock is the truth.
 */
export class WriterClaim {
    protected released = false;

    protected constructor(readonly database: DatabaseName, protected readonly connection: BetterSqlite3.Database, readonly holder: WriterHolder) { }

    /** Takes the claim at once or throws `WriterClaimedError` naming the holder; never waits. */
    static take(dataDir: string, database: DatabaseName, role: string): WriterClaim {
        const file = writerClaimFile(dataDir, database);
        const connection = new Database(file, { timeout: 0 });
        try {
            connection.pragma('locking_mode = EXCLUSIVE');
            connection.exec('BEGIN EXCLUSIVE');
        } catch (error) {
            connection.close();
            if (String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) {
                throw new WriterClaimedError(database, readWriterHolder(dataDir, database));
            }
            throw error;
        }
        const holder: WriterHolder = { pid: process.pid, host: os.hostname(), role, since: new Date().toISOString() };
        writeHolder(dataDir, database, holder);
        return new WriterClaim(database, connection, holder);
    }

    /** Gives the claim up (the next claimer gets it at once). */
    release(): void {
        if (this.released) {
            return;
        }
        this.released = true;
        this.connection.close();
    }
}

/** The holder its sidecar names, or undefined when there is none or it is unreadable. */
export function readWriterHolder(dataDir: string, database: DatabaseName): WriterHolder | undefined {
    try {
        return JSON.parse(fs.readFileSync(holderFile(dataDir, database), 'utf8')) as WriterHolder;
    } catch {
        return undefined;
    }
}

function holderFile(dataDir: string, database: DatabaseName): string {
    return path.join(dataDir, `${database}.writer.json`);
}

/** Written to a temporary name and renamed, so a reader never sees half a record. */
function writeHolder(dataDir: string, database: DatabaseName, holder: WriterHolder): void {
    const file = holderFile(dataDir, database);
    const temporary = `${file}.${process.pid}-${threadId}.tmp`;
    try {
        fs.writeFileSync(temporary, JSON.stringify(holder));
        fs.renameSync(temporary, file);
    } catch {
        // The description is advisory; the claim itself is held.
        fs.rmSync(temporary, { force: true });
    }
}
