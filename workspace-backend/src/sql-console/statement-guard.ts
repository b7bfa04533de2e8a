import type BetterSqlite3 from 'better-sqlite3';
import { ConsoleProtection, refuseAccess, reportedReads, Violation } from './console-protection';
import { ConsoleMode } from './console-types';
import { programAccess, ProgramRow } from './program-access';

/**
 * Decides whether the SQL console may run one statement, by what SQLite compiled it to, never by
 * its text.
 *
 * SQLite's authorizer (sqlite3_set_authorizer) would be the natural tool, but neither
 * better-sqlite3 13 nor node:sqlite exposes it. So each statement is compiled with `EXPLAIN`
 * in front, and its VDBE program is inspected:
 * - `Function`/`PureFunc` calling `sqlite_attach`/`sqlite_detach` (ATTACH, DETACH, in any
 *   spelling: comments, case, `attach database`), `load_extension`, `fts3_tokenizer`;
 * - `Vacuum` (p2 names the INTO target when there is one);
 * - `JournalMode` with a new mode (p3 is -1 when only reading it), `Checkpoint` (checkpoints
 *   belong to the checkpointer and replication), `SetCookie` outside DDL (user_version is the
 *   migrations' bookkeeping);
 * - `AutoCommit` (BEGIN/COMMIT/ROLLBACK would break the one-transaction-per-script rule),
 *   and `Savepoint` on a read-only run;
 * - with a `ConsoleProtection`, the tables and objects it opens (program-access.ts): a
 *   restricted table read by someone who may not, a restricted table written, a studio object
 *   dropped (console-protection.ts).
 *
 * Many pragmas act while being compiled, not while running: `PRAGMA synchronous=OFF`,
 * `foreign_keys`, `writable_schema`, `query_only`, `wal_autocheckpoint`... change the
 * connection inside `prepare()` and compile to an empty program. Those are caught by reading the
 * connection's safety settings before and after compiling: any change refuses the statement, and
 * the caller must discard the connection (`taintsConnection`), since it is no longer the one it
 * opened. Connections live in disposable worker processes, so that is cheap.
 *
 * Writes are kept out of read-only runs by SQLite itself, not here: the connection is opened
 * read-only with `query_only`, and a write fails with SQLITE_READONLY (script-runner.ts says so
 * clearly). `stmt.readonly` is no guide anyway: ATTACH compiles "read-only", and reading
 * `PRAGMA journal_mode` does not. `PRAGMA writable_schema` needs no refusal: better-sqlite3 runs
 * SQLite in defensive mode, where it changes nothing (the spec checks that sqlite_schema stays
 * unwritable).
 */

export interface Refusal {
    readonly kind: 'refused';
    readonly message: string;
    /** The connection's settings changed while compiling: close it before running anything else. */
    readonly taintsConnection?: boolean;
    /** Set when the refusal protects the audit trail, credentials or the studio's schema: the policy audits it. */
    readonly violation?: Violation;
}

/**
 * The connection settings that a console statement must not change. Each is read with
 * `PRAGMA name`; their values before and after compiling a statement must be equal.
 */
const GuardedSettings = [
    'foreign_keys', 'writable_schema', 'trusted_schema', 'synchronous', 'locking_mode', 'query_only',
    'wal_autocheckpoint', 'ignore_check_constraints', 'defer_foreign_keys', 'cell_size_check',
    'recursive_triggers', 'temp_store_directory', 'journal_mode', 'mmap_size',
] as const;

const forbiddenFunctions: Readonly<Record<string, string>> = {
    sqlite_attach: 'ATTACH would open another database file; the console works on one database at a time. Pick the other database in the picker instead.',
    sqlite_detach: 'DETACH is not available: the console never attaches other databases.',
    load_extension: 'load_extension() would load native code into the studio; extensions are not allowed in the console.',
    fts3_tokenizer: 'fts3_tokenizer() can register native tokenizers by pointer; it is not allowed in the console.',
};

export function readGuardedSettings(db: BetterSqlite3.Database): string {
    return GuardedSettings.map(name => `${name}=${String(db.pragma(name, { simple: true }))}`).join(';');
}

/** The columns of an EXPLAIN and of an EXPLAIN QUERY PLAN statement: such statements describe, never execute. */
const explainColumns = ['addr,opcode,p1,p2,p3,p4,p5,comment', 'id,parent,notused,detail'];

export interface GuardedStatement {
    readonly statement: BetterSqlite3.Statement;
    /** Restricted tables it reads that the protection asks to report (an admin's audited reads). */
    readonly reportedReads: readonly string[];
}

