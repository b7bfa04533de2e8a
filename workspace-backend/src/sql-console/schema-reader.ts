import { SqliteDatabase } from '../database/sqlite-database';
import { SchemaTable } from './console-types';

/**
 * The tables and views of a database with their columns and indexes, for the schema tree and
 * completion. Read on the main-thread reader: a few catalogue lookups, microseconds each.
 */
export function readSchema(db: SqliteDatabase): SchemaTable[] {
    const objects = db.all<{ name: string; type: 'table' | 'view' }>(
        `SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name`);
    return objects.map(({ name, type }) => ({
        name,
        kind: type,
        columns: db.all<{ name: string; type: string; notnull: number; pk: number }>('SELECT name, type, "notnull", pk FROM pragma_table_info(?)', name)
            .map(c => ({ name: c.name, type: c.type, notNull: c.notnull === 1, primaryKey: c.pk > 0 })),
        indexes: type === 'view' ? [] : db.all<{ name: string; unique: number }>('SELECT name, "unique" FROM pragma_index_list(?) ORDER BY name', name)
            .map(i => ({
                name: i.name,
                unique: i.unique === 1,
                columns: db.all<{ name: string | null }>('SELECT name FROM pragma_index_info(?) ORDER BY seqno', i.name).map(c => c.name ?? '<expression>'),
            })),
    }));
}
