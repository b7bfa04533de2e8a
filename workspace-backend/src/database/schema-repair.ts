import type BetterSqlite3 from 'better-sqlite3';
import { normaliseSql, readSchemaObjects, SchemaObject } from './studio-schema';

/** What the check of a database's schema against the studio's found and did at open. */
export interface SchemaRepairReport {
    /** Studio objects that were missing and were created again from their reference SQL (tables empty). */
    readonly recreated: readonly SchemaObject[];
    /** Studio objects present with another definition: reported, never changed. */
    readonly differing: readonly { readonly object: SchemaObject; readonly found: string | null }[];
}

const creationOrder: Readonly<Record<SchemaObject['type'], number>> = { table: 0, view: 1, index: 2, trigger: 3 };

/**
 * Compares a database with the studio's schema (`reference`, studio-schema.ts) and recreates what
 * is missing, in one transaction, tables before the indexes and triggers on them. A recreated
 * table is empty: its rows went with it. An object whose definition differs is only reported:
 * changing it could lose data, and its owner must decide (restore the file, or rebuild it).
 * Objects that are not the studio's (an admin's own tables) are not looked at.
 */
export function repairSchema(db: BetterSqlite3.Database, reference: readonly SchemaObject[]): SchemaRepairReport {
    const run = db.transaction((): SchemaRepairReport => {
        const present = new Map(readSchemaObjects(db).map(o => [o.name, o]));
        const missing = reference.filter(o => !present.has(o.name) && o.sql !== null)
            .sort((a, b) => creationOrder[a.type] - creationOrder[b.type]);
        const differing = reference.flatMap(object => {
            const found = present.get(object.name);
            return found && (found.type !== object.type || normaliseSql(found.sql) !== normaliseSql(object.sql)) ? [{ object, found: found.sql }] : [];
        });
        for (const object of missing) {
            db.exec(object.sql!);
        }
        return { recreated: missing, differing };
    });
    return run.immediate();
}

/** The report in a sentence for a log line or health; undefined when the schema was whole. */
export function describeSchemaRepair(file: string, report: SchemaRepairReport): string | undefined {
    const parts: string[] = [];
    if (report.recreated.length > 0) {
        const tables = report.recreated.filter(o => o.type === 'table').map(o => o.name);
        parts.push(`the studio's ${report.recreated.map(o => `${o.type} ${o.name}`).join(', ')} ${report.recreated.length === 1 ? 'was' : 'were'} missing from ${file} and ${report.recreated.length === 1 ? 'was' : 'were'} recreated`
            + (tables.length > 0 ? `; ${tables.join(', ')} ${tables.length === 1 ? 'is' : 'are'} empty now (${tables.length === 1 ? 'its' : 'their'} rows were lost with the dropped table: restore ${file} from the replica if they matter)` : ''));
    }
    if (report.differing.length > 0) {
        parts.push(`${report.differing.map(d => `${d.object.type} ${d.object.name}`).join(', ')} in ${file} ${report.differing.length === 1 ? 'differs' : 'differ'} from the studio's definition and ${report.differing.length === 1 ? 'was' : 'were'} left as found; `
            + 'the studio may fail on it: restore the file from the replica, or rebuild it to the definition in the studio\'s migrations (workspace-backend/src/database/schema/)');
    }
    return parts.length > 0 ? `${parts.join('. ')}.` : undefined;
}
