import type BetterSqlite3 from 'better-sqlite3';
import * as os from 'node:os';
import { DatabaseBusyError, DatabaseUnavailableError, DatabaseWriteError, isStorageFailure, ReadOnlyDatabaseError } from './database-errors';
import { DatabaseName, DatabaseSpec } from './database-names';
import { ConnectionSettings, MovedAside, openConnection, quickCheck, walBytes } from './database-open';
import { readSchemaVersion } from './migrations';
import { SchemaRepairReport } from './schema-repair';
import { QueryOptions, QueryResult, QueryWorkerPool } from './query-worker-pool';
import type { SessionMessage } from './query-worker-protocol';
import { QueryWorkerSession } from './query-worker-session';
import { inChildSpan } from '../telemetry/tracing';
import { SharedFileHandle } from './shared-file-handle';
import { SqlConnection, SqlParams } from './sql-connection';
import type { WriterClaim } from './writer-claim';

export type CheckpointMode = 'PASSIVE' | 'FULL' | 'RESTART' | 'TRUNCATE';

export interface CheckpointRecord {
    readonly at: Date;
    readonly mode: CheckpointMode;
    /** Frames in the WAL, and how many of them are now in the database file. */
    readonly walFrames: number;
    readonly checkpointedFrames: number;
    /** True when a reader or writer kept the checkpoint from finishing; it is retried later. */
    readonly busy: boolean;
}

export interface SqliteDatabaseOptions {
    readonly spec: DatabaseSpec;
    readonly file: string;
    /** The one write connection; absent when the database was opened read-only. */
    readonly writer?: BetterSqlite3.Database;
    /** The claim that makes `writer` the database's only writer (writer-claim.ts); released at close, after the writer. */
    readonly claim?: WriterClaim;
    readonly settings: ConnectionSettings;
    /** Connections in all, writer included (default 10): one writer, one main-thread reader, the rest query workers. */
    readonly poolSize?: number;
    readonly queryTimeoutMs?: number;
    readonly queryWorkerEntry?: string;
    readonly queryWorkerIdleMs?: number;
    readonly movedAside?: MovedAside;
    readonly schemaRepair?: SchemaRepairReport;
    /** Hears every write on the writer (a statement or a transaction, commit included): how long it took, and whether it threw. */
    readonly observeWrite?: (write: DatabaseWrite) => void;
}

/** One write as `observeWrite` hears it. */
export interface DatabaseWrite {
    readonly database: DatabaseName;
    readonly durationMs: number;
    readonly failed: boolean;
}

/**
 * One database of the cluster: a writer connection, a reader connection and a pool of query
 * workers, all on one file.
 *
 * - Writes (`run`, `transaction`) all go through the one writer connection on the main thread,
 *   and that connection holds the database's writer claim (writer-claim.ts), so no other
 *   process or thread of ours writes the file: SQLite's write lock is never contended by our
 *   own writers, and SQLITE_BUSY cannot reach a caller by design. The busy timeout stays only
 *   as a last guard against writers outside the rule (an admin's console write, a `sqlite3`
 *   shell); a BUSY past it becomes a `DatabaseBusyError` naming the database and the holder,
 *   counted in health. Transactions are IMMEDIATE, so such a wait happens before any of the
 *   transaction runs, never halfway through.
 * - Opened read-only (no writer), every write throws `ReadOnlyDatabaseError`.
 * - Point reads (`get`, `all`) run on the main-thread reader: an indexed lookup takes
 *   microseconds, less than a message to another thread would. Inside a transaction, read
 *   through its `tx` argument to see its own writes.
 * - Long or ad-hoc reads (`query`) run in worker processes with a time limit that kills them.
 */
export class SqliteDatabase {
    readonly name: DatabaseName;
    readonly label: string;
    readonly file: string;
    readonly movedAside: MovedAside | undefined;
    /** What the schema check at open repaired or found changed; reported in health until the studio restarts. */
    readonly schemaRepair: SchemaRepairReport | undefined;
    protected readonly writer: SqlConnection | undefined;
    protected readonly reader: SqlConnection;
    protected readonly queries: QueryWorkerPool;
    protected readonly runInTransaction: BetterSqlite3.Transaction<(fn: (tx: SqlConnection) => unknown) => unknown> | undefined;
    protected closed = false;
    protected lastCheckpointRecord: CheckpointRecord | undefined;
    protected lastCheckpointFailure: string | undefined;
    protected shm: SharedFileHandle | undefined;
    protected busyCount = 0;
    protected lastBusyError: DatabaseBusyError | undefined;
    /** The SQL console's write sessions now open on this file: the only writers besides ours. */
    protected readonly consoleWriters = new Set<QueryWorkerSession>();

