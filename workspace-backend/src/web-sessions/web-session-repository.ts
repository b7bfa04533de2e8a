import type { SqliteDatabase } from '../database/sqlite-database';

/** A signed-in browser as `workspace.db` keeps it (table `web_sessions`, migration 4). */
export interface WebSessionRecord {
    /** SHA-256 (hex) of the session id; the id itself is never stored. */
    readonly idHash: string;
    readonly userId: string;
    readonly userName: string;
    readonly role: 'developer' | 'admin';
    /** Derived from the credential configuration the session was made under; never the credential. */
    readonly fingerprint: string;
    /** Epoch milliseconds, as every time below. */
    readonly createdAt: number;
    /** Absolute end: the sign-in's limit, never past the signing-in token's own expiry. */
    readonly expiresAt: number;
    readonly lastUsedAt: number;
    /** The address it was signed in from. */
    readonly client: string;
}

/**
 * Browser sessions in `workspace.db`, so a restart of the studio (a pod's too) keeps people
 * signed in. Only the SQL: deciding what is valid (expiry, idle limit, fingerprint) belongs to the
 * caller. Invariant: a revoked session has no row; nothing here can recover a session id.
 */
export class WebSessionRepository {
    constructor(protected readonly db: SqliteDatabase) {
        if (db.name !== 'workspace') {
            throw new Error(`WebSessionRepository needs the workspace database, not the ${db.label}`);
        }
    }

    insert(session: WebSessionRecord): void {
        if (!/^[0-9a-f]{64}$/.test(session.idHash)) {
            throw new Error('a web session is stored by the SHA-256 hex digest of its id, never by the id itself');
        }
        this.db.run(
            'INSERT INTO web_sessions (id_hash, user_id, user_name, role, fingerprint, created_at, expires_at, last_used_at, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            session.idHash, session.userId, session.userName, session.role, session.fingerprint, session.createdAt, session.expiresAt, session.lastUsedAt, session.client);
    }

    get(idHash: string): WebSessionRecord | undefined {
        const row = this.db.get<WebSessionRow>('SELECT * FROM web_sessions WHERE id_hash = ?', idHash);
        return row && recordOf(row);
    }

    /** Every stored session made under `fingerprint`, oldest first. */
    allOf(fingerprint: string): WebSessionRecord[] {
        return this.db.all<WebSessionRow>('SELECT * FROM web_sessions WHERE fingerprint = ? ORDER BY created_at', fingerprint).map(recordOf);
    }

    /** Records a later use; an earlier one (a write that arrives late) never moves it back. */
    touch(idHash: string, lastUsedAt: number): void {
        this.db.run('UPDATE web_sessions SET last_used_at = max(last_used_at, ?) WHERE id_hash = ?', lastUsedAt, idHash);
    }

    /** True when there was such a session. */
    delete(idHash: string): boolean {
        return this.db.run('DELETE FROM web_sessions WHERE id_hash = ?', idHash).changes > 0;
    }

    /** Revokes every session made under another credential configuration; returns how many. */
    deleteOtherThan(fingerprint: string): number {
        return this.db.run('DELETE FROM web_sessions WHERE fingerprint <> ?', fingerprint).changes;
    }

    /** Deletes sessions past their absolute end at `now`, or unused since before `idleSince`; returns how many. */
    deleteExpired(now: number, idleSince: number): number {
        return this.db.run('DELETE FROM web_sessions WHERE expires_at <= ? OR last_used_at < ?', now, idleSince).changes;
    }
}

interface WebSessionRow {
    readonly id_hash: string;
    readonly user_id: string;
    readonly user_name: string;
    readonly role: WebSessionRecord['role'];
    readonly fingerprint: string;
    readonly created_at: number;
    readonly expires_at: number;
    readonly last_used_at: number;
    readonly client: string;
}

function recordOf(row: WebSessionRow): WebSessionRecord {
    return {
        idHash: row.id_hash, userId: row.user_id, userName: row.user_name, role: row.role, fingerprint: row.fingerprint,
        createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at, client: row.client,
    };
}
