import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { databaseFileName, DatabaseName, DatabaseNames } from '@coditect/workspace-backend';
import type { AckedWrite } from './soak-protocol';

export interface AckedWritesCheck {
    /** Acknowledged writes missing, or present with another value. */
    readonly lost: { readonly write: AckedWrite; readonly found: string }[];
    /** `PRAGMA integrity_check` answers other than "ok", one per damaged (or unopenable) database. */
    readonly integrityFailures: { readonly database: DatabaseName; readonly result: string }[];
    /** The largest `-wal` file seen now. */
    readonly walBytes: number;
}

/** What the databases hold for one acknowledged write: undefined when it is there with its value, else what was found. */
function mismatch(open: (name: DatabaseName) => Database.Database, write: AckedWrite): string | undefined {
    switch (write.kind) {
        case 'task': {
            const row = open('tasks').prepare('SELECT payload_json FROM tasks WHERE id = ?').get(write.id) as { payload_json: string } | undefined;
            const prompt = row && (JSON.parse(row.payload_json) as { prompt: string }).prompt;
            return prompt === write.prompt ? undefined : `task #${write.id}: ${row ? `prompt "${prompt}"` : 'no such task'}`;
        }
        case 'budget': {
            const row = open('metrics').prepare('SELECT CAST(limit_pico AS TEXT) AS limit_pico FROM budgets WHERE scope = ? AND period = ?').get(write.scope, write.period) as { limit_pico: string } | undefined;
            // Limits only grow in the soak: a later committed (unacknowledged) raise may have survived too.
            return row && BigInt(row.limit_pico) >= BigInt(write.limitPico) ? undefined : `budget ${write.scope}/${write.period}: ${row ? `limit ${row.limit_pico} pico` : 'no such budget'}`;
        }
        case 'chat': {
            const row = open('sessions').prepare('SELECT text, task_id FROM conversation_messages WHERE id = ?').get(write.messageId) as { text: string; task_id: number | null } | undefined;
            const task = open('tasks').prepare('SELECT 1 FROM tasks WHERE id = ?').get(write.taskId);
            return row?.text === write.text && row.task_id === write.taskId && task ? undefined
                : `chat message #${write.messageId}: ${row ? `text "${row.text}", task ${row.task_id}` : 'no such message'}${task ? '' : `; task #${write.taskId} missing`}`;
        }
        case 'cost': {
            const row = open('metrics').prepare('SELECT count(*) AS n FROM token_usage WHERE task_id = ? AND input_tokens = ? AND output_tokens = ?').get(write.taskId, write.inputTokens, write.outputTokens) as { n: number };
            return row.n > 0 ? undefined : `no token_usage row of task #${write.taskId} with ${write.inputTokens} input tokens`;
        }
    }
}

/**
 * Reads the six databases of `dataDir` read-only (beside a studio that may have them open, as
 * any reader may) and checks that every acknowledged write is there with its value, and that
 * each database passes `PRAGMA integrity_check`.
 */
export function checkAckedWrites(dataDir: string, acked: readonly AckedWrite[]): AckedWritesCheck {
    const connections = new Map<DatabaseName, Database.Database>();
    const open = (name: DatabaseName) => {
        let db = connections.get(name);
        if (!db) {
            db = new Database(path.join(dataDir, databaseFileName(name)), { readonly: true, fileMustExist: true });
            connections.set(name, db);
        }
        return db;
    };
    try {
        const integrityFailures: { database: DatabaseName; result: string }[] = [];
        for (const database of DatabaseNames) {
            try {
                const result = (open(database).pragma('integrity_check') as { integrity_check: string }[]).map(r => r.integrity_check).join('; ');
                if (result !== 'ok') {
                    integrityFailures.push({ database, result });
                }
            } catch (error) {
                integrityFailures.push({ database, result: `cannot be checked: ${(error as Error).message}` });
            }
        }
        const lost: { write: AckedWrite; found: string }[] = [];
        for (const write of acked) {
            let found: string | undefined;
            try {
                found = mismatch(open, write);
            } catch (error) {
                found = `cannot be read: ${(error as Error).message}`;
            }
            if (found !== undefined) {
                lost.push({ write, found });
            }
        }
        const walBytes = Math.max(...DatabaseNames.map(name => fs.statSync(path.join(dataDir, `${databaseFileName(name)}-wal`), { throwIfNoEntry: false })?.size ?? 0));
        return { lost, integrityFailures, walBytes };
    } finally {
        connections.forEach(db => db.close());
    }
}
