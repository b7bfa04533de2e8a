import type { SqliteDatabase } from '../database/sqlite-database';

/** One line of the audit log: an admin action (allowed or refused) or a failed login. */
export interface AuditEntry {
    /** `user:<name>`; absent for a login that never established who it was. */
    readonly userId?: string;
    readonly userName?: string;
    /** A dotted verb: `login.failed`, `sql.write`, `lock.force-release`, `budget.set`, `agent.configure`, ... */
    readonly action: string;
    /** What it acted on: a path, a database, an agent id. */
    readonly target?: string;
    readonly outcome: 'allowed' | 'refused' | 'failed';
    /** Why it was refused or failed; never a credential. */
    readonly detail?: string;
    /** The client's address, for logins. */
    readonly client?: string;
}

export interface AuditRecord extends AuditEntry {
    readonly id: number;
    readonly at: number;
}

/**
 * The audit log in `workspace.db` (table `audit_log`), visible in the SQL console.
 * Invariant: append-only; entries are written before the caller answers, so a refused or
 * completed admin action is never without its line.
 */
export class AuditLog {
    constructor(protected readonly db: SqliteDatabase, protected readonly now: () => number = Date.now) {
        if (db.name !== 'workspace') {
            throw new Error(`AuditLog needs the workspace database, not the ${db.label}`);
        }
    }

    record(entry: AuditEntry): void {
        this.db.run(
            'INSERT INTO audit_log (at, user_id, user_name, action, target, outcome, detail, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            this.now(), entry.userId ?? null, entry.userName ?? null, entry.action, entry.target ?? '', entry.outcome,
            (entry.detail ?? '').slice(0, 2000), entry.client ?? '');
    }

    /** The newest entries first, optionally of one action. */
    recent(options: { readonly action?: string; readonly limit?: number } = {}): AuditRecord[] {
        const limit = Math.max(1, Math.min(options.limit ?? 100, 10_000));
        const rows = options.action
            ? this.db.all<AuditRow>('SELECT * FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT ?', options.action, limit)
            : this.db.all<AuditRow>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?', limit);
        return rows.map(row => ({
            id: row.id, at: row.at, userId: row.user_id ?? undefined, userName: row.user_name ?? undefined, action: row.action,
            target: row.target, outcome: row.outcome, detail: row.detail, client: row.client,
        }));
    }
}

interface AuditRow {
    readonly id: number;
    readonly at: number;
    readonly user_id: string | null;
    readonly user_name: string | null;
    readonly action: string;
    readonly target: string;
    readonly outcome: AuditEntry['outcome'];
    readonly detail: string;
    readonly client: string;
}