    constructor(readonly options: SqliteDatabaseOptions) {
        this.name = options.spec.name;
        this.label = options.spec.label;
        this.file = options.file;
        this.movedAside = options.movedAside;
        this.schemaRepair = options.schemaRepair;
        this.writer = options.writer ? new SqlConnection(options.writer) : undefined;
        this.reader = new SqlConnection(openConnection(options.file, options.settings, 'read'));
        const poolSize = options.poolSize ?? 10;
        if (poolSize < 3) {
            throw new Error(`the ${this.label} needs a pool of at least 3 connections (writer, reader, one query worker); ${poolSize} was configured`);
        }
        this.queries = new QueryWorkerPool({
            name: this.name, file: options.file, maxWorkers: poolSize - 2,
            busyTimeoutMs: options.settings.busyTimeoutMs, defaultTimeoutMs: options.queryTimeoutMs ?? 30_000,
            entry: options.queryWorkerEntry, idleMs: options.queryWorkerIdleMs,
        });
        this.runInTransaction = options.writer
            ? options.writer.transaction((fn: (tx: SqlConnection) => unknown) => fn(this.writer!))
            : undefined;
    }

    get schemaVersion(): number {
        return readSchemaVersion(this.reader.db);
    }

    get isOpen(): boolean {
        return !this.closed;
    }

    /** One write statement, committed on its own. */
    run(sql: string, ...params: SqlParams): BetterSqlite3.RunResult {
        const writer = this.assertWritable();
        return this.timedWrite(() => writer.run(sql, ...params));
    }

    /** Runs `fn` in one IMMEDIATE transaction on the writer: all of it commits, or none of it (it throws). */
    transaction<T>(fn: (tx: SqlConnection) => T): T {
        this.assertWritable();
        return this.timedWrite(() => this.runInTransaction!.immediate(fn) as T);
    }

    /** Runs one write, told to `observeWrite` with its duration; its failure becomes this database's error (writeFailure). */
    protected timedWrite<T>(write: () => T): T {
        const observe = this.options.observeWrite;
        const started = observe ? performance.now() : 0;
        let failed = true;
        try {
            const result = inChildSpan('sqlite.write', { 'db.system': 'sqlite', 'db.namespace': this.name }, write);
            failed = false;
            return result;
        } catch (error) {
            throw this.writeFailure(error);
        } finally {
            observe?.({ database: this.name, durationMs: performance.now() - started, failed });
        }
    }

    get<T>(sql: string, ...params: SqlParams): T | undefined {
        this.assertOpen();
        return this.reader.get<T>(sql, ...params);
    }

    all<T>(sql: string, ...params: SqlParams): T[] {
        this.assertOpen();
        return this.reader.all<T>(sql, ...params);
    }

    /** A read query off the main thread, stopped (worker killed) when it passes its time limit. */
    query(sql: string, params: SqlParams | [] = [], options?: QueryOptions): Promise<QueryResult> {
        if (this.closed) {
            return Promise.reject(this.unavailable());
        }
        const bind = params.length === 1 && typeof params[0] === 'object' && params[0] !== null && !Buffer.isBuffer(params[0]) ? params[0] : params;
        return this.queries.query(sql, bind as readonly unknown[] | Record<string, unknown>, options);
    }

    /**
     * A query worker of one's own (the SQL console's): `read` on a read-only connection with
     * `query_only`, `write` on a read-write one with this database's pragmas, running `entry`
     * (the caller's worker, which answers its messages `M`). The caller closes it.
     */
    openSession<M extends SessionMessage>(mode: 'read' | 'write', entry: string): QueryWorkerSession<M> {
        if (mode === 'write') {
            this.assertWritable();
        } else {
            this.assertOpen();
        }
        const session = new QueryWorkerSession<M>({
            name: this.name, file: this.file, mode, synchronous: this.options.settings.synchronous,
            busyTimeoutMs: this.options.settings.busyTimeoutMs, entry,
            onClose: mode === 'write' ? () => this.consoleWriters.delete(session) : undefined,
        });
        if (mode === 'write') {
            this.consoleWriters.add(session);
        }
        return session;
    }

    /** True when this process holds the database's writer claim (it was not opened read-only). */
    get writable(): boolean {
        return this.writer !== undefined;
    }

    /** SQLITE_BUSY errors that reached a writer since open (each a `DatabaseBusyError`), and the latest. */
    get busyErrors(): { readonly count: number; readonly last: DatabaseBusyError | undefined } {
        return { count: this.busyCount, last: this.lastBusyError };
    }

