import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '../database/sqlite-database';
import { AgentTokenInfo } from './agent-token';

/** What is stored for a new agent token: its hash, never the token. */
export interface NewAgentTokenRow {
    readonly agentId: string;
    readonly displayName: string;
    readonly tokenHash: string;
    readonly label: string;
    readonly createdBy: string;
    readonly expiresAt?: number;
}

/**
 * Agent tokens in `workspace.db` (table `tokens`, rows with an `agent_id`; rows with a `user_id`
 * are people's and are not touched here). All of their SQL lives here. Writes go through the
 * database's one writer (`run`); a lookup by hash is a point query on the UNIQUE index.
 */
export class AgentTokenRepository {
    constructor(protected readonly db: SqliteDatabase, protected readonly now: () => number = Date.now) {
        if (db.name !== 'workspace') {
            throw new Error(`AgentTokenRepository needs the workspace database, not the ${db.label}`);
        }
    }

    insert(row: NewAgentTokenRow): AgentTokenInfo {
        const id = `tok_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
        const createdAt = this.now();
        this.db.run(
            'INSERT INTO tokens (id, agent_id, display_name, token_hash, label, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            id, row.agentId, row.displayName, row.tokenHash, row.label, createdAt, row.createdBy, row.expiresAt ?? null);
        return this.get(id)!;
    }

    get(id: string): AgentTokenInfo | undefined {
        const row = this.db.get<TokenRow>('SELECT * FROM tokens WHERE id = ? AND agent_id IS NOT NULL', id);
        return row && this.info(row);
    }

    findByHash(tokenHash: string): AgentTokenInfo | undefined {
        const row = this.db.get<TokenRow>('SELECT * FROM tokens WHERE token_hash = ? AND agent_id IS NOT NULL', tokenHash);
        return row && this.info(row);
    }

    /** Newest first; revoked and expired ones too (with their status), so the history stays visible. */
    list(options: { readonly agentId?: string } = {}): AgentTokenInfo[] {
        const rows = options.agentId
            ? this.db.all<TokenRow>('SELECT * FROM tokens WHERE agent_id = ? ORDER BY created_at DESC, id', options.agentId)
            : this.db.all<TokenRow>('SELECT * FROM tokens WHERE agent_id IS NOT NULL ORDER BY created_at DESC, id');
        return rows.map(row => this.info(row));
    }

    /** Marks it revoked (kept for the record); false when it was revoked already. */
    revoke(id: string, by: string): boolean {
        return this.db.run('UPDATE tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND agent_id IS NOT NULL AND revoked_at IS NULL', this.now(), by, id).changes > 0;
    }

    protected info(row: TokenRow): AgentTokenInfo {
        const now = this.now();
        const status = row.revoked_at !== null ? 'revoked' : row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
        return {
            id: row.id, agentId: row.agent_id, displayName: row.display_name || row.agent_id, label: row.label,
            createdAt: row.created_at, createdBy: row.created_by,
            ...(row.expires_at !== null ? { expiresAt: row.expires_at } : {}),
            ...(row.revoked_at !== null ? { revokedAt: row.revoked_at, revokedBy: row.revoked_by ?? '' } : {}),
            status,
        };
    }
}

interface TokenRow {
    readonly id: string;
    readonly agent_id: string;
    readonly display_name: string;
    readonly token_hash: string;
    readonly label: string;
    readonly created_at: number;
    readonly created_by: string;
    readonly expires_at: number | null;
    readonly revoked_at: number | null;
    readonly revoked_by: string | null;
}
