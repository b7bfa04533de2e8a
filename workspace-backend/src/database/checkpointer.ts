import type { SqliteDatabase } from './sqlite-database';

/**
 * The one component that checkpoints the cluster's databases. Every connection has
 * `wal_autocheckpoint=0`, so no commit checkpoints by itself: the owner decides when WAL
 * frames go into the database file. Replication takes ownership (`DatabaseCluster.
 * handOverCheckpointing`) because it must copy frames before a checkpoint lets SQLite reuse
 * the WAL; until then the `Checkpointer` below does it.
 */
export interface CheckpointOwner {
    readonly id: string;
    /** From now on, checkpoint this database (it is open). */
    manage(database: SqliteDatabase): void;
    /** Stop checkpointing it (it is closing, or ownership moves). */
    release(database: SqliteDatabase): void;
    /** Stop checkpointing everything. */
    dispose(): void;
}

export interface CheckpointerOptions {
    /** How often WAL sizes are looked at. */
    readonly intervalMs?: number;
    /** A PASSIVE checkpoint once the WAL holds this many pages (SQLite's own default is 1000). */
    readonly passivePages?: number;
    /** A TRUNCATE checkpoint once the WAL file is this large, to give the disk space back. */
    readonly truncateBytes?: number;
}

/**
 * The default checkpoint owner: on a timer, a PASSIVE checkpoint (never waits, never blocks
 * writers or readers) for each database whose WAL passed `passivePages`, and a TRUNCATE
 * checkpoint (which waits for nobody either: it is run with a zero busy timeout) when the WAL
 * file grew past `truncateBytes`. The timer does not keep the process alive.
 */
export class Checkpointer implements CheckpointOwner {
    readonly id = 'checkpointer';
    protected readonly databases = new Set<SqliteDatabase>();
    protected readonly timer: NodeJS.Timeout;

    constructor(protected readonly options: CheckpointerOptions = {}) {
        this.timer = setInterval(() => this.tick(), options.intervalMs ?? 1000);
        this.timer.unref();
    }

    manage(database: SqliteDatabase): void {
        this.databases.add(database);
    }

    release(database: SqliteDatabase): void {
        this.databases.delete(database);
    }

    dispose(): void {
        clearInterval(this.timer);
        this.databases.clear();
    }

    /** One round over every database; public so tests and shutdown can run it now. */
    tick(): void {
        const passivePages = this.options.passivePages ?? 1000;
        const truncateBytes = this.options.truncateBytes ?? 64 * 1024 * 1024;
        for (const database of this.databases) {
            try {
                const walBytes = database.walBytes();
                if (walBytes >= truncateBytes) {
                    database.checkpoint('TRUNCATE');
                } else if (database.walPages() >= passivePages) {
                    database.checkpoint('PASSIVE');
                }
            } catch (error) {
                // A failed checkpoint leaves the WAL longer, nothing worse; health shows its size.
                database.noteCheckpointError(error);
            }
        }
    }
}