    /** `PRAGMA quick_check` in a query worker (it reads every page): undefined when ok, else what it found. */
    async quickCheck(timeoutMs = 5 * 60_000): Promise<string | undefined> {
        const result = await this.query('PRAGMA quick_check(5)', [], { timeoutMs });
        const findings = result.rows.map(r => String(r.quick_check));
        return findings.length === 1 && findings[0] === 'ok' ? undefined : `quick_check found: ${findings.join('; ')}`;
    }

    /** `PRAGMA quick_check` on the main thread, for callers with no event loop to protect. */
    quickCheckNow(): string | undefined {
        return quickCheck(this.reader.db);
    }

    /**
     * Runs a checkpoint on the writer connection. Called by the checkpoint owner only.
     * The busy timeout is 0 for it: a checkpoint that would wait for readers or another
     * process's writer gives up (busy) and is retried on a later round, rather than
     * stalling the event loop.
     */
    checkpoint(mode: CheckpointMode): CheckpointRecord {
        const db = this.assertWritable().db;
        db.pragma('busy_timeout = 0');
        try {
            const [row] = db.pragma(`wal_checkpoint(${mode})`) as { busy: number; log: number; checkpointed: number }[];
            this.lastCheckpointRecord = { at: new Date(), mode, walFrames: row.log, checkpointedFrames: row.checkpointed, busy: row.busy !== 0 };
            this.lastCheckpointFailure = undefined;
            return this.lastCheckpointRecord;
        } finally {
            db.pragma(`busy_timeout = ${this.options.settings.busyTimeoutMs}`);
        }
    }

    noteCheckpointError(error: unknown): void {
        this.lastCheckpointFailure = error instanceof Error ? error.message : String(error);
    }

    get lastCheckpoint(): CheckpointRecord | undefined {
        return this.lastCheckpointRecord;
    }

    get lastCheckpointError(): string | undefined {
        return this.lastCheckpointFailure;
    }

    /** The size of the -wal file in bytes (it is reused, not shrunk, after a PASSIVE checkpoint). */
    walBytes(): number {
        return walBytes(this.file);
    }

    /**
     * WAL frames not yet checkpointed, read from the wal-index header in the -shm file
     * (`mxFrame` at byte 16, `nBackfill` at byte 96, native byte order; SQLite's documented
     * wal-index format). Cheap enough to read every second. The -shm is read through a
     * descriptor kept open until close (shared-file-handle.ts): opening and closing it on each
     * call would drop our connections' locks on it.
     */
    walPages(): number {
        if (this.closed) {
            return 0;
        }
        let header: Buffer;
        try {
            this.shm ??= SharedFileHandle.acquire(`${this.file}-shm`);
            header = this.shm.read(0, 100);
        } catch {
            return 0;
        }
        if (header.length < 100) {
            return 0;
        }
        const le = os.endianness() === 'LE';
        const mxFrame = le ? header.readUInt32LE(16) : header.readUInt32BE(16);
        const nBackfill = le ? header.readUInt32LE(96) : header.readUInt32BE(96);
        return Math.max(0, mxFrame - nBackfill);
    }

    /** Stops the query workers, then closes the reader and the writer (closing the last connection checkpoints the WAL). */
    async close(): Promise<void> {
        if (this.closed) {
            return;
        }
        this.closed = true;
        await this.queries.close();
        this.reader.db.close();
        this.writer?.db.close();
        this.shm?.release();
        this.options.claim?.release();
    }

    protected assertOpen(): void {
        if (this.closed) {
            throw this.unavailable();
        }
    }

    protected assertWritable(): SqlConnection {
        this.assertOpen();
        if (!this.writer) {
            throw new ReadOnlyDatabaseError(this.name);
        }
        return this.writer;
    }

    /**
     * Storage failures become a `DatabaseWriteError`, and a BUSY past the busy timeout a counted
     * `DatabaseBusyError`, each naming this database; other errors (constraints, the caller's
     * own) pass as they are.
     */
    protected writeFailure(error: unknown): unknown {
        const code = (error as { code?: unknown })?.code;
        if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
            this.busyCount++;
            this.lastBusyError = new DatabaseBusyError(this.name, this.describeOtherWriters(), this.options.settings.busyTimeoutMs, error);
            return this.lastBusyError;
        }
        return isStorageFailure(code) ? new DatabaseWriteError(this.name, code, error) : error;
    }

    /** Who else can hold this file's write lock: our console's write sessions, else a writer outside the studio. */
    protected describeOtherWriters(): string {
        const consoles = [...this.consoleWriters].map(s => s.pid).filter(pid => pid !== undefined);
        return consoles.length > 0
            ? `the SQL console's write session (worker pid ${consoles.join(', ')})`
            : 'a writer outside the studio (not one of its connections: a sqlite3 shell or another program on the file)';
    }

    protected unavailable(): Error {
        return new DatabaseUnavailableError(this.name, 'it has been closed (the workspace core is stopping).');
    }
}
