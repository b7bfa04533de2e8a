import type { SqliteDatabase } from '../database/sqlite-database';
import type { ChatMessage, ChatRole, ConversationSummary } from './chat-types';

interface MessageRow {
    id: number; conversation_id: string; agent_id: string; role: ChatRole; text: string; task_id: number | null;
    user_id: string | null; user_name: string | null; created_at: number;
}

const toMessage = (r: MessageRow): ChatMessage => ({
    id: r.id, conversationId: r.conversation_id, agentId: r.agent_id, role: r.role, text: r.text, taskId: r.task_id ?? undefined,
    user: r.user_id !== null ? { id: r.user_id, displayName: r.user_name ?? r.user_id } : undefined, createdAt: r.created_at,
});

export type NewChatMessage = Omit<ChatMessage, 'id' | 'createdAt'>;

/**
 * `sessions.db` table `conversation_messages`. Invariant: a conversation belongs to one agent
 * (every row of a conversation id has the same agent id); `ChatConversations` checks it before
 * inserting. Each call commits before it returns.
 */
export class ConversationRepository {
    constructor(protected readonly db: SqliteDatabase, protected readonly now: () => number = Date.now) {
        if (db.name !== 'sessions') {
            throw new Error(`ConversationRepository needs the sessions database, not the ${db.label}.`);
        }
    }

    insert(message: NewChatMessage): ChatMessage {
        const { lastInsertRowid } = this.db.run(
            'INSERT INTO conversation_messages (conversation_id, agent_id, role, text, task_id, user_id, user_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            message.conversationId, message.agentId, message.role, message.text, message.taskId ?? null, message.user?.id ?? null, message.user?.displayName ?? null, this.now());
        return toMessage(this.db.get<MessageRow>('SELECT * FROM conversation_messages WHERE id = ?', Number(lastInsertRowid))!);
    }

    /** The agent a conversation belongs to, or undefined when there is no such conversation. */
    agentOf(conversationId: string): string | undefined {
        return this.db.get<{ agent_id: string }>('SELECT agent_id FROM conversation_messages WHERE conversation_id = ? LIMIT 1', conversationId)?.agent_id;
    }

    /** Oldest first; with `lastN`, only the most recent N (still oldest first). */
    messages(conversationId: string, lastN?: number): ChatMessage[] {
        const rows = lastN === undefined
            ? this.db.all<MessageRow>('SELECT * FROM conversation_messages WHERE conversation_id = ? ORDER BY id', conversationId)
            : this.db.all<MessageRow>('SELECT * FROM conversation_messages WHERE conversation_id = ? ORDER BY id DESC LIMIT ?', conversationId, lastN).reverse();
        return rows.map(toMessage);
    }

    count(conversationId: string): number {
        return this.db.get<{ n: number }>('SELECT count(*) AS n FROM conversation_messages WHERE conversation_id = ?', conversationId)!.n;
    }

    /** The conversation whose user message started `taskId`, if the chat started it. */
    conversationOfTask(taskId: number): { conversationId: string; agentId: string } | undefined {
        const row = this.db.get<{ conversation_id: string; agent_id: string }>(
            'SELECT conversation_id, agent_id FROM conversation_messages WHERE task_id = ? AND role = \'user\' LIMIT 1', taskId);
        return row && { conversationId: row.conversation_id, agentId: row.agent_id };
    }

    hasReply(taskId: number): boolean {
        return this.db.get('SELECT 1 AS x FROM conversation_messages WHERE task_id = ? AND role <> \'user\' LIMIT 1', taskId) !== undefined;
    }

    /** Tasks the chat started that have no reply recorded yet (the backend stopped before they ended). */
    unansweredTasks(): number[] {
        return this.db.all<{ task_id: number }>(`SELECT u.task_id FROM conversation_messages u WHERE u.role = 'user' AND u.task_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM conversation_messages r WHERE r.task_id = u.task_id AND r.role <> 'user')`).map(r => r.task_id);
    }

    /** The agent's conversations, the most recently active first. */
    summaries(agentId: string, limit: number): ConversationSummary[] {
        const rows = this.db.all<MessageRow & { n: number; started: number; title: string | null }>(`
            SELECT m.*, c.n, c.started, (SELECT f.text FROM conversation_messages f WHERE f.id = c.first_id) AS title
              FROM (SELECT conversation_id, max(id) AS last_id, min(id) AS first_id, count(*) AS n, min(created_at) AS started
                      FROM conversation_messages WHERE agent_id = ? GROUP BY conversation_id) c
              JOIN conversation_messages m ON m.id = c.last_id
             ORDER BY m.id DESC LIMIT ?`, agentId, limit);
        return rows.map(r => {
            const lastMessage = toMessage(r);
            const firstLine = (r.title ?? '').split('\n')[0].trim();
            return {
                conversationId: r.conversation_id, agentId, messageCount: r.n, startedAt: r.started, lastMessage,
                title: firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine,
                pendingTaskId: lastMessage.role === 'user' ? lastMessage.taskId : undefined,
            };
        });
    }
}
