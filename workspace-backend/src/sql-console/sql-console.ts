import { DatabaseCluster } from '../database/database-cluster';
import { AuditEntry, AuditLog } from '../audit/audit-log';
import { personPrincipal, Policy, PolicyImpl } from '../policy';
import { QueryError, QueryTimeoutError } from '../database/database-errors';
import { DatabaseName, DatabaseNames, DatabaseSpecs } from '../database/database-names';
import { QueryCancelledError } from '../database/query-worker-session';
import { SqliteDatabase } from '../database/sqlite-database';
import {
    CellValue, ConsoleError, ConsoleMode, ConsoleUser, DatabaseSummary, HistoryEntry, ResultPage, RunRequest, RunResult, SchemaTable,
} from './console-types';
import { ConsoleBusyError, ConsoleLimits, consoleLimitsFromEnv, RunningQueries } from './console-limits';
import { consoleProtection, ConsoleProtection } from './console-protection';
import { ExportFormat, writeExport } from './result-export';
import { readSchema } from './schema-reader';
import { ConsoleWorkerSession, openConsoleWorker } from './console-worker';
import { ScriptOutcome } from './script-runner';
import { SqlHistoryRepository } from './sql-history-repository';
import { statementAtCursor } from './statement-at-cursor';
import { lineAndColumn } from './statement-splitter';

export interface SqlConsoleOptions {
    /** A run's time limit when the request names none (default 5 s). */
    readonly defaultTimeoutMs?: number;
    /**
     * Queries running at once and the longest time limit, per role, and running queries in the
     * whole workspace (console-limits.ts); default: from the environment, else the defaults.
     */
    readonly limits?: ConsoleLimits;
    /** Rows per page when the request names none (default 500; at most 5000). */
    readonly pageSize?: number;
    /**
     * The longest a write run may take, waiting for the write lock included (default 1 s). A write
     * holds its database's write lock, and the studio's own writer of that database waits for it
     * on its thread; this limit is kept below the writers' busy timeout (5 s), so a console write
     * can delay the studio's writes by at most this long and never make one fail.
     */
    readonly writeLimitMs?: number;
    /**
     * Databases whose writes belong to a running part of the studio (the lock manager's `locks`,
     * whose in-memory table is the truth): console writes to them are refused, with what to use.
     */
    readonly ownedDatabases?: Readonly<Record<string, string>>;
    /**
     * Who may write (`sql.write`), read the restricted tables (`sql.read-restricted`); refusals to
     * change them or the studio's schema are audited through it too. Default: the policy table,
     * auditing into the workspace database.
     */
    readonly policy?: Policy;
}

/** The console's write limit by default; see `SqlConsoleOptions.writeLimitMs`. */
const DefaultConsoleWriteLimitMs = 1000;

const MaxPageSize = 5000;

/**
 * The SQL console over the workspace's six databases. Framework-free: the studio's backend
 * gives each browser connection a `SqlConsoleSession` with the connection's user.
 *
 * Invariants:
 * - Roles are enforced here: a read-write run needs the admin role and an explicit
 *   `allowWrites`; everything else runs on a read-only connection (SQLite refuses writes).
 * - Every statement is checked by what SQLite compiled (statement-guard.ts), in the worker.
 * - No write runs without its audit row: it is inserted before the run starts, and a write is
 *   refused when the workspace database (which holds the audit) is down.
 * - Queries run in worker processes with a time limit; the event loop never runs user SQL.
 * - Each run and export carries its protection (console-protection.ts): developers do not read
 *   the audit trail or credentials (restricted-tables.ts), nobody changes them here, and nobody
 *   alters the studio's own schema. Every refusal of that kind, and every admin read of those
 *   tables, is decided and audited by the policy.
 * - A person has at most their role's number of queries running, each with at most their role's
 *   time limit, and the workspace at most its number (console-limits.ts); beyond, a run is refused.
 */
export class SqlConsole {
    protected readonly defaultTimeoutMs: number;
    readonly running: RunningQueries;
    protected readonly pageSize: number;
    readonly writeLimitMs: number;
    readonly ownedDatabases: Readonly<Record<string, string>>;

    constructor(protected readonly cluster: DatabaseCluster, options: SqlConsoleOptions = {}) {
        this.writeLimitMs = options.writeLimitMs ?? DefaultConsoleWriteLimitMs;
        this.ownedDatabases = options.ownedDatabases ?? {};
        this.defaultTimeoutMs = options.defaultTimeoutMs ?? 5000;
        this.running = new RunningQueries(options.limits ?? consoleLimitsFromEnv());
        this.pageSize = options.pageSize ?? 500;
        this.policy = options.policy ?? new PolicyImpl(() => ({ record: entry => this.audit(entry) }));
    }

