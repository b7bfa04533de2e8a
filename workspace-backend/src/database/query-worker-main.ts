/**
 * The entry of a query worker process (see query-worker-pool.ts): one read-only connection to
 * one database, answering one query at a time over the IPC channel. It exits when its parent
 * goes away. A runaway query is stopped by the parent killing this process, since SQLite's
 * native loop cannot be interrupted from JavaScript.
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { QueryAnswer, QueryRequest } from './query-worker-protocol';

const [file, busyTimeout] = process.argv.slice(2);
let db: BetterSqlite3.Database | undefined;

function connection(): BetterSqlite3.Database {
    if (!db) {
        const timeout = Number(busyTimeout) || 5000;
        db = new Database(file, { readonly: true, fileMustExist: true, timeout });
        db.pragma(`busy_timeout = ${timeout}`);
        db.pragma('query_only = ON');
    }
    return db;
}

function answer(request: QueryRequest): QueryAnswer {
    try {
        const statement = connection().prepare(request.sql);
        if (!statement.reader) {
            return { id: request.id, ok: false, message: 'only statements that return rows (SELECT, read-only PRAGMA) run here; writes go through the database\'s writer.' };
        }
        const columns = statement.columns().map(c => c.name);
        const rows: Record<string, unknown>[] = [];
        let truncated = false;
        const params = Array.isArray(request.params) ? request.params : [request.params];
        for (const row of statement.iterate(...params)) {
            if (rows.length >= request.maxRows) {
                truncated = true;
                break;
            }
            rows.push(row as Record<string, unknown>);
        }
        return { id: request.id, ok: true, columns, rows, truncated };
    } catch (error) {
        const code = (error as { code?: unknown }).code;
        return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined };
    }
}

process.on('message', (request: QueryRequest) => process.send?.(answer(request)));
process.on('disconnect', () => {
    db?.close();
    process.exit(0);
});
