import * as fs from 'node:fs';
import * as path from 'node:path';
import { ComponentHealth } from '../health/workspace-health';
import { Emitter, Event } from '../common/emitter';
import { CheckpointOwner, Checkpointer, CheckpointerOptions } from './checkpointer';
import { DatabaseUnavailableError } from './database-errors';
import { databaseFileName, DatabaseName, DatabaseNames, DatabaseSpecs } from './database-names';
import { ConnectionSettings, ensureDataDirectory, OpenedDatabase, openDatabaseFile } from './database-open';
import { latestVersion, Migration } from './migrations';
import { describeSchemaRepair } from './schema-repair';
import { SchemaObject, studioSchema } from './studio-schema';
import { databaseMigrations } from './schema';
import { DatabaseWrite, SqliteDatabase } from './sqlite-database';
import { WriterClaim } from './writer-claim';
import { logFor } from '../telemetry/logger';

export interface DatabaseClusterOptions {
    readonly dataDir: string;
    /**
     * `write` (the default) takes each database's writer claim (writer-claim.ts) and opens its
     * writer; a database whose claim another process holds is `down`, naming the holder, and is
     * tried again like any other down database. `read` opens existing files for reading only,
     * beside a writer elsewhere (no claim, no migrations, no checkpoints).
     */
    readonly access?: 'write' | 'read';
    /** What this process is, for the claim's description: "the studio" (default "a process"). */
    readonly writerRole?: string;
    /** Connections per database, writer included (default 10). */
    readonly poolSize?: number;
    /** Default 5000 ms. */
    readonly busyTimeoutMs?: number;
    /** Default time limit of `query()`, 30 s. */
    readonly queryTimeoutMs?: number;
    readonly queryWorkerEntry?: string;
    readonly queryWorkerIdleMs?: number;
    readonly checkAtOpen?: 'quick' | 'header';
    readonly checkpointer?: CheckpointerOptions;
    /** Replaces some databases' migrations (tests). */
    readonly migrations?: Partial<Record<DatabaseName, readonly Migration[]>>;
    /** A database that is down is tried again at most this often, when health is asked for (default 15 s). */
    readonly retryDownMs?: number;
    /** Where the schema check at open reports what it repaired (default: the core's log). */
    readonly log?: (message: string) => void;
}

export interface DatabaseHealthOptions {
    /** Also run `PRAGMA quick_check` on each open database (in its query worker; reads every page). */
    readonly quickCheck?: boolean;
}

type DatabaseState =
    | { readonly status: 'open'; readonly database: SqliteDatabase }
    | { readonly status: 'down'; readonly error: Error; readonly triedAt: number };

/**
 * The workspace's six SQLite databases (database-names.ts), opened together and reported
 * together. A database that cannot be opened is `down` and the others keep serving; one whose
 * file was damaged was moved aside and restarted empty, and is `degraded` until the studio
 * restarts. Nothing here throws at open or crash-loops: faults become health.
 */
export class DatabaseCluster {
    protected readonly states = new Map<DatabaseName, DatabaseState>();
    protected checkpointOwner: CheckpointOwner;
    /** Claims taken by `claimWriters()` and not yet handed to an open database. */
    protected readonly heldClaims = new Map<DatabaseName, WriterClaim>();
    protected closed = false;
    protected readonly writes = new Emitter<DatabaseWrite>();
    /** Every write on a writer of the cluster, with its duration (for the write-latency metrics). */
    readonly onWrite: Event<DatabaseWrite> = this.writes.event;

    constructor(readonly options: DatabaseClusterOptions) {
        this.checkpointOwner = new Checkpointer(options.checkpointer);
    }

    /**
     * Takes every database's writer claim without opening anything, for a caller that must own
     * the files before it touches them (restore replaces files; it must never do that under
     * another writer). Returns the refusals (`WriterClaimedError`s naming the holders); the
     * claims taken are used by `open()`.
     */
    claimWriters(): Error[] {
        const refusals: Error[] = [];
        for (const name of DatabaseNames) {
            if (this.heldClaims.has(name)) {
                continue;
            }
            try {
                ensureDataDirectory(this.options.dataDir, DatabaseSpecs[name]);
                this.heldClaims.set(name, WriterClaim.take(this.options.dataDir, name, this.writerRole()));
            } catch (error) {
                refusals.push(error instanceof Error ? error : new Error(String(error)));
            }
        }
        return refusals;
    }

    /** Opens every database; returns at once for those that fail (see `health()`). */
    open(): this {
        for (const name of DatabaseNames) {
            this.openOne(name);
        }
        return this;
    }

