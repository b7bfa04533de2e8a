import type { DatabaseName } from '../database/database-names';

/** A table of the audit trail or of credentials: admins alone read it in the console, and nobody writes it there. */
export interface RestrictedTable {
    readonly database: DatabaseName;
    readonly name: string;
    /** Why a developer may not read it, and what they can do instead. */
    readonly whenRead: string;
    /** Why nobody may change it in the console, and what to use instead. */
    readonly whenWritten: string;
}

const appendOnly = 'it is part of the audit trail, which is append-only: nobody changes or removes its rows, admins included (SQLite itself refuses it too).';

/**
 * The console's restricted tables. Reading them is `sql.read-restricted` (admins, audited);
 * changing them is `sql.write-restricted` (only the studio itself). Their homes are in the
 * migrations (database/schema/workspace-migrations.ts).
 */
const RestrictedTables: readonly RestrictedTable[] = [{
    database: 'workspace', name: 'audit_log',
    whenRead: 'audit_log is visible to admins only: it records admin actions and failed sign-ins. Ask an admin for the entries you need.',
    whenWritten: `audit_log cannot be changed: ${appendOnly}`,
}, {
    database: 'workspace', name: 'sql_write_audit',
    whenRead: 'sql_write_audit is visible to admins only: it holds the SQL of every console write. Ask an admin for the entries you need.',
    whenWritten: `sql_write_audit cannot be changed: ${appendOnly}`,
}, {
    database: 'workspace', name: 'sql_history',
    whenRead: 'sql_history is visible to admins only: it holds everyone\'s console queries. Your own are in the console\'s History.',
    whenWritten: 'sql_history cannot be changed here: the console keeps it (each person\'s latest queries) and trims it itself.',
}, {
    database: 'workspace', name: 'tokens',
    whenRead: 'tokens is visible to admins only: it lists every agent token. An admin lists them with `coditect token list`.',
    whenWritten: 'tokens cannot be changed here: agent tokens are created, listed and revoked with `coditect token create|list|revoke` or the studio\'s /coditect/api/tokens (admins, audited).',
}, {
    database: 'workspace', name: 'web_sessions',
    whenRead: 'web_sessions is visible to admins only: it says who is signed in, and from where.',
    whenWritten: 'web_sessions cannot be changed here: a browser session ends with Sign Out, by expiring, or when the studio\'s credentials change.',
}];

/**
 * SQLite's `sqlite_stat4` (written by an ANALYZE) holds sample keys of every index, those of the
 * restricted tables included: in a database with restricted tables, it is restricted to read too.
 */
export const SampledKeysTable = {
    name: 'sqlite_stat4',
    whenRead: 'sqlite_stat4 is visible to admins only here: it holds sample rows of this database\'s indexes, those of the audit trail and credentials included.',
};

/** The restricted tables of one database. */
export function restrictedTablesOf(database: string): readonly RestrictedTable[] {
    return RestrictedTables.filter(t => t.database === database);
}
