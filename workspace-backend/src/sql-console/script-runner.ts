import type BetterSqlite3 from 'better-sqlite3';
import { CellValue, ColumnInfo, ConsoleError, ConsoleMode, ResultPage, StatementOutcome } from './console-types';
import { describeFullValue, encodeCell, FullValues } from './cell-encoding';
import { ConsoleProtection, schemaChange, snapshotStudioSchema } from './console-protection';
import { locateError } from './sqlite-error-position';
import { guardStatement } from './statement-guard';
import { ScriptStatement, splitStatements } from './statement-splitter';

export interface ScriptRunOptions {
    readonly script: string;
    readonly pageSize: number;
    /** Run `EXPLAIN QUERY PLAN <statement>` for each statement instead (read-only runs only). */
    readonly explainPlan?: boolean;
    /** Cut long values to previews (default); exports ask for whole values. */
    readonly truncate?: boolean;
    /** What this run must not read, write or alter (console-protection.ts); none for the studio's own tools. */
    readonly protection?: ConsoleProtection;
}

/** What a script run produced, before the console adds its id and timing. */
export interface ScriptOutcome {
    readonly statements: StatementOutcome[];
    readonly columns?: ColumnInfo[];
    readonly page?: ResultPage;
    /** More pages can be fetched (the shown statement was the script's last, on a read-only run). */
    readonly pageable?: boolean;
    readonly error?: ConsoleError;
    readonly committed?: boolean;
    /** Restricted tables the run read that its protection asked to report (for the audit log). */
    readonly reportedReads?: string[];
}

interface Cursor {
    readonly iterator: IterableIterator<unknown[]>;
    offset: number;
    lookahead: unknown[] | undefined;
}

/**
 * Runs console scripts on one connection, inside the console's worker process (console-worker-main.ts).
 *
 * Invariants:
 * - Every statement passes statement-guard.ts before it runs; a refusal stops the script there.
 * - A read-write run is one IMMEDIATE transaction: it commits only when every statement
 *   succeeded, else it is rolled back, so a script failing in the middle leaves nothing behind.
 *   A run killed for its time limit dies with its process; SQLite discards the uncommitted frames.
 * - With a protection, a write script's changes to the studio's own schema are found by comparing
 *   the studio's rows of `sqlite_schema` before the script and before its COMMIT: any change (a
 *   DROP, an ALTER, an index or trigger added to a studio table) rolls the whole script back.
 * - Only the page being read is in memory: the result of the script's last statement stays an
 *   open cursor (read-only runs), read a page at a time by `fetch`.
 */
export class ScriptRunner {
    protected db: BetterSqlite3.Database | undefined;
    protected cursor: Cursor | undefined;
    protected readonly full = new FullValues();

    constructor(protected readonly connect: () => BetterSqlite3.Database, readonly mode: ConsoleMode) { }

    run(options: ScriptRunOptions): ScriptOutcome {
        this.closeCursor();
        this.full.clear();
        const statements = splitStatements(options.script);
        if (statements.length === 0) {
            return { statements: [], error: { kind: 'sqlite', message: 'There is nothing to run: the text holds no SQL statement (only blanks or comments).' } };
        }
        const db = this.connection();
        const write = this.mode === 'write';
        if (write) {
            db.prepare('BEGIN IMMEDIATE').run();
        }
        const protection = options.protection;
        const schemaBefore = write && protection ? snapshotStudioSchema(db, protection) : undefined;
        const reportedReads = new Set<string>();
        const outcomes: StatementOutcome[] = [];
        // Reads of restricted tables are reported whether the script then succeeds or not: they happened.
        const reported = (): Pick<ScriptOutcome, 'reportedReads'> => reportedReads.size > 0 ? { reportedReads: [...reportedReads] } : {};
        const fail = (error: ConsoleError): ScriptOutcome => ({ ...this.fail(outcomes, error), ...reported() });
        let shown: Pick<ScriptOutcome, 'columns' | 'page' | 'pageable'> = {};
        for (const [index, piece] of statements.entries()) {
            const last = index === statements.length - 1;
            const started = performance.now();
            try {
                const sql = options.explainPlan ? `EXPLAIN QUERY PLAN ${piece.sql}` : piece.sql;
                const guarded = guardStatement(db, sql, this.mode, protection);
                if (!('statement' in guarded)) {
                    if (guarded.taintsConnection) {
                        this.discardConnection();
                    }
                    return fail({ kind: guarded.kind, message: guarded.message, statementIndex: index, statement: piece.sql, violation: guarded.violation });
                }
                guarded.reportedReads.forEach(t => reportedReads.add(t));
                const statement = guarded.statement.safeIntegers(true);
                if (statement.reader) {
                    statement.raw(true);
                    const columns = statement.columns().map(c => ({ name: c.name, declaredType: c.type, table: c.table }));
                    const cursor: Cursor = { iterator: statement.iterate() as IterableIterator<unknown[]>, offset: 0, lookahead: undefined };
                    const page = this.readPage(cursor, options.pageSize, options.truncate !== false);
                    const pageable = last && !write && page.hasMore;
                    if (pageable) {
                        this.cursor = cursor;
                    } else {
                        cursor.iterator.return?.();
                    }
                    const rowsAffected = statement.readonly ? undefined : Number(db.prepare('SELECT changes()').pluck().safeIntegers(false).get());
                    shown = { columns, page, pageable };
                    outcomes.push({ index, sql: piece.sql, offset: piece.offset, kind: 'rows', rowsRead: page.rows.length, rowsAffected, durationMs: performance.now() - started });
                } else {
                    const result = statement.run();
                    const changed = !statement.readonly;
                    outcomes.push({
                        index, sql: piece.sql, offset: piece.offset, kind: changed ? 'change' : 'other',
                        rowsAffected: changed ? Number(result.changes) : undefined, durationMs: performance.now() - started,
                    });
                }
            } catch (error) {
                return fail(this.sqliteError(error, options.script, piece, index));
            }
        }
        const changed = schemaBefore && schemaChange(schemaBefore, snapshotStudioSchema(db, protection!));
        if (changed) {
            return fail({ kind: 'refused', message: changed.message, violation: changed.violation });
        }
        if (write) {
            try {
                db.prepare('COMMIT').run();
            } catch (error) {
                return fail(this.sqliteError(error, options.script, statements[statements.length - 1], statements.length - 1));
            }
        }
        return { statements: outcomes, ...shown, committed: write ? true : undefined, ...reported() };
    }