    readonly policy: Policy;

    databases(): DatabaseSummary[] {
        return DatabaseNames.map(name => {
            const spec = DatabaseSpecs[name];
            try {
                this.cluster.get(name);
                return { name, label: spec.label, holds: spec.holds, open: true };
            } catch (error) {
                return { name, label: spec.label, holds: spec.holds, open: false, problem: (error as Error).message };
            }
        });
    }

    schema(database: string): SchemaTable[] {
        return readSchema(this.database(database));
    }

    history(user: ConsoleUser, limit?: number): HistoryEntry[] {
        return this.historyRepository()?.list(user, limit) ?? [];
    }

    /** The connections' sessions not disposed yet: dispose() ends them. */
    protected readonly sessions = new Set<SqlConsoleSession>();

    openSession(user: ConsoleUser): SqlConsoleSession {
        const session = new SqlConsoleSession(this, user, () => this.sessions.delete(session));
        this.sessions.add(session);
        return session;
    }

    /** Disposes every open session (their query workers are killed): the studio is stopping. */
    async dispose(): Promise<void> {
        await Promise.all([...this.sessions].map(session => session.dispose()));
    }

    /** The open database by name; throws a message naming the six when the name is not one of them. */
    database(name: string): SqliteDatabase {
        if (!(DatabaseNames as readonly string[]).includes(name)) {
            throw new Error(`There is no database "${name}"; the studio's databases are ${DatabaseNames.join(', ')}.`);
        }
        return this.cluster.get(name as DatabaseName);
    }

    historyRepository(): SqlHistoryRepository | undefined {
        try {
            return new SqlHistoryRepository(this.cluster.get('workspace'));
        } catch {
            return undefined;
        }
    }

    /** Records an admin action (or its refusal) in the workspace's audit log, when that database is up. */
    audit(entry: AuditEntry): void {
        try {
            new AuditLog(this.cluster.get('workspace')).record(entry);
        } catch {
            // The workspace database is down: writes are refused for that reason anyway (see SqlConsoleSession.run).
        }
    }

    /** The run's time limit: as asked (or the default), lowered to the most the user's role may have. */
    timeoutOf(request: { readonly timeoutMs?: number }, user: ConsoleUser): number {
        return Math.min(Math.max(100, Math.round(request.timeoutMs ?? this.defaultTimeoutMs)), this.running.limitsOf(user.role).maxTimeoutMs);
    }

    /** What `user`'s runs on `database` must not read, write or alter. */
    protectionFor(user: ConsoleUser, database: string): ConsoleProtection {
        return consoleProtection(database, this.policy.allows(personPrincipal(user), 'sql.read-restricted'), this.cluster.studioSchema(database as DatabaseName));
    }

    /**
     * Has the policy decide (and audit) what a run's protection found: the refusal's action, which
     * it refuses, and each restricted table an admin read, which it allows.
     */
    auditProtection(user: ConsoleUser, database: string, sql: string, outcome: Pick<ScriptOutcome, 'error' | 'reportedReads'>): void {
        const principal = personPrincipal(user);
        const violation = outcome.error?.violation;
        if (violation) {
            this.policy.decide(principal, violation.action, { target: `${database}: ${violation.object}` }, sql.slice(0, 500));
        }
        for (const table of outcome.reportedReads ?? []) {
            this.policy.decide(principal, 'sql.read-restricted', { target: `${database}: ${table}` }, sql.slice(0, 500));
        }
    }

    pageSizeOf(pageSize: number | undefined): number {
        return Math.min(Math.max(1, Math.round(pageSize ?? this.pageSize)), MaxPageSize);
    }

    /**
     * Re-runs `sql` read-only and writes its last statement's rows as CSV or JSON, a page at a
     * time (whole values, not previews). Exports never write: a write's RETURNING rows cannot be
     * exported, since that would run the write again.
     */
    async export(user: ConsoleUser, request: { readonly database: string; readonly sql: string; readonly timeoutMs?: number }, format: ExportFormat,
        write: (chunk: string) => Promise<void>): Promise<number> {
        const release = this.running.admit(user);
        const session = openConsoleWorker(this.database(request.database), 'read');
        const timeoutMs = this.timeoutOf(request, user);
        const pageSize = 2000;
        try {
            const first = await session.request<ScriptOutcome>({
                kind: 'script', script: request.sql, pageSize, truncate: false, protection: this.protectionFor(user, request.database),
            }, timeoutMs);
            this.auditProtection(user, request.database, request.sql, first);
            if (first.error) {
                throw new Error(first.error.message);
            }
            if (!first.columns || !first.page) {
                throw new Error('The query returns no rows to export; export the result of a SELECT.');
            }
            const firstPage = first.page;
            async function* pages(): AsyncIterable<CellValue[][]> {
                yield firstPage.rows;
                let more = firstPage.hasMore && first.pageable;
                while (more) {
                    const page = await session.request<ResultPage>({ kind: 'fetch', pageSize, truncate: false }, timeoutMs);
                    yield page.rows;
                    more = page.hasMore;
                }
            }
            return await writeExport(format, first.columns, pages(), write);
        } finally {
            release();
            await session.close();
        }
    }
}

