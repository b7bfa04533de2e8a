import { Migration } from '../migrations';

/** `agents.db`: agent registry, configuration, state-transition log, restarts, the message bus. */
export const agentsMigrations: readonly Migration[] = [{
    version: 1,
    description: 'agents, agent_config, agent_transitions, agent_restarts',
    up: `
        CREATE TABLE agents (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL UNIQUE,
            provider    TEXT NOT NULL,
            model       TEXT NOT NULL,
            state       TEXT NOT NULL DEFAULT 'idle',
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE agent_config (
            agent_id    TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            key         TEXT NOT NULL,
            value_json  TEXT NOT NULL,
            PRIMARY KEY (agent_id, key)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE agent_transitions (
            id          INTEGER PRIMARY KEY,
            agent_id    TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            from_state  TEXT NOT NULL,
            to_state    TEXT NOT NULL,
            reason      TEXT NOT NULL DEFAULT '',
            at          INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX agent_transitions_by_agent ON agent_transitions(agent_id, at);
        CREATE TABLE agent_restarts (
            id          INTEGER PRIMARY KEY,
            agent_id    TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            reason      TEXT NOT NULL,
            at          INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX agent_restarts_by_agent ON agent_restarts(agent_id, at);
    `,
}, {
    version: 2,
    description: 'orchestrator: the task and wait of each transition, the task and delay of each restart',
    up: `
        ALTER TABLE agent_transitions ADD COLUMN task_id INTEGER;
        ALTER TABLE agent_transitions ADD COLUMN waiting_json TEXT;
        ALTER TABLE agent_restarts ADD COLUMN task_id INTEGER;
        ALTER TABLE agent_restarts ADD COLUMN delay_ms INTEGER NOT NULL DEFAULT 0;
    `,
}, {
    version: 3,
    description: 'the message bus: messages, and their delivery to each recipient agent (pending, delivered into a task, acknowledged)',
    up: `
        CREATE TABLE bus_messages (
            id          INTEGER PRIMARY KEY,
            topic       TEXT NOT NULL,
            from_id     TEXT NOT NULL,
            to_agent    TEXT,
            text        TEXT NOT NULL,
            at          INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX bus_messages_by_topic ON bus_messages(topic, id);
        CREATE TABLE bus_deliveries (
            message_id    INTEGER NOT NULL REFERENCES bus_messages(id) ON DELETE CASCADE,
            agent_id      TEXT NOT NULL,
            state         TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'acknowledged')),
            task_id       INTEGER,
            delivered_at  INTEGER,
            acked_at      INTEGER,
            PRIMARY KEY (message_id, agent_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX bus_deliveries_by_agent ON bus_deliveries(agent_id, state, message_id);
    `,
}];
