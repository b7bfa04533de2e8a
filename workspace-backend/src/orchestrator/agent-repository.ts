import type { SqliteDatabase } from '../database/sqlite-database';
import type { TokenUsage } from '../providers/token-usage';
import type { AgentDefinition } from './agent-definition';
import type { AgentState, AgentTransition } from './agent-state';

/** `agents.db`: the registry, the state-transition log and restarts. Each call commits before it returns. */
export class AgentRepository {
    constructor(protected readonly db: SqliteDatabase, protected readonly now: () => number = Date.now) {
        if (db.name !== 'agents') {
            throw new Error(`AgentRepository needs the agents database, not the ${db.label}`);
        }
    }

    /** The state an agent was last recorded in, or undefined for a new agent. */
    lastState(agentId: string): AgentState | undefined {
        return this.db.get<{ state: AgentState }>('SELECT state FROM agents WHERE id = ?', agentId)?.state;
    }

    upsert(definition: AgentDefinition, state: AgentState): void {
        const at = this.now();
        this.db.transaction(tx => {
            // The name is unique: a definition renamed onto another agent's name takes it over.
            tx.run('UPDATE agents SET name = id WHERE name = ? AND id <> ?', definition.name, definition.id);
            tx.run(`INSERT INTO agents (id, name, provider, model, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, provider = excluded.provider, model = excluded.model, updated_at = excluded.updated_at`,
            definition.id, definition.name, definition.vendor, definition.model, state, at, at);
            tx.run('INSERT INTO agent_config (agent_id, key, value_json) VALUES (?, \'definition\', ?) ON CONFLICT (agent_id, key) DO UPDATE SET value_json = excluded.value_json',
                definition.id, JSON.stringify(definition));
        });
    }

    recordTransition(t: AgentTransition): void {
        this.db.transaction(tx => {
            tx.run('UPDATE agents SET state = ?, updated_at = ? WHERE id = ?', t.to, t.at, t.agentId);
            tx.run('INSERT INTO agent_transitions (agent_id, from_state, to_state, reason, at, task_id, waiting_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
                t.agentId, t.from, t.to, t.reason, t.at, t.taskId ?? null, t.waitingOn ? JSON.stringify(t.waitingOn) : null);
        });
    }

    transitions(agentId: string, limit = 100): AgentTransition[] {
        return this.db.all<{ from_state: AgentState; to_state: AgentState; reason: string; at: number; task_id: number | null; waiting_json: string | null }>(
            'SELECT * FROM agent_transitions WHERE agent_id = ? ORDER BY id DESC LIMIT ?', agentId, limit,
        ).reverse().map(r => ({
            agentId, from: r.from_state, to: r.to_state, reason: r.reason, at: r.at, taskId: r.task_id ?? undefined,
            waitingOn: r.waiting_json ? JSON.parse(r.waiting_json) : undefined,
        }));
    }

    recordRestart(agentId: string, reason: string, taskId: number | undefined, delayMs: number): void {
        this.db.run('INSERT INTO agent_restarts (agent_id, reason, at, task_id, delay_ms) VALUES (?, ?, ?, ?, ?)', agentId, reason, this.now(), taskId ?? null, delayMs);
    }

    restarts(agentId: string): { count: number; last?: { reason: string; at: number } } {
        const count = this.db.get<{ n: number }>('SELECT count(*) AS n FROM agent_restarts WHERE agent_id = ?', agentId)!.n;
        const last = this.db.get<{ reason: string; at: number }>('SELECT reason, at FROM agent_restarts WHERE agent_id = ? ORDER BY id DESC LIMIT 1', agentId);
        return { count, last };
    }

    errorCount(agentId: string): number {
        return this.db.get<{ n: number }>('SELECT count(*) AS n FROM agent_transitions WHERE agent_id = ? AND to_state = \'error\'', agentId)!.n;
    }
}

/** A usage row copied from elsewhere, keyed by its source record. */
export interface ImportedUsageRow {
    readonly importKey: string;
    readonly agentId: string;
    readonly provider: string;
    readonly model: string;
    readonly at: number;
    readonly usage: TokenUsage;
}

/** Token usage per agent x task x model in `metrics.db` (table `token_usage`); the cost ledger prices these rows later. */
export class TokenUsageRepository {
    constructor(protected readonly db: SqliteDatabase, protected readonly now: () => number = Date.now) {
        if (db.name !== 'metrics') {
            throw new Error(`TokenUsageRepository needs the metrics database, not the ${db.label}`);
        }
    }

    record(row: { agentId: string; taskId: number; provider: string; model: string; usage: TokenUsage }): void {
        const u = row.usage;
        this.db.run(`INSERT INTO token_usage (agent_id, provider, model, input_tokens, output_tokens, at, task_id, cache_read_tokens, cache_write_tokens, reasoning_tokens)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        row.agentId, row.provider, row.model, u.inputTokens, u.outputTokens, this.now(), row.taskId, u.cacheReadTokens, u.cacheWriteTokens, u.reasoningTokens);
    }

    /**
     * Copies usage recorded elsewhere (a v1 migration) at its own times, in one transaction. Each
     * row's `importKey` names its source record: a row already imported is not inserted again, so
     * an import cut off part way is simply run again. Returns how many rows were new.
     */
    importRows(rows: readonly ImportedUsageRow[]): number {
        return this.db.transaction(tx => rows.reduce((added, row) => {
            const u = row.usage;
            return added + tx.run(`INSERT OR IGNORE INTO token_usage (agent_id, provider, model, input_tokens, output_tokens, at, task_id, cache_read_tokens, cache_write_tokens, reasoning_tokens, import_key)
                                   VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
            row.agentId, row.provider, row.model, u.inputTokens, u.outputTokens, row.at, u.cacheReadTokens, u.cacheWriteTokens, u.reasoningTokens, row.importKey).changes;
        }, 0));
    }

    /** The imported rows whose key starts with `prefix`, by key. */
    importedRows(prefix: string): ImportedUsageRow[] {
        return this.db.all<{ k: string; a: string; p: string; m: string; at: number; i: number; o: number; cr: number; cw: number; r: number }>(
            `SELECT import_key AS k, agent_id AS a, provider AS p, model AS m, at, input_tokens AS i, output_tokens AS o, cache_read_tokens AS cr, cache_write_tokens AS cw, reasoning_tokens AS r
             FROM token_usage WHERE import_key >= ? AND import_key < ? ORDER BY import_key`, prefix, `${prefix}\uffff`,
        ).map(r => ({ importKey: r.k, agentId: r.a, provider: r.p, model: r.m, at: r.at, usage: { inputTokens: r.i, outputTokens: r.o, cacheReadTokens: r.cr, cacheWriteTokens: r.cw, reasoningTokens: r.r } }));
    }

    /** Every token of the agent's requests, once (input + cache read + cache write + output). */
    totalForAgent(agentId: string): number {
        return this.db.get<{ n: number | null }>(
            'SELECT sum(input_tokens + cache_read_tokens + cache_write_tokens + output_tokens) AS n FROM token_usage WHERE agent_id = ?', agentId)!.n ?? 0;
    }

    forTask(taskId: number): { model: string; inputTokens: number; outputTokens: number }[] {
        return this.db.all<{ model: string; i: number; o: number }>(
            'SELECT model, sum(input_tokens) AS i, sum(output_tokens) AS o FROM token_usage WHERE task_id = ? GROUP BY model', taskId,
        ).map(r => ({ model: r.model, inputTokens: r.i, outputTokens: r.o }));
    }
}
