import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFsError } from '../health/directory-probe';
import { DatabaseUnavailableError, SchemaTooNewError } from './database-errors';
import { databaseFileName, DatabaseSpec, SynchronousMode } from './database-names';
import { latestVersion, migrate, Migration, MigrationResult, readSchemaVersion } from './migrations';
import { repairSchema, SchemaRepairReport } from './schema-repair';
import { studioSchema } from './studio-schema';

/** The size a restarted WAL is cut back to (journal_size_limit). */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

/** What every connection of one database is opened with. */
export interface ConnectionSettings {
    readonly synchronous: SynchronousMode;
    /** How long a connection waits for another's lock before SQLITE_BUSY. */
    readonly busyTimeoutMs: number;
}

/**
 * Opens one connection and applies the pragmas every connection of the cluster has. Most are
 * per connection, not per file, so they are set on each one:
 * - `journal_mode=WAL` (persistent in the file; set by the writer, checked by readers): readers
 *   never block the writer nor the writer them.
 * - `busy_timeout`: a lock held by another connection is waited for, not reported as SQLITE_BUSY.
 * - `wal_autocheckpoint=0`: no commit ever runs a checkpoint; one component owns checkpoints
 *   (see checkpointer.ts), because replication must see every WAL frame before it is
 *   checkpointed away.
 * - `journal_size_limit`: when a writer restarts the WAL after a complete checkpoint, SQLite
 *   truncates the file to this size, so a burst of writes does not leave a large WAL behind for
 *   good (the checkpoints themselves keep what it holds bounded; see the replicator).
 * - `foreign_keys=ON`, and `synchronous` as chosen per database in database-names.ts.
 */
export function openConnection(file: string, settings: ConnectionSettings, mode: 'write' | 'read'): BetterSqlite3.Database {
    const db = new Database(file, { readonly: mode === 'read', fileMustExist: mode === 'read', timeout: settings.busyTimeoutMs });
    try {
        configureConnection(db, settings, mode);
        return db;
    } catch (error) {
        db.close();
        throw error;
    }
}

export function configureConnection(db: BetterSqlite3.Database, settings: ConnectionSettings, mode: 'write' | 'read'): void {
    db.pragma(`busy_timeout = ${settings.busyTimeoutMs}`);
    if (mode === 'write') {
        const journal = db.pragma('journal_mode = WAL', { simple: true });
        if (journal !== 'wal') {
            throw new Error(`could not switch ${db.name} to WAL mode (journal_mode is ${String(journal)})`);
        }
    }
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    db.pragma('foreign_keys = ON');
    db.pragma(`synchronous = ${settings.synchronous}`);
}

/** A damaged file found at open and moved aside. */
export interface MovedAside {
    /** Why the file was judged damaged, e.g. "file is not a database". */
    readonly reason: string;
    /** Where the damaged file now is (its -wal and -shm, if any, beside it with the same suffixes). */
    readonly movedTo: string;
}

export interface OpenedDatabase {
    readonly file: string;
    readonly writer: BetterSqlite3.Database;
    readonly schema: MigrationResult;
    /** Set when the file was damaged: the fresh, empty database replaced it. */
    readonly movedAside?: MovedAside;
    /** What the schema check at open recreated or found changed (schema-repair.ts). */
    readonly schemaRepair?: SchemaRepairReport;
}

export interface OpenDatabaseOptions {
    readonly dataDir: string;
    readonly spec: DatabaseSpec;
    readonly migrations: readonly Migration[];
    readonly settings: ConnectionSettings;
    /**
     * `quick` (the default) runs `PRAGMA quick_check` at open: it reads every page, so it costs
     * time in proportion to the file (about a second per GB here). `header` checks only the file
     * header and the schema, for very large files whose owners accept the risk.
     */
    readonly checkAtOpen?: 'quick' | 'header';
    readonly now?: () => Date;
}

