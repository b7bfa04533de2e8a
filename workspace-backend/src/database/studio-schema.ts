import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { latestVersion, migrate, Migration } from './migrations';

/** One row of `sqlite_schema`: a table, index, trigger or view. */
export interface SchemaObject {
    readonly type: 'table' | 'index' | 'trigger' | 'view';
    readonly name: string;
    /** The table it belongs to (an index's or trigger's table; a table's own name). */
    readonly tblName: string;
    /** Its CREATE statement; null for the indexes SQLite makes itself (PRIMARY KEY, UNIQUE). */
    readonly sql: string | null;
}

/** The objects of a database, in `sqlite_schema` order; SQLite's own (`sqlite_%` tables) left out. */
export function readSchemaObjects(db: BetterSqlite3.Database): SchemaObject[] {
    return db.prepare(`SELECT type, name, tbl_name AS tblName, sql FROM main.sqlite_schema
        WHERE type IN ('table', 'index', 'trigger', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid`).all() as SchemaObject[];
}

/** A CREATE statement with its whitespace collapsed, to compare definitions regardless of layout. */
export function normaliseSql(sql: string | null): string | null {
    return sql === null ? null : sql.replace(/\s+/g, ' ').trim();
}

const cache = new WeakMap<readonly Migration[], Map<number, readonly SchemaObject[]>>();

/**
 * The studio's own schema of a database: the objects its migrations create up to `version`
 * (default: all of them), found by running those migrations on an in-memory database and reading
 * its `sqlite_schema`. This is the one place that knows which tables, indexes and triggers are
 * the studio's: the SQL console protects them and the cluster repairs them at open from it.
 * Computed once per migration list and version.
 */
export function studioSchema(migrations: readonly Migration[], version = latestVersion(migrations)): readonly SchemaObject[] {
    let byVersion = cache.get(migrations);
    if (!byVersion) {
        byVersion = new Map();
        cache.set(migrations, byVersion);
    }
    let objects = byVersion.get(version);
    if (!objects) {
        const db = new Database(':memory:');
        try {
            migrate(db, 'reference', migrations.slice(0, version));
            objects = Object.freeze(readSchemaObjects(db));
        } finally {
            db.close();
        }
        byVersion.set(version, objects);
    }
    return objects;
}

/** The names of the studio's tables in `schema`. */
export function studioTables(schema: readonly SchemaObject[]): string[] {
    return schema.filter(o => o.type === 'table').map(o => o.name);
}
