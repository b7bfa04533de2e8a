import { Migration } from '../migrations';

/** `sessions.db`: the session timeline (timeline/), chat conversations (chat/) and the tasks' change sets (changes/). */
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
}, {
    version: 3,
    description: 'the session timeline: sequence numbers that are never reused, positions in a session, agent/task/file columns and indexes for filtered seeks',
    // The table is rebuilt (SQLite cannot add AUTOINCREMENT or NOT NULL columns in place).
    // id is the event's sequence number: assigned in commit order and never reused, even after
    // a session is deleted (AUTOINCREMENT). n is its position in its session (0, 1, ...), so a
    // seek to any point is one index lookup rather than an OFFSET walk. The scan index carries
    // the filter columns, so a filtered page or count reads the index alone; the edits index
    // finds a file's edit chain when it is rebuilt at some point.
    up: `
        CREATE TABLE timeline_events_v3 (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            n           INTEGER NOT NULL,
            kind        TEXT NOT NULL,
            agent_id    TEXT,
            task_id     INTEGER,
            path        TEXT,
            summary     TEXT NOT NULL DEFAULT '',
            data_json   TEXT NOT NULL,
            at          INTEGER NOT NULL
        ) STRICT;
        INSERT INTO timeline_events_v3 (id, session_id, n, kind, data_json, at)
            SELECT id, session_id, row_number() OVER (PARTITION BY session_id ORDER BY id) - 1, kind, data_json, at FROM timeline_events;
        DROP TABLE timeline_events;
        ALTER TABLE timeline_events_v3 RENAME TO timeline_events;
        CREATE UNIQUE INDEX timeline_events_by_position ON timeline_events(session_id, n);
        CREATE INDEX timeline_events_scan ON timeline_events(session_id, n, agent_id, kind, path);
        CREATE INDEX timeline_events_edits ON timeline_events(session_id, path, id) WHERE kind = 'file-edit';
        CREATE INDEX timeline_events_by_task ON timeline_events(task_id, id) WHERE task_id IS NOT NULL;
        CREATE INDEX timeline_events_by_time ON timeline_events(session_id, at);
        ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'import'));
        ALTER TABLE sessions ADD COLUMN source TEXT;
        ALTER TABLE sessions ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sessions ADD COLUMN last_at INTEGER;
        ALTER TABLE sessions ADD COLUMN lanes_json TEXT NOT NULL DEFAULT '[]';
        UPDATE sessions SET
            event_count = (SELECT count(*) FROM timeline_events e WHERE e.session_id = sessions.id),
            last_at = (SELECT max(at) FROM timeline_events e WHERE e.session_id = sessions.id);
        CREATE INDEX sessions_by_start ON sessions(started_at);
    `,
}, {
    version: 4,
    description: 'change sets: what each task changed in the workspace, with content-addressed contents and the review of each hunk',
    // A blob's content is kept once, whatever number of change sets name it. change_files holds
    // one row per task and path: the content before the task first touched the path and after its
    // last change (NULL: absent), so a row whose two sides are equal is no change and is dropped.
    // The counts (added, removed, hunks) and the hunks' line ranges (hunk_ranges, JSON, for overlap
    // flags) are filled in after the change, off the agent's write.
    // review_json is the review of the hunks between those two sides; it names the after side it
    // was made for, so a later write by the task makes it pending again. A comment names the
    // follow-up task it became.
    up: `
        CREATE TABLE change_blobs (
            id          INTEGER PRIMARY KEY,
            sha256      TEXT NOT NULL UNIQUE,
            bytes       INTEGER NOT NULL,
            content     BLOB NOT NULL
        ) STRICT;
        CREATE TABLE change_sets (
            task_id     INTEGER PRIMARY KEY,
            agent_id    TEXT NOT NULL,
            title       TEXT NOT NULL DEFAULT '',
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX change_sets_by_agent ON change_sets(agent_id, task_id);
        CREATE TABLE change_files (
            task_id     INTEGER NOT NULL REFERENCES change_sets(task_id) ON DELETE CASCADE,
            path        TEXT NOT NULL,
            before_sha  TEXT,
            after_sha   TEXT,
            origin      TEXT NOT NULL CHECK (origin IN ('tool', 'command')),
            added       INTEGER,
            removed     INTEGER,
            hunks       INTEGER,
            hunk_ranges TEXT,
            review_json TEXT,
            first_at    INTEGER NOT NULL,
            last_at     INTEGER NOT NULL,
            PRIMARY KEY (task_id, path)
        ) STRICT;
        CREATE INDEX change_files_by_path ON change_files(path, task_id);
        CREATE TABLE change_comments (
            id          INTEGER PRIMARY KEY,
            task_id     INTEGER NOT NULL REFERENCES change_sets(task_id) ON DELETE CASCADE,
            path        TEXT,
            hunk        INTEGER,
            text        TEXT NOT NULL,
            by_id       TEXT NOT NULL,
            by_name     TEXT NOT NULL,
            follow_up_task_id INTEGER,
            created_at  INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX change_comments_by_task ON change_comments(task_id, id);
    `,
}, {
    version: 5,
    description: 'the workspace journal: every state of every workspace file the studio saw, checkpoints before each task; renames and binary files in change sets',
    // workspace_files is what the studio last knew of each workspace file (its content's sha256;
    // size and mtime let a start skip files unchanged since). workspace_journal is every state a
    // file was seen in (sha256 NULL: absent), so the workspace at any moment since the journal
    // began can be told and put back; contents are change_blobs, kept for files up to a size.
    // Each state says who made it (as people read it) and the task, when one did: a line's history.
    // A checkpoint names a moment to restore to: before a task first started, or before a restore
    // (which makes the restore undoable).
    up: `
        CREATE TABLE workspace_files (
            path        TEXT PRIMARY KEY,
            sha256      TEXT NOT NULL,
            size        INTEGER NOT NULL,
            mtime_ms    REAL NOT NULL
        ) STRICT;
        CREATE TABLE workspace_journal (
            seq         INTEGER PRIMARY KEY,
            path        TEXT NOT NULL,
            sha256      TEXT,
            at          INTEGER NOT NULL,
            by_name     TEXT NOT NULL,
            task_id     INTEGER
        ) STRICT;
        CREATE INDEX workspace_journal_by_path ON workspace_journal(path, at, seq);
        CREATE INDEX workspace_journal_by_time ON workspace_journal(at);
        CREATE TABLE checkpoints (
            id          INTEGER PRIMARY KEY,
            at          INTEGER NOT NULL,
            kind        TEXT NOT NULL CHECK (kind IN ('task', 'restore')),
            task_id     INTEGER,
            label       TEXT NOT NULL,
            by_id       TEXT
        ) STRICT;
        CREATE UNIQUE INDEX checkpoints_by_task ON checkpoints(task_id) WHERE kind = 'task';
        CREATE TABLE change_reads (
            task_id     INTEGER NOT NULL,
            path        TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            lines       INTEGER NOT NULL,
            at          INTEGER NOT NULL,
            PRIMARY KEY (task_id, path, sha256)
        ) STRICT;
        CREATE INDEX change_reads_by_content ON change_reads(path, sha256);
        CREATE TABLE change_read_edits (
            id          INTEGER PRIMARY KEY,
            task_id     INTEGER NOT NULL,
            path        TEXT NOT NULL,
            by_name     TEXT NOT NULL,
            at          INTEGER NOT NULL,
            start_line  INTEGER NOT NULL,
            end_line    INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX change_read_edits_by_task ON change_read_edits(task_id, id);
        ALTER TABLE change_files ADD COLUMN renamed_from TEXT;
        ALTER TABLE change_files ADD COLUMN binary INTEGER;
    `,
}, {
    version: 6,
    description: 'change overlays: the edits of an agent whose changes wait for review, which only it sees until a person accepts them',
    // One row per task whose agent applies "after-review": its state (waiting until a person
    // decides; applied or discarded after) and who decided. One file row per task and path the
    // agent changed, with the content it sees (NULL: deleted for it) and the SHA-256 of what the
    // workspace held when the agent first wrote it (NULL: absent then), which the workspace must
    // still hold for the set to land; rows are dropped once the set is applied or discarded, the
    // task row stays as the record of the decision.
    up: `
        CREATE TABLE change_overlays (
            task_id     INTEGER PRIMARY KEY,
            agent_id    TEXT NOT NULL,
            state       TEXT NOT NULL CHECK (state IN ('waiting', 'applied', 'discarded')),
            decided_by  TEXT,
            decided_at  INTEGER,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE change_overlay_files (
            task_id     INTEGER NOT NULL REFERENCES change_overlays(task_id) ON DELETE CASCADE,
            path        TEXT NOT NULL,
            content     BLOB,
            base_sha256 TEXT,
            at          INTEGER NOT NULL,
            PRIMARY KEY (task_id, path)
        ) STRICT;
    `,
}, {
    version: 7,
    description: 'change commits: the git commits a task\'s commands made in the workspace\'s repository',
    // One row per task and commit its agent's commands made (found by comparing HEAD before and
    // after each command), kept as the commit said it then: a later rebase or gc of the repository
    // does not change what the task did. id is the order they were recorded in (oldest first).
    // A change set may hold commits and no file (a task that only committed what was there).
    up: `
        CREATE TABLE change_commits (
            id          INTEGER PRIMARY KEY,
            task_id     INTEGER NOT NULL REFERENCES change_sets(task_id) ON DELETE CASCADE,
            sha         TEXT NOT NULL,
            subject     TEXT NOT NULL,
            author_name TEXT NOT NULL,
            authored_at INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL,
            UNIQUE (task_id, sha)
        ) STRICT;
    `,
}];
