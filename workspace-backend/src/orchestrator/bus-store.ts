import type { SqliteDatabase } from '../database/sqlite-database';

export interface BusMessage {
    readonly id: number;
    /** `agent/<id>` for a direct message, else any topic name (`build`, `reviews`, ...). */
    readonly topic: string;
    /** An agent id, or `user:<id>`/`system`. */
    readonly from: string;
    readonly text: string;
    readonly at: number;
    /** Set for direct messages: the recipient agent. */
    readonly to?: string;
    /** The agents it is delivered to: the direct recipient, or the topic's subscribers (never the sender). */
    readonly recipients: readonly string[];
}

interface MessageRow {
    id: number;
    topic: string;
    from_id: string;
    to_agent: string | null;
    text: string;
    at: number;
}

/**
 * `agents.db`'s bus tables: every message, and its delivery to each recipient agent.
 *
 * A delivery is `pending` until a turn of one of the agent's tasks reads it (`delivered`, with
 * that task), then `acknowledged` once the task has gone on past that turn. A delivery whose task
 * was interrupted before (a crash, a restart of the backend) is pending again, so no message an
 * agent was sent is lost without it having been read by a turn that went on.
 */
export class BusStore {
    constructor(protected readonly db: SqliteDatabase) {
        if (db.name !== 'agents') {
            throw new Error(`BusStore needs the agents database, not the ${db.label}`);
        }
    }

    /** Keeps a message and a pending delivery to each recipient, in one transaction. */
    insert(message: Omit<BusMessage, 'id'>): BusMessage {
        return this.db.transaction(tx => {
            const id = Number(tx.run('INSERT INTO bus_messages (topic, from_id, to_agent, text, at) VALUES (?, ?, ?, ?, ?)',
                message.topic, message.from, message.to ?? null, message.text, message.at).lastInsertRowid);
            for (const agentId of new Set(message.recipients)) {
                tx.run('INSERT INTO bus_deliveries (message_id, agent_id, state) VALUES (?, ?, \'pending\')', id, agentId);
            }
            return { ...message, id, recipients: [...new Set(message.recipients)] };
        });
    }

    /** The agent's messages no turn has read yet, oldest first. */
    pending(agentId: string): BusMessage[] {
        return this.db.all<MessageRow>(`SELECT m.* FROM bus_messages m JOIN bus_deliveries d ON d.message_id = m.id
            WHERE d.agent_id = ? AND d.state = 'pending' ORDER BY m.id`, agentId).map(row => this.toMessage(row, [agentId]));
    }

    /** Marks the agent's pending messages as read by a turn of `taskId`, and gives them; one transaction, so two turns never read one message. */
    deliver(agentId: string, taskId: number | undefined, at: number): BusMessage[] {
        return this.db.transaction(tx => {
            const rows = tx.all<MessageRow>(`SELECT m.* FROM bus_messages m JOIN bus_deliveries d ON d.message_id = m.id
                WHERE d.agent_id = ? AND d.state = 'pending' ORDER BY m.id`, agentId);
            if (rows.length > 0) {
                tx.run('UPDATE bus_deliveries SET state = \'delivered\', task_id = ?, delivered_at = ? WHERE agent_id = ? AND state = \'pending\' AND message_id <= ?',
                    taskId ?? null, at, agentId, rows[rows.length - 1].id);
            }
            return rows.map(row => this.toMessage(row, [agentId]));
        });
    }

    /** The task went on past the turns that read its messages: they are acknowledged. */
    acknowledge(agentId: string, taskId: number, at: number): number {
        return this.db.run('UPDATE bus_deliveries SET state = \'acknowledged\', acked_at = ? WHERE agent_id = ? AND task_id = ? AND state = \'delivered\'',
            at, agentId, taskId).changes;
    }

    /** The task stopped before it went on (a crash, a checkpoint): what its turns read is pending again. Undefined task: every agent's, every task's (at start). */
    redeliver(agentId?: string, taskId?: number): number {
        if (agentId === undefined) {
            return this.db.run('UPDATE bus_deliveries SET state = \'pending\', task_id = NULL, delivered_at = NULL WHERE state = \'delivered\'').changes;
        }
        return this.db.run('UPDATE bus_deliveries SET state = \'pending\', task_id = NULL, delivered_at = NULL WHERE agent_id = ? AND task_id IS ? AND state = \'delivered\'',
            agentId, taskId ?? null).changes;
    }

    /**
     * Messages with their recipients, oldest first (what people see of the bus): the latest `limit`,
     * or with `afterId` the first `limit` after it (a reader following the bus). `topic` is a
     * subscription pattern (a topic, `*`, or a prefix ending in `/*`), matched here in SQL, so a
     * page of other topics' messages never hides the ones after it.
     */
    recent(limit = 100, query: { readonly topic?: string; readonly afterId?: number } = {}): BusMessage[] {
        const where: string[] = [];
        const params: (string | number)[] = [];
        const topic = query.topic ?? '*';
        if (topic.endsWith('/*')) {
            where.push('substr(topic, 1, ?) = ?');
            params.push(topic.length - 1, topic.slice(0, -1));
        } else if (topic !== '*') {
            where.push('topic = ?');
            params.push(topic);
        }
        if (query.afterId !== undefined) {
            where.push('id > ?');
            params.push(query.afterId);
        }
        const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
        const rows = query.afterId !== undefined
            ? this.db.all<MessageRow>(`SELECT * FROM bus_messages ${filter} ORDER BY id LIMIT ?`, ...params, limit)
            : this.db.all<MessageRow>(`SELECT * FROM bus_messages ${filter} ORDER BY id DESC LIMIT ?`, ...params, limit).reverse();
        return rows.map(row => this.toMessage(row, this.db.all<{ agent_id: string }>(
            'SELECT agent_id FROM bus_deliveries WHERE message_id = ? ORDER BY agent_id', row.id).map(r => r.agent_id)));
    }

    protected toMessage(row: MessageRow, recipients: readonly string[]): BusMessage {
        return { id: row.id, topic: row.topic, from: row.from_id, text: row.text, at: row.at, ...(row.to_agent ? { to: row.to_agent } : {}), recipients };
    }
}
