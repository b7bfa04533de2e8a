/**
 * The entry of a pool's query worker process (see query-worker-pool.ts): one read-only connection
 * to one database, answering one read at a time over the IPC channel. It exits when its parent
 * goes away. A runaway query is stopped by the parent killing this process, since SQLite's native
 * loop cannot be interrupted from JavaScript.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { openWorkerConnection, queryWorkerArgs, serveQueryWorker, workerFailure } from './query-worker-child';
import { QueryAnswer, QueryRequest } from './query-worker-protocol';

const args = queryWorkerArgs();
let db: BetterSqlite3.Database | undefined;

function answer(request: QueryRequest): QueryAnswer {
    try {
        db ??= openWorkerConnection(args);
        const statement = db.prepare(request.sql);
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
        return workerFailure(request.id, error);
    }
}

serveQueryWorker(answer, () => db?.close());