/**
 * Opens a database's writer connection, migrating it to the current schema. A damaged file
 * (bad header, truncated, "file is not a database", `quick_check` not ok) is moved aside,
 * never deleted, and a fresh database is created in its place; the caller reports that.
 * Anything else that stops the open (the directory is read-only or not a directory, the disk
 * is full, the schema is newer than this studio) throws a `DatabaseUnavailableError` or
 * `SchemaTooNewError` that names the database and says what to do.
 */
export function openDatabaseFile(options: OpenDatabaseOptions): OpenedDatabase {
    const { dataDir, spec } = options;
    const file = path.join(dataDir, databaseFileName(spec.name));
    ensureDataDirectory(dataDir, spec);
    let damage = inspectFileHeader(file);
    if (damage === undefined) {
        let writer: BetterSqlite3.Database | undefined;
        try {
            writer = openConnection(file, options.settings, 'write');
            if ((options.checkAtOpen ?? 'quick') === 'quick' && fs.statSync(file).size > 0) {
                damage = quickCheck(writer);
            }
            if (damage === undefined) {
                const schemaRepair = repairToVersion(writer, options.migrations);
                const schema = migrate(writer, spec.name, options.migrations);
                return { file, writer, schema, schemaRepair };
            }
        } catch (error) {
            damage = damageReason(error);
            if (damage === undefined) {
                writer?.close();
                throw unavailable(spec, file, error);
            }
        }
        closeQuietly(writer);
    }
    const movedTo = moveAside(file, spec, options.now?.() ?? new Date());
    try {
        const writer = openConnection(file, options.settings, 'write');
        const schema = migrate(writer, spec.name, options.migrations);
        return { file, writer, schema, movedAside: { reason: damage, movedTo } };
    } catch (error) {
        throw unavailable(spec, file, error);
    }
}

/**
 * Checks the file's schema against the studio's at the file's own version, before migrating: a
 * studio table dropped by hand (a `sqlite3` shell) is recreated, so that the migrations and the
 * studio's code find what they expect. Undefined for a new file or one newer than the studio
 * (which `migrate` refuses).
 */
function repairToVersion(writer: BetterSqlite3.Database, migrations: readonly Migration[]): SchemaRepairReport | undefined {
    const version = readSchemaVersion(writer);
    if (version === 0 || version > latestVersion(migrations)) {
        return undefined;
    }
    return repairSchema(writer, studioSchema(migrations, version));
}

/** Runs `PRAGMA quick_check`; undefined when it says ok, else its first findings. */
export function quickCheck(db: BetterSqlite3.Database): string | undefined {
    const rows = db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
    const findings = rows.map(r => r.quick_check);
    return findings.length === 1 && findings[0] === 'ok' ? undefined : `quick_check found: ${findings.join('; ')}`;
}

const sqliteMagic = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Checks the 100-byte file header without SQLite: the magic string, a valid page size, a file
 * length that is a whole number of pages, and (when the header's page count is current and no
 * WAL holds newer pages) a file at least as long as the header says. Undefined when it looks
 * sound or does not exist yet.
 */
export function inspectFileHeader(file: string): string | undefined {
    let size: number;
    try {
        size = fs.statSync(file).size;
    } catch {
        return undefined;
    }
    if (size === 0) {
        return undefined;
    }
    if (size < 100) {
        return `truncated: ${size} bytes, shorter than the 100-byte header`;
    }
    const header = Buffer.alloc(100);
    const fd = fs.openSync(file, 'r');
    try {
        fs.readSync(fd, header, 0, 100, 0);
    } finally {
        fs.closeSync(fd);
    }
    if (!header.subarray(0, 16).equals(sqliteMagic)) {
        return 'file is not a database (bad header)';
    }
    const rawPageSize = header.readUInt16BE(16);
    const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
        return `bad header: page size ${rawPageSize}`;
    }
    if (size % pageSize !== 0) {
        return `truncated: ${size} bytes is not a whole number of ${pageSize}-byte pages`;
    }
    const pageCount = header.readUInt32BE(28);
    const pageCountIsCurrent = header.readUInt32BE(92) === header.readUInt32BE(24);
    if (pageCountIsCurrent && pageCount * pageSize > size && walBytes(file) === 0) {
        return `truncated: the header counts ${pageCount} pages but the file holds ${size / pageSize}`;
    }
    return undefined;
}

