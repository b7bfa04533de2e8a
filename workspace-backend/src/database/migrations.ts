import type BetterSqlite3 from 'better-sqlite3';
import { MigrationError, SchemaTooNewError } from './database-errors';

/**
 * One forward-only step of a database's schema. Versions start at 1 and have no gaps; a
 * released migration is never edited, only followed by a new one.
 */
export interface Migration {
    readonly version: number;
    readonly description: string;
    /** SQL run with `exec`, or a function for steps SQL alone cannot express. */
    readonly up: string | ((db: BetterSqlite3.Database) => void);
}

export interface MigrationResult {
    readonly from: number;
    readonly to: number;
}

/** The schema version is SQLite's `user_version` header field: readable by any SQLite tool. */
export function readSchemaVersion(db: BetterSqlite3.Database): number {
    return db.pragma('user_version', { simple: true }) as number;
}

/** The newest version a list of migrations knows; checks that the list is well formed. */
export function latestVersion(migrations: readonly Migration[]): number {
    migrations.forEach((m, i) => {
        if (m.version !== i + 1) {
            throw new Error(`migration list is malformed: entry ${i} has version ${m.version}, expected ${i + 1}`);
        }
    });
    return migrations.length;
}

/**
 * Brings a database to the newest schema this studio knows: all pending migrations run in one
 * IMMEDIATE transaction, so a failure leaves the file at its old version and two processes
 * opening the same file at once cannot both migrate it (the second sees the new version).
 * A file with a newer schema than known is refused, never touched.
 */
export function migrate(db: BetterSqlite3.Database, name: string, migrations: readonly Migration[]): MigrationResult {
    const known = latestVersion(migrations);
    const run = db.transaction((): MigrationResult => {
        const from = readSchemaVersion(db);
        if (from > known) {
            throw new SchemaTooNewError(name, from, known);
        }
        for (const migration of migrations.slice(from)) {
            try {
                if (typeof migration.up === 'string') {
                    db.exec(migration.up);
                } else {
                    migration.up(db);
                }
            } catch (error) {
                throw new MigrationError(name, migration.version, error);
            }
        }
        if (known !== from) {
            db.pragma(`user_version = ${known}`);
        }
        return { from, to: Math.max(from, known) };
    });
    return run.immediate();
}