    /** The next page of the open result. */
    fetch(pageSize: number, truncate = true): ResultPage {
        if (!this.cursor) {
            throw new Error('there is no open result to read: it was closed, replaced by a newer run, or its run was stopped. Run the query again.');
        }
        const page = this.readPage(this.cursor, pageSize, truncate);
        if (!page.hasMore) {
            this.closeCursor();
        }
        return page;
    }

    /** The whole value behind a cut cell of a recent page. */
    cell(ref: number): string {
        const value = this.full.get(ref);
        if (value === undefined) {
            throw new Error('that value is no longer held (only the most recent pages keep whole values); run the query again, or select the value alone.');
        }
        return describeFullValue(value);
    }

    closeCursor(): void {
        this.cursor?.iterator.return?.();
        this.cursor = undefined;
    }

    close(): void {
        this.discardConnection();
    }

    protected readPage(cursor: Cursor, pageSize: number, truncate: boolean): ResultPage {
        const rows: CellValue[][] = [];
        const offset = cursor.offset;
        const full = truncate ? this.full : undefined;
        while (rows.length < pageSize) {
            const next = cursor.lookahead ?? this.step(cursor);
            cursor.lookahead = undefined;
            if (!next) {
                break;
            }
            rows.push(next.map(value => encodeCell(value, full)));
        }
        cursor.offset += rows.length;
        // Reading one row ahead is how "more" is known without counting the whole result.
        cursor.lookahead = rows.length === pageSize ? this.step(cursor) : undefined;
        return { rows, offset, hasMore: cursor.lookahead !== undefined };
    }

    protected step(cursor: Cursor): unknown[] | undefined {
        const next = cursor.iterator.next();
        return next.done ? undefined : next.value;
    }

    protected fail(statements: StatementOutcome[], error: ConsoleError): ScriptOutcome {
        this.closeCursor();
        if (this.mode !== 'write') {
            return { statements, error };
        }
        if (this.db?.inTransaction) {
            this.db.prepare('ROLLBACK').run();
        }
        return { statements, committed: false, error: { ...error, message: `${error.message} The transaction was rolled back: nothing this script did was written.` } };
    }

    protected sqliteError(error: unknown, script: string, piece: ScriptStatement, index: number): ConsoleError {
        const message = error instanceof Error ? error.message : String(error);
        const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
        const position = locateError(message, script, piece.offset, piece.sql);
        if (code?.startsWith('SQLITE_READONLY') && this.mode === 'read') {
            return { kind: 'forbidden', code, message: 'This statement writes to the database, and this run is read-only.', statementIndex: index, statement: piece.sql };
        }
        return { kind: 'sqlite', code, message: `SQLite rejected statement ${index + 1}: ${message}`, statementIndex: index, statement: piece.sql, position };
    }

    protected connection(): BetterSqlite3.Database {
        this.db ??= this.connect();
        return this.db;
    }

    protected discardConnection(): void {
        this.closeCursor();
        try {
            this.db?.close();
        } finally {
            this.db = undefined;
        }
    }
}