/** The size of a database's WAL file; 0 when there is none. */
export function walBytes(file: string): number {
    try {
        return fs.statSync(`${file}-wal`).size;
    } catch {
        return 0;
    }
}

/** The damage an SQLite error reveals, or undefined when the error is not about the file's content. */
function damageReason(error: unknown): string | undefined {
    const code = (error as { code?: unknown })?.code;
    if (typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))) {
        return (error as Error).message;
    }
    return undefined;
}

/** Creates the data directory if needed; a `DatabaseUnavailableError` naming the database says why it cannot be. */
export function ensureDataDirectory(dir: string, spec: DatabaseSpec): void {
    try {
        fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
        throw new DatabaseUnavailableError(spec.name, `its folder ${dir} cannot be created: ${describeOpenFsError(error, dir)}`);
    }
    if (!fs.statSync(dir).isDirectory()) {
        throw new DatabaseUnavailableError(spec.name, `${dir} is not a directory; point the data directory at a folder.`);
    }
}

function describeOpenFsError(error: unknown, dir: string): string {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'ENOTDIR' || code === 'EEXIST') {
        return `a part of ${dir} is a file, not a folder; point the data directory at a folder.`;
    }
    return describeFsError(error);
}

/** Turns an open failure into an error naming the database, the file and what to do. */
function unavailable(spec: DatabaseSpec, file: string, error: unknown): Error {
    if (error instanceof SchemaTooNewError || error instanceof DatabaseUnavailableError) {
        return error;
    }
    const code = (error as { code?: unknown })?.code;
    let reason: string;
    if (code === 'SQLITE_FULL' || (error as NodeJS.ErrnoException)?.code === 'ENOSPC') {
        reason = 'the disk is full; free some space.';
    } else {
        reason = whyNotWritable(path.dirname(file)) ?? (error instanceof Error ? error.message : String(error));
    }
    return new DatabaseUnavailableError(spec.name, `${file} cannot be opened: ${reason}`);
}

/** SQLite says only "unable to open" or "readonly"; a probe write in the folder tells why. */
function whyNotWritable(dir: string): string | undefined {
    const probe = path.join(dir, `.db-probe-${process.pid}-${Date.now()}`);
    try {
        fs.writeFileSync(probe, 'ok');
        fs.rmSync(probe, { force: true });
        return undefined;
    } catch (error) {
        return describeOpenFsError(error, dir);
    }
}

/**
 * Moves a damaged file and its -wal, -shm and -journal to `<name>.db.corrupt-<timestamp>` (the
 * companions keep their suffixes, so SQLite opens the moved set as it was). Never deletes.
 */
function moveAside(file: string, spec: DatabaseSpec, now: Date): string {
    const target = `${file}.corrupt-${now.toISOString().replace(/:/g, '-')}`;
    try {
        fs.renameSync(file, target);
        for (const suffix of ['-wal', '-shm', '-journal']) {
            if (fs.existsSync(file + suffix)) {
                fs.renameSync(file + suffix, target + suffix);
            }
        }
    } catch (error) {
        throw new DatabaseUnavailableError(spec.name, `${file} is damaged and could not be moved aside to ${target}: ${describeFsError(error)}`);
    }
    return target;
}

function closeQuietly(db: BetterSqlite3.Database | undefined): void {
    try {
        db?.close();
    } catch {
        // The connection is being abandoned because its file is damaged; closing is best effort.
    }
}
