import type BetterSqlite3 from 'better-sqlite3';
import type { PolicyAction } from '../policy/policy-table';
import { ProgramAccess } from './program-access';
import { restrictedTablesOf, SampledKeysTable } from './restricted-tables';

/** The policy action a protection refusal is audited as (policy-table.ts). */
type ProtectionAction = Extract<PolicyAction, 'sql.read-restricted' | 'sql.write-restricted' | 'sql.schema'>;

/** A refusal's cause, for the policy to audit in the main process. */
export interface Violation {
    readonly action: ProtectionAction;
    /** The table or other object, by name. */
    readonly object: string;
}

/**
 * What a console run on one database must not touch, decided in the main process (by role and
 * the studio's schema) and enforced in the query worker, where the statements compile:
 * - `unreadable`: restricted tables this person may not read, with why and what to do instead;
 * - `reported`: restricted tables this person may read, reported back so each read is audited;
 * - `unwritable`: restricted tables nobody changes through the console, with what to use instead;
 * - `studioObjects`: the studio's own tables, indexes and triggers (studio-schema.ts), which no
 *   console script may drop, alter, or add an index or trigger to.
 */
export interface ConsoleProtection {
    readonly unreadable: Readonly<Record<string, string>>;
    readonly reported: readonly string[];
    readonly unwritable: Readonly<Record<string, string>>;
    readonly studioObjects: readonly { readonly type: string; readonly name: string; readonly tblName: string }[];
}

/** The protection of a run on `database` by someone who may (admin) or may not read the restricted tables. */
export function consoleProtection(database: string, mayReadRestricted: boolean, studioObjects: ConsoleProtection['studioObjects']): ConsoleProtection {
    const restricted = restrictedTablesOf(database);
    const unreadable = restricted.length === 0 || mayReadRestricted ? [] : [...restricted, SampledKeysTable];
    return {
        unreadable: Object.fromEntries(unreadable.map(t => [t.name, t.whenRead])),
        reported: mayReadRestricted ? restricted.map(t => t.name) : [],
        unwritable: Object.fromEntries(restricted.map(t => [t.name, t.whenWritten])),
        studioObjects: studioObjects.map(({ type, name, tblName }) => ({ type, name, tblName })),
    };
}

export interface ProtectionRefusal {
    readonly message: string;
    readonly violation: Violation;
}

/** The first thing a statement's program does that `protection` forbids; undefined when none. */
export function refuseAccess(access: ProgramAccess, protection: ConsoleProtection): ProtectionRefusal | undefined {
    for (const name of access.dropped) {
        const object = protection.studioObjects.find(o => o.name === name);
        if (object) {
            return schemaRefusal(`${object.type} ${name}`, 'dropping it');
        }
    }
    for (const table of access.written) {
        if (table in protection.unwritable) {
            return { message: protection.unwritable[table], violation: { action: 'sql.write-restricted', object: table } };
        }
    }
    for (const table of access.read) {
        if (table in protection.unreadable) {
            return { message: protection.unreadable[table], violation: { action: 'sql.read-restricted', object: table } };
        }
    }
    return undefined;
}

/** The restricted tables of `access` whose reads are to be audited. */
export function reportedReads(access: ProgramAccess, protection: ConsoleProtection): string[] {
    return protection.reported.filter(t => access.read.has(t));
}

function schemaRefusal(what: string, doing: string): ProtectionRefusal {
    return {
        message: `${what} is one of the studio's own objects, and ${doing} would break the studio (its migrations and code expect it as they made it); admins included, the console does not change them. Create and change tables of your own instead.`,
        violation: { action: 'sql.schema', object: what.replace(/^\S+ /, '') },
    };
}

type SnapshotRow = readonly [type: string, name: string, tblName: string, rootpage: number | null, sql: string | null];

/**
 * The rows of `sqlite_schema` that are the studio's objects or belong to its tables, taken
 * before a write script and again before its COMMIT: any difference is a change to the studio's
 * schema (see `schemaChange`). The root page is part of it, so a table dropped and created again
 * with the same definition is seen too.
 */
export function snapshotStudioSchema(db: BetterSqlite3.Database, protection: ConsoleProtection): Map<string, SnapshotRow> {
    const names = JSON.stringify(protection.studioObjects.map(o => o.name));
    const tables = JSON.stringify(protection.studioObjects.filter(o => o.type === 'table').map(o => o.name));
    const rows = db.prepare(`SELECT type, name, tbl_name, rootpage, sql FROM main.sqlite_schema
        WHERE name IN (SELECT value FROM json_each(?)) OR tbl_name IN (SELECT value FROM json_each(?))`).raw().all(names, tables) as SnapshotRow[];
    return new Map(rows.map(r => [r[1], r]));
}

/** How the studio's schema changed between two snapshots; undefined when it did not. */
export function schemaChange(before: ReadonlyMap<string, SnapshotRow>, after: ReadonlyMap<string, SnapshotRow>): ProtectionRefusal | undefined {
    for (const [name, row] of before) {
        const now = after.get(name);
        if (!now) {
            return schemaRefusal(`${row[0]} ${name}`, 'dropping or renaming it');
        }
        if (now.some((value, i) => value !== row[i])) {
            return schemaRefusal(`${row[0]} ${name}`, 'altering it');
        }
    }
    for (const [name, row] of after) {
        if (!before.has(name)) {
            return row[2] !== name
                ? schemaRefusal(`table ${row[2]}`, `adding ${row[0]} ${name} to it`)
                : schemaRefusal(`${row[0]} ${name}`, 'creating it anew');
        }
    }
    return undefined;
}