interface RunState {
    readonly runId: string;
    readonly database: string;
    readonly mode: ConsoleMode;
    readonly timeoutMs: number;
    readonly pageSize: number;
    readonly session: ConsoleWorkerSession;
    readonly pageable: boolean;
}

/**
 * One browser connection's console: a read session (query worker) per database, kept between
 * runs so that a result can be paged; a fresh read-write worker for each write run.
 * `dispose()` kills them all.
 */
export class SqlConsoleSession {
    protected readonly readSessions = new Map<string, ConsoleWorkerSession>();
    protected readonly writeSessions = new Map<string, ConsoleWorkerSession>();
    /** The newest run of each database; older runs' results are gone (their cursor was replaced). */
    protected readonly latestRun = new Map<string, RunState>();
    protected nextRun = 1;
    protected disposed = false;

    constructor(protected readonly console: SqlConsole, readonly user: ConsoleUser, protected readonly onDispose?: () => void) { }

    async run(editorRequest: RunRequest): Promise<RunResult> {
        const target = editorRequest.cursor === undefined ? { sql: editorRequest.sql, offset: 0 } : statementAtCursor(editorRequest.sql, editorRequest.cursor, editorRequest.selection);
        const request: RunRequest = { ...editorRequest, sql: target?.sql ?? '' };
        const runId = `run-${this.nextRun++}`;
        const startedAt = Date.now();
        const started = performance.now();
        const mode: ConsoleMode = request.allowWrites && !request.explainPlan ? 'write' : 'read';
        const timeoutMs = mode === 'write' ? Math.min(this.console.timeoutOf(request, this.user), this.console.writeLimitMs) : this.console.timeoutOf(request, this.user);
        const pageSize = this.console.pageSizeOf(request.pageSize);
        const finish = (outcome: Omit<RunResult, 'runId' | 'database' | 'mode' | 'sql' | 'sqlOffset' | 'durationMs'>): RunResult => {
            const result: RunResult = { runId, database: request.database, mode, sql: request.sql, sqlOffset: target?.offset ?? 0, durationMs: performance.now() - started, ...outcome };
            this.record(request, result, startedAt);
            return result;
        };

        if (!target) {
            return finish({ statements: [], error: { kind: 'sqlite', message: 'There is nothing to run: write a SQL statement in the editor first.' } });
        }
        let database: SqliteDatabase;
        try {
            database = this.console.database(request.database);
        } catch (error) {
            return finish({ statements: [], error: { kind: 'unavailable', message: (error as Error).message } });
        }
        if (mode === 'write' && !this.console.policy.allows(personPrincipal(this.user), 'sql.write')) {
            this.console.policy.decide(personPrincipal(this.user), 'sql.write', { target: request.database }, request.sql.slice(0, 500));
            return finish({
                statements: [], committed: false,
                error: { kind: 'forbidden', message: `Writes are for admins, and your role is ${this.user.role}: nothing was run. Run it without "Allow writes" to read, or ask an admin.` },
            });
        }
        const owner = mode === 'write' ? this.console.ownedDatabases[request.database] : undefined;
        if (owner) {
            this.console.audit({ userId: this.user.id, userName: this.user.displayName, action: 'sql.write', target: request.database, outcome: 'refused', detail: `owned: ${request.sql.slice(0, 500)}` });
            return finish({ statements: [], committed: false, error: { kind: 'forbidden', message: `Nothing was run: the ${request.database} database is written only by ${owner} while the studio runs. Reading it works (run without "Allow writes").` } });
        }
        let release: () => void;
        try {
            release = this.console.running.admit(this.user);
        } catch (error) {
            if (!(error instanceof ConsoleBusyError)) {
                throw error;
            }
            return finish({ statements: [], committed: mode === 'write' ? false : undefined, error: { kind: 'busy', message: error.message } });
        }
        // The slot is held until the run has ended, its audit rows included, however it ends.
        try {
            const history = this.console.historyRepository();
            if (mode === 'write' && !history) {
                return finish({ statements: [], committed: false, error: { kind: 'unavailable', message: 'Every write is recorded in the workspace database\'s audit log, and that database is unavailable; writes are refused until it is back.' } });
            }
            const auditId = mode === 'write' ? history!.startWrite(this.user, request.database, request.sql, startedAt) : undefined;
            if (mode === 'write') {
                // Decided above; the allowed line is written here, once the write has its sql_write_audit row to name.
                this.console.policy.decide(personPrincipal(this.user), 'sql.write', { target: request.database }, `sql_write_audit #${auditId}`);
            }

            this.latestRun.delete(request.database);
            let session: ConsoleWorkerSession;
            if (mode === 'write') {
                session = openConsoleWorker(database, 'write');
                this.writeSessions.set(request.database, session);
            } else {
                session = this.readSession(request.database, database);
            }
            let outcome: ScriptOutcome;
            try {
                // A write's limit is enforced by the worker itself too: the studio's writer may be waiting
                // on this thread for the write lock that worker holds, and then no timer here can fire.
                outcome = await session.request<ScriptOutcome>({
                    kind: 'script', script: request.sql, pageSize, explainPlan: request.explainPlan, selfDeadlineMs: mode === 'write' ? timeoutMs : undefined,
                    protection: this.console.protectionFor(this.user, request.database),
                }, timeoutMs);
            } catch (error) {
                outcome = { statements: [], committed: mode === 'write' ? false : undefined, error: this.failure(error, mode, timeoutMs) };
            } finally {
                if (mode === 'write') {
                    this.writeSessions.delete(request.database);
                    void session.close();
                }
            }
            this.console.auditProtection(this.user, request.database, request.sql, outcome);
            const error = outcome.error && this.inEditorText(this.explain(outcome.error, mode), editorRequest.sql, target.offset);
            if (auditId !== undefined) {
                const affected = outcome.statements.reduce((n, s) => n + (s.rowsAffected ?? 0), 0);
                history!.finishWrite(auditId, outcome.committed ? 'committed' : `rolled back (${error?.kind ?? 'error'})`, outcome.committed ? affected : null, error?.message ?? null);
            }
            if (mode === 'read' && outcome.page && !this.disposed) {
                // Its worker holds the whole values of cut cells, and the cursor when there are more pages.
                this.latestRun.set(request.database, { runId, database: request.database, mode, timeoutMs, pageSize, session, pageable: outcome.pageable === true });
            }
            return finish({ statements: outcome.statements, columns: outcome.columns, page: outcome.page, error, committed: outcome.committed });
        } finally {
            release();
        }
    }