    /** The open database, or a `DatabaseUnavailableError` saying why it is not. */
    get(name: DatabaseName): SqliteDatabase {
        const state = this.states.get(name);
        if (state?.status === 'open') {
            return state.database;
        }
        if (state?.status === 'down') {
            throw state.error instanceof DatabaseUnavailableError ? state.error : new DatabaseUnavailableError(name, state.error.message);
        }
        throw new DatabaseUnavailableError(name, this.closed ? 'the cluster has been closed.' : 'the cluster has not been opened.');
    }

    /** The open databases. */
    databases(): SqliteDatabase[] {
        return [...this.states.values()].flatMap(s => s.status === 'open' ? [s.database] : []);
    }

    /**
     * Gives checkpointing to another owner (replication): the current owner releases every
     * database first, so there is never a moment with two owners.
     */
    handOverCheckpointing(owner: CheckpointOwner): void {
        this.checkpointOwner.dispose();
        this.checkpointOwner = owner;
        for (const database of this.databases()) {
            owner.manage(database);
        }
    }

    /** The studio's own tables, indexes and triggers of a database (studio-schema.ts), as this cluster migrates it. */
    studioSchema(name: DatabaseName): readonly SchemaObject[] {
        return studioSchema(this.migrationsOf(name));
    }

    get checkpointing(): CheckpointOwner {
        return this.checkpointOwner;
    }

    async health(options: DatabaseHealthOptions = {}): Promise<ComponentHealth[]> {
        this.retryDown();
        return Promise.all(DatabaseNames.map(name => this.healthOf(name, options)));
    }

    async close(): Promise<void> {
        if (this.closed) {
            return;
        }
        this.closed = true;
        this.checkpointOwner.dispose();
        const open = this.databases();
        this.states.clear();
        await Promise.all(open.map(d => d.close()));
        for (const claim of this.heldClaims.values()) {
            claim.release();
        }
        this.heldClaims.clear();
    }

    protected openOne(name: DatabaseName): void {
        try {
            const database = this.options.access === 'read' ? this.openReadOnly(name) : this.openWritable(name);
            this.states.set(name, { status: 'open', database });
            if (database.writable) {
                this.checkpointOwner.manage(database);
            }
        } catch (error) {
            this.states.set(name, { status: 'down', error: error instanceof Error ? error : new Error(String(error)), triedAt: Date.now() });
        }
    }

    protected settingsOf(name: DatabaseName): ConnectionSettings {
        return { synchronous: DatabaseSpecs[name].synchronous, busyTimeoutMs: this.options.busyTimeoutMs ?? 5000 };
    }

    /** Claim first, then open: a second writer never gets as far as opening the file for writing. */
    protected openWritable(name: DatabaseName): SqliteDatabase {
        const spec = DatabaseSpecs[name];
        const settings = this.settingsOf(name);
        ensureDataDirectory(this.options.dataDir, spec);
        const claim = this.heldClaims.get(name) ?? WriterClaim.take(this.options.dataDir, name, this.writerRole());
        this.heldClaims.delete(name);
        let writer: OpenedDatabase['writer'] | undefined;
        try {
            const opened = openDatabaseFile({
                dataDir: this.options.dataDir, spec, settings, checkAtOpen: this.options.checkAtOpen,
                migrations: this.migrationsOf(name),
            });
            writer = opened.writer;
            const repaired = opened.schemaRepair && describeSchemaRepair(databaseFileName(name), opened.schemaRepair);
            if (repaired) {
                if (this.options.log) {
                    this.options.log(`[database] ${repaired}`);
                } else {
                    logFor('database').warn(repaired);
                }
            }
            return new SqliteDatabase({
                spec, file: opened.file, writer: opened.writer, claim, settings, movedAside: opened.movedAside, schemaRepair: opened.schemaRepair,
                poolSize: this.options.poolSize, queryTimeoutMs: this.options.queryTimeoutMs,
                queryWorkerEntry: this.options.queryWorkerEntry, queryWorkerIdleMs: this.options.queryWorkerIdleMs,
                observeWrite: write => this.writes.fire(write),
            });
        } catch (error) {
            writer?.close();
            claim.release();
            throw error;
        }
    }

    protected writerRole(): string {
        return this.options.writerRole ?? `a process (${path.basename(process.argv[1] ?? 'node')})`;
    }

