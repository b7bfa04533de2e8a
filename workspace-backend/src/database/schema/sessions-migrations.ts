import { Migration } from '../migrations';

/** `sessions.db`: timeline events and chat transcripts. */
export const sessionsMigrations: readonly Migration[] = [{
    version: 1,
    description: 'sessions, timeline_events, chat_messages',
    up: `
        CREATE TABLE sessions (
            id          TEXT PRIMARY KEY,
            agent_id    TEXT,
            title       TEXT NOT NULL DEFAULT '',
            started_at  INTEGER NOT NULL,
            ended_at    INTEGER
        ) STRICT;
        CREATE TABLE timeline_events (
            id          INTEGER PRIMARY KEY,
            session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            kind        TEXT NOT NULL,
            data_json   TEXT NOT NULL,
            at          INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX timeline_events_by_session ON timeline_events(session_id, at);
        CREATE TABLE chat_messages (
            id          INTEGER PRIMARY KEY,
            session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            role        TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
            content     TEXT NOT NULL,
            at          INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX chat_messages_by_session ON chat_messages(session_id, id);
    `,
}, {
    version: 2,
    description: 'conversation_messages: chat with one agent, each reply linked to its task',
    up: `
        CREATE TABLE conversation_messages (
            id              INTEGER PRIMARY KEY,
            conversation_id TEXT NOT NULL,
            agent_id        TEXT NOT NULL,
            role            TEXT NOT NULL CHECK (role IN ('user', 'agent', 'system')),
            text            TEXT NOT NULL,
            task_id         INTEGER,
            user_id         TEXT,
            user_name       TEXT,
            created_at      INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX conversation_messages_by_conversation ON conversation_messages(conversation_id, id);
        CREATE INDEX conversation_messages_by_agent ON conversation_messages(agent_id, conversation_id);
        CREATE INDEX conversation_messages_by_task ON conversation_messages(task_id) WHERE task_id IS NOT NULL;
    `,
}];
