import { SqliteDatabase } from '../database/sqlite-database';
import { ConsoleMode, ConsoleUser, HistoryEntry } from './console-types';

/** Entries kept per user; older ones are trimmed as new ones are added. */
const HistoryPerUser = 200;

export interface HistoryRecord {
    readonly database: string;
    readonly sql: string;
    readonly mode: ConsoleMode;
    readonly startedAt: number;
    readonly durationMs: number;
    readonly outcome: HistoryEntry['outcome'];
    readonly rows: number | null;
    readonly error: string | null;
}

/** The console's query history and write audit, in workspace.db (schema v2). */
export class SqlHistoryRepository {
    constructor(protected readonly db: SqliteDatabase) { }

    add(user: ConsoleUser, record: HistoryRecord): void {
        this.db.transaction(tx => {
            tx.run('INSERT INTO sql_history (user_id, database, sql, mode, started_at, duration_ms, outcome, rows, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
                user.id, record.database, record.sql, record.mode, record.startedAt, record.durationMs, record.outcome, record.rows, record.error);
            tx.run('DELETE FROM sql_history WHERE user_id = ? AND id <= (SELECT id FROM sql_history WHERE user_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)',
                user.id, user.id, HistoryPerUser);
        });
    }

    /** The user's entries, newest first. */
    list(user: ConsoleUser, limit = HistoryPerUser): HistoryEntry[] {
        return this.db.all<HistoryEntry>(`SELECT id, database, sql, mode, started_at AS startedAt, duration_ms AS durationMs, outcome, rows, error
            FROM sql_history WHERE user_id = ? ORDER BY id DESC LIMIT ?`, user.id, limit);
    }

    /** Records a write run before it starts; returns the audit row's id for `finishWrite`. */
    startWrite(user: ConsoleUser, database: string, sql: string, startedAt: number): number {
        return Number(this.db.run('INSERT INTO sql_write_audit (started_at, user_id, user_name, database, sql, outcome) VALUES (?, ?, ?, ?, ?, \'running\')',
            startedAt, user.id, user.displayName, database, sql).lastInsertRowid);
    }

    /** `committed`, `rolled back`, `stopped (time limit)`, ... */
    finishWrite(id: number, outcome: string, rowsAffected: number | null, error: string | null): void {
        this.db.run('UPDATE sql_write_audit SET outcome = ?, rows_affected = ?, error = ?, finished_at = ? WHERE id = ?', outcome, rowsAffected, error, Date.now(), id);
    }
}