    /** The next page of a run's result. */
    async fetch(runId: string, pageSize?: number): Promise<ResultPage> {
        const run = this.runOf(runId);
        if (!run.pageable) {
            throw new Error('That result has no more pages to read: it was read to the end, or it came from a statement before the last of a script (run that statement alone to page through it).');
        }
        // Reading on is running the query further: it takes one of the person's slots meanwhile.
        const release = this.console.running.admit(this.user);
        try {
            const page = await run.session.request<ResultPage>({ kind: 'fetch', pageSize: this.console.pageSizeOf(pageSize ?? run.pageSize), truncate: true }, run.timeoutMs);
            if (!page.hasMore) {
                this.latestRun.set(run.database, { ...run, pageable: false });
            }
            return page;
        } catch (error) {
            this.latestRun.delete(run.database);
            throw new Error(this.failure(error, run.mode, run.timeoutMs).message, { cause: error });
        } finally {
            release();
        }
    }

    /** The whole value of a cut cell of a recent page. */
    async cell(runId: string, ref: number): Promise<string> {
        const run = this.runOf(runId);
        return run.session.request<string>({ kind: 'cell', ref }, run.timeoutMs).catch(error => {
            throw new Error(this.failure(error, run.mode, run.timeoutMs).message, { cause: error });
        });
    }

    /** Stops what runs on `database` for this connection (its worker is killed). */
    cancel(database: string): boolean {
        const write = this.writeSessions.get(database)?.cancel() ?? false;
        const read = this.readSessions.get(database)?.cancel() ?? false;
        return write || read;
    }

    /** Ends a run's open result (and the read transaction it holds). */
    async closeRun(runId: string): Promise<void> {
        const run = [...this.latestRun.values()].find(r => r.runId === runId);
        if (run && !run.session.busy) {
            this.latestRun.set(run.database, { ...run, pageable: false });
            await run.session.request({ kind: 'close-cursor' }, run.timeoutMs).catch(() => undefined);
        }
    }