/**
 * Compiles `sql` (one statement) on `db` for a run in `mode`; returns the prepared statement, or
 * why it may not run. SQLite's own compile errors (syntax, no such table) are thrown as they are.
 */
export function guardStatement(db: BetterSqlite3.Database, sql: string, mode: ConsoleMode, protection?: ConsoleProtection): GuardedStatement | Refusal {
    const before = readGuardedSettings(db);
    let program: ProgramRow[] | undefined;
    let statement: BetterSqlite3.Statement | undefined;
    let compileError: unknown;
    try {
        try {
            program = db.prepare(`EXPLAIN ${sql}`).all() as ProgramRow[];
        } catch (explainError) {
            // `EXPLAIN EXPLAIN ...` does not parse: the statement may itself be an EXPLAIN, which
            // describes a program without running it. If it is not one, its own error is reported.
            const alone = db.prepare(sql);
            if (!explainColumns.includes(alone.columns().map(c => c.name).join(','))) {
                throw explainError;
            }
        }
        statement = db.prepare(sql);
    } catch (error) {
        compileError = error;
    }
    const after = readGuardedSettings(db);
    if (after !== before) {
        return {
            kind: 'refused', taintsConnection: true,
            message: `${describeSettingChange(before, after)} That setting protects the studio's data (durability, integrity, WAL for replication); the console may read it but not change it.`,
        };
    }
    if (compileError !== undefined || !statement) {
        throw compileError;
    }
    const refusal = program && refuseProgram(program, mode);
    if (refusal) {
        return refusal;
    }
    if (!program || !protection) {
        return { statement, reportedReads: [] };
    }
    const access = programAccess(db, program);
    const protectionRefusal = refuseAccess(access, protection);
    if (protectionRefusal) {
        return { kind: 'refused', ...protectionRefusal };
    }
    return { statement, reportedReads: reportedReads(access, protection) };
}

const SchemaChangeOpcodes = new Set(['ParseSchema', 'DropTable', 'DropIndex', 'DropTrigger', 'Destroy', 'CreateBtree']);

function refuseProgram(program: readonly ProgramRow[], mode: ConsoleMode): Refusal | undefined {
    for (const row of program) {
        const fn = typeof row.p4 === 'string' ? /^([A-Za-z0-9_]+)\(/.exec(row.p4)?.[1]?.toLowerCase() : undefined;
        if (fn && fn in forbiddenFunctions) {
            return { kind: 'refused', message: forbiddenFunctions[fn] };
        }
        switch (row.opcode) {
            case 'Vacuum':
                return {
                    kind: 'refused', message: row.p2 !== 0
                        ? 'VACUUM INTO writes a copy of the database to another file; the console never writes outside its database. Use the studio\'s backups (replication) for copies.'
                        : 'VACUUM rewrites the whole database file and cannot run inside the console\'s transaction; it is a maintenance task for the CLI while the studio is stopped.',
                };
            case 'JournalMode':
                if (row.p3 !== -1) {
                    return { kind: 'refused', message: 'PRAGMA journal_mode may be read but not changed: every studio database runs in WAL mode, which replication and concurrent readers depend on.' };
                }
                break;
            case 'Checkpoint':
                return { kind: 'refused', message: 'PRAGMA wal_checkpoint is not allowed: checkpoints belong to the studio\'s checkpointer, which makes sure replication has shipped every frame first.' };
            case 'SetCookie':
                // DDL sets header cookies (schema version, file format) as part of changing the
                // schema; a SetCookie in a program that changes no schema is
                // `PRAGMA schema_version/user_version/application_id = N`.
                if (program.some(r => SchemaChangeOpcodes.has(r.opcode))) {
                    break;
                }
                return { kind: 'refused', message: 'PRAGMA user_version, schema_version and application_id may be read but not changed: the studio\'s migrations keep them.' };
            case 'AutoCommit':
                return { kind: 'refused', message: 'BEGIN, COMMIT and ROLLBACK are not needed: the console runs a read-write script as one transaction, committed only if every statement succeeds. Leave them out.' };
            case 'Savepoint':
                if (mode === 'read') {
                    return { kind: 'refused', message: 'SAVEPOINT and RELEASE only make sense in a read-write run.' };
                }
                break;
            default:
                break;
        }
    }
    return undefined;
}

function describeSettingChange(before: string, after: string): string {
    const parse = (s: string) => new Map(s.split(';').map(kv => kv.split('=') as [string, string]));
    const a = parse(before);
    const b = parse(after);
    const changed = [...b].filter(([k, v]) => a.get(k) !== v).map(([k]) => k);
    return `This statement changes PRAGMA ${changed.join(', ')}.`;
}