    protected openReadOnly(name: DatabaseName): SqliteDatabase {
        const file = path.join(this.options.dataDir, databaseFileName(name));
        if (!fs.existsSync(file)) {
            throw new DatabaseUnavailableError(name, `${file} does not exist yet; it is created when the studio (its writer) first starts.`);
        }
        return new SqliteDatabase({
            spec: DatabaseSpecs[name], file, settings: this.settingsOf(name),
            poolSize: this.options.poolSize, queryTimeoutMs: this.options.queryTimeoutMs,
            queryWorkerEntry: this.options.queryWorkerEntry, queryWorkerIdleMs: this.options.queryWorkerIdleMs,
        });
    }

    protected retryDown(): void {
        if (this.closed) {
            return;
        }
        const interval = this.options.retryDownMs ?? 15_000;
        for (const [name, state] of this.states) {
            if (state.status === 'down' && Date.now() - state.triedAt >= interval) {
                this.openOne(name);
            }
        }
    }

    protected migrationsOf(name: DatabaseName): readonly Migration[] {
        return this.options.migrations?.[name] ?? databaseMigrations[name];
    }

    protected async healthOf(name: DatabaseName, options: DatabaseHealthOptions): Promise<ComponentHealth> {
        const spec = DatabaseSpecs[name];
        const id = `db:${name}`;
        const label = spec.label;
        const state = this.states.get(name);
        const file = path.join(this.options.dataDir, databaseFileName(name));
        if (state === undefined) {
            return { id, label, status: this.closed ? 'down' : 'starting', detail: this.closed ? 'Closed.' : 'Not opened yet.', metrics: { file } };
        }
        if (state.status === 'down') {
            return { id, label, status: 'down', detail: state.error.message, metrics: { file } };
        }
        const database = state.database;
        let quickCheck: string | undefined;
        if (options.quickCheck) {
            try {
                quickCheck = (await database.quickCheck()) ?? 'ok';
            } catch (error) {
                quickCheck = `could not run: ${error instanceof Error ? error.message : String(error)}`;
            }
        }
        let schemaVersion: number | null = null;
        try {
            schemaVersion = database.schemaVersion;
        } catch {
            // Closed between the state lookup and now (the core is stopping).
        }
        const checkpoint = database.lastCheckpoint;
        const metrics: Record<string, number | string | boolean | null> = {
            file,
            schemaVersion,
            knownSchemaVersion: latestVersion(this.migrationsOf(name)),
            synchronous: spec.synchronous,
            walBytes: database.walBytes(),
            walPages: database.walPages(),
            lastCheckpointAt: checkpoint?.at.toISOString() ?? null,
            checkpointOwner: this.checkpointOwner.id,
            access: database.writable ? 'write' : 'read',
            busyErrors: database.busyErrors.count,
        };
        if (quickCheck !== undefined) {
            metrics.quickCheck = quickCheck;
        }
        if (database.movedAside) {
            metrics.movedAside = database.movedAside.movedTo;
            return {
                id, label, status: 'degraded', metrics,
                detail: `${databaseFileName(name)} was damaged (${database.movedAside.reason}); it was moved aside to ${database.movedAside.movedTo} and a new empty database started. Restore it from the replica or inspect the moved file.`,
            };
        }
        const repaired = database.schemaRepair && describeSchemaRepair(databaseFileName(name), database.schemaRepair);
        if (repaired) {
            metrics.schemaRecreated = database.schemaRepair!.recreated.map(o => o.name).join(', ');
            metrics.schemaDiffering = database.schemaRepair!.differing.map(d => d.object.name).join(', ');
            return { id, label, status: 'degraded', metrics, detail: `At start, ${repaired}` };
        }
        if (quickCheck !== undefined && quickCheck !== 'ok') {
            return { id, label, status: 'degraded', metrics, detail: `${databaseFileName(name)} failed its integrity check (${quickCheck}); restore it from the replica.` };
        }
        const busy = database.busyErrors.last;
        if (busy && Date.now() - busy.at < recentBusyMs) {
            return { id, label, status: 'degraded', metrics, detail: `${database.busyErrors.count} write(s) failed with SQLITE_BUSY since the start; the latest: ${busy.message}` };
        }
        const checkpointNote = database.lastCheckpointError ? `; last checkpoint failed: ${database.lastCheckpointError}` : '';
        return { id, label, status: 'ok', metrics, detail: `Open, schema v${schemaVersion}, WAL ${formatBytes(metrics.walBytes as number)}${checkpointNote}.` };
    }
}

/** A BUSY error keeps a database degraded this long after it happened. */
const recentBusyMs = 5 * 60_000;

function formatBytes(bytes: number): string {
    return bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
