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
}];