    async dispose(): Promise<void> {
        this.disposed = true;
        this.onDispose?.();
        this.latestRun.clear();
        const sessions = [...this.readSessions.values(), ...this.writeSessions.values()];
        this.readSessions.clear();
        this.writeSessions.clear();
        await Promise.all(sessions.map(s => s.close()));
    }

    protected readSession(name: string, database: SqliteDatabase): ConsoleWorkerSession {
        let session = this.readSessions.get(name);
        if (!session) {
            session = openConsoleWorker(database, 'read');
            this.readSessions.set(name, session);
        }
        return session;
    }

    protected runOf(runId: string): RunState {
        const run = [...this.latestRun.values()].find(r => r.runId === runId);
        if (!run) {
            throw new Error('That result is no longer open: it was read to the end, replaced by a newer run on the same database, or stopped. Run the query again.');
        }
        return run;
    }

    protected failure(error: unknown, mode: ConsoleMode, timeoutMs: number): ConsoleError {
        const rolledBack = mode === 'write' ? ' The transaction was rolled back: nothing was written.' : '';
        const killedItself = error instanceof QueryError && mode === 'write' && /exited \(SIGKILL\)/.test(error.message);
        if ((error instanceof QueryTimeoutError || killedItself) && mode === 'write' && timeoutMs === this.console.writeLimitMs) {
            return { kind: 'timeout', message: `Stopped after ${timeoutMs} ms, the limit of a console write: while it runs it holds the database's write lock and the studio's own writes wait for it, so it may not take longer.${rolledBack} Write in smaller steps (a WHERE clause that takes part of the rows at a time).` };
        }
        const roleMax = this.console.running.limitsOf(this.user.role).maxTimeoutMs;
        if ((error instanceof QueryTimeoutError || killedItself) && timeoutMs === roleMax) {
            return { kind: 'timeout', message: `Stopped after ${timeoutMs} ms, the longest a${this.user.role === 'admin' ? 'n' : ''} ${this.user.role}'s query may run: the query was killed and nothing of it is left running.${rolledBack} Narrow it (a WHERE clause, a LIMIT), or run it in steps.` };
        }
        if (error instanceof QueryTimeoutError || killedItself) {
            return { kind: 'timeout', message: `Stopped after ${timeoutMs} ms, the time limit: the query was killed and nothing of it is left running.${rolledBack} Narrow it (a WHERE clause, a LIMIT) or raise the limit (setting "SQL Console: Query Timeout").` };
        }
        if (error instanceof QueryCancelledError) {
            return { kind: 'cancelled', message: `Cancelled: the query was stopped.${rolledBack}` };
        }
        const message = error instanceof QueryError ? error.message : (error as Error)?.message ?? String(error);
        return { kind: 'unavailable', message: `${message}${rolledBack}` };
    }

    /** Positions count from the start of the text the user sent, not of the statement picked from it. */
    protected inEditorText(error: ConsoleError, text: string, offset: number): ConsoleError {
        if (!error.position || offset === 0) {
            return error;
        }
        const at = error.position.offset + offset;
        return { ...error, position: { offset: at, ...lineAndColumn(text, at) } };
    }

    /** Adds to a refusal what this user can do about it. */
    protected explain(error: ConsoleError, mode: ConsoleMode): ConsoleError {
        if (error.kind === 'forbidden' && mode === 'read') {
            const what = this.user.role === 'admin'
                ? 'Turn on "Allow writes" to run it; writes run in one transaction and are recorded in the audit log.'
                : `Your role (${this.user.role}) may only read; writes need the admin role.`;
            return { ...error, message: `Refused: ${error.message.replace(/\.$/, '')}, so nothing was run. ${what}` };
        }
        if (error.kind === 'refused') {
            return { ...error, message: `Refused by the SQL console: ${error.message}` };
        }
        return error;
    }

    protected record(request: RunRequest, result: RunResult, startedAt: number): void {
        try {
            const rows = result.page ? result.page.rows.length : result.statements.reduce((n, s) => n + (s.rowsAffected ?? 0), 0);
            this.console.historyRepository()?.add(this.user, {
                database: request.database, sql: request.sql, mode: result.mode, startedAt, durationMs: result.durationMs,
                outcome: result.error?.kind ?? 'ok', rows, error: result.error?.message ?? null,
            });
        } catch {
            // History is a convenience: a full disk must not turn a successful query into an error.
        }
    }
}
