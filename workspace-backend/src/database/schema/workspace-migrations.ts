import { Migration } from '../migrations';

/** `workspace.db`: workspace settings, agent tokens, the audit log, the SQL console's history, browser sessions. */
export const workspaceMigrations: readonly Migration[] = [{
    version: 1,
    description: 'settings, users, roles, tokens',
    up: `
        CREATE TABLE settings (
            key         TEXT PRIMARY KEY,
            value_json  TEXT NOT NULL,
            updated_at  INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE roles (
            name        TEXT PRIMARY KEY,
            description TEXT NOT NULL DEFAULT '',
            permissions_json TEXT NOT NULL DEFAULT '[]'
        ) STRICT;
        CREATE TABLE users (
            id          TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            email       TEXT UNIQUE,
            created_at  INTEGER NOT NULL,
            disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
        ) STRICT;
        CREATE TABLE user_roles (
            user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role_name   TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
            PRIMARY KEY (user_id, role_name)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE tokens (
            id          TEXT PRIMARY KEY,
            user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            -- only a hash is stored; the token itself is shown once, when created
            token_hash  TEXT NOT NULL UNIQUE,
            label       TEXT NOT NULL DEFAULT '',
            created_at  INTEGER NOT NULL,
            expires_at  INTEGER,
            revoked_at  INTEGER
        ) STRICT;
        CREATE INDEX tokens_by_user ON tokens(user_id);
    `,
}, {
    version: 2,
    description: 'SQL console: query history per user, audit of writes',
    up: `
        -- What each person ran in the SQL console, newest last; trimmed per user by the console.
        CREATE TABLE sql_history (
            id          INTEGER PRIMARY KEY,
            user_id     TEXT NOT NULL,
            database    TEXT NOT NULL,
            sql         TEXT NOT NULL,
            mode        TEXT NOT NULL CHECK (mode IN ('read', 'write')),
            started_at  INTEGER NOT NULL,
            duration_ms REAL NOT NULL,
            outcome     TEXT NOT NULL,
            rows        INTEGER,
            error       TEXT
        ) STRICT;
        CREATE INDEX sql_history_by_user ON sql_history(user_id, id);
        -- Every read-write run, recorded before it starts (outcome 'running') and completed after:
        -- a write is never run without its row here. Never trimmed.
        CREATE TABLE sql_write_audit (
            id            INTEGER PRIMARY KEY,
            started_at    INTEGER NOT NULL,
            user_id       TEXT NOT NULL,
            user_name     TEXT NOT NULL,
            database      TEXT NOT NULL,
            sql           TEXT NOT NULL,
            outcome       TEXT NOT NULL,
            rows_affected INTEGER,
            error         TEXT,
            finished_at   INTEGER
        ) STRICT;
    `,
}, {
    version: 3,
    description: 'audit_log: admin actions and failed logins',
    up: `
        -- Append-only: who did what with admin powers, and every refused login. Never trimmed by the studio.
        CREATE TABLE audit_log (
            id          INTEGER PRIMARY KEY,
            at          INTEGER NOT NULL,
            user_id     TEXT,
            user_name   TEXT,
            action      TEXT NOT NULL,
            target      TEXT NOT NULL DEFAULT '',
            outcome     TEXT NOT NULL CHECK (outcome IN ('allowed', 'refused', 'failed')),
            detail      TEXT NOT NULL DEFAULT '',
            client      TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX audit_log_by_action ON audit_log(action, at);
        CREATE INDEX audit_log_by_user ON audit_log(user_id, at);
    `,
}, {
    version: 4,
    description: 'tokens: agent tokens (issued by an admin for one agent id) beside people\'s',
    // SQLite cannot drop NOT NULL from a column, so the table is rebuilt: a token now belongs to
    // a user (user_id, as before) or to an agent (agent_id), exactly one of them. Existing rows are
    // copied unchanged (they are users' tokens); nothing references this table, so dropping it is safe.
    up: `
        CREATE TABLE tokens_v4 (
            id           TEXT PRIMARY KEY,
            user_id      TEXT REFERENCES users(id) ON DELETE CASCADE,
            -- an agent outside the studio (a CLI agent, a bot), without the "agent:" prefix
            agent_id     TEXT,
            -- what the studio shows for the agent (lock badges); '' means the agent id
            display_name TEXT NOT NULL DEFAULT '',
            -- only a hash is stored; the token itself is shown once, when created
            token_hash   TEXT NOT NULL UNIQUE,
            label        TEXT NOT NULL DEFAULT '',
            created_at   INTEGER NOT NULL,
            -- the principal id of who issued it ('' for rows older than this migration)
            created_by   TEXT NOT NULL DEFAULT '',
            expires_at   INTEGER,
            revoked_at   INTEGER,
            revoked_by   TEXT,
            CHECK ((user_id IS NULL) <> (agent_id IS NULL))
        ) STRICT;
        INSERT INTO tokens_v4 (id, user_id, token_hash, label, created_at, expires_at, revoked_at)
            SELECT id, user_id, token_hash, label, created_at, expires_at, revoked_at FROM tokens;
        DROP TABLE tokens;
        ALTER TABLE tokens_v4 RENAME TO tokens;
        CREATE INDEX tokens_by_user ON tokens(user_id);
        CREATE INDEX tokens_by_agent ON tokens(agent_id, created_at);
    `,
}, {
    version: 5,
    description: 'web_sessions: browser sign-ins, revocable server-side',
    up: `
        -- One row per signed-in browser. Only a SHA-256 of the session id is stored: the id itself
        -- exists only in the browser's HttpOnly cookie, so reading this table (the SQL console, a
        -- replica) never lets anyone act as the person. Revoking deletes the row.
        CREATE TABLE web_sessions (
            id_hash       TEXT PRIMARY KEY,
            user_id       TEXT NOT NULL,
            user_name     TEXT NOT NULL,
            role          TEXT NOT NULL CHECK (role IN ('developer', 'admin')),
            -- which credential configuration (local token, JWT key and audience) made it; a derived
            -- value, never the token or key: sessions of another configuration are revoked at start
            fingerprint   TEXT NOT NULL,
            created_at    INTEGER NOT NULL,
            expires_at    INTEGER NOT NULL,
            last_used_at  INTEGER NOT NULL,
            client        TEXT NOT NULL DEFAULT '',
            CHECK (expires_at > created_at)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX web_sessions_by_expiry ON web_sessions(expires_at);
    `,
}, {
    version: 6,
    description: 'audit_log and sql_write_audit are append-only, enforced by SQLite',
    // Defence in depth beside the SQL console's guard: whatever connection writes this file, a row
    // of the audit trail cannot be changed or removed. The studio only inserts into audit_log
    // (audit-log.ts), and into sql_write_audit a row with outcome 'running' before a console
    // write, which it then completes once (sql-history-repository.ts): that one transition is the
    // only UPDATE allowed, and it may fill in only the outcome columns. No studio code deletes
    // either table's rows; there is no retention of them.
    up: `
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be changed'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be deleted'); END;
        CREATE TRIGGER sql_write_audit_only_completes BEFORE UPDATE ON sql_write_audit
        WHEN OLD.outcome IS NOT 'running' OR NEW.outcome IS 'running'
            OR NEW.id IS NOT OLD.id OR NEW.started_at IS NOT OLD.started_at OR NEW.user_id IS NOT OLD.user_id
            OR NEW.user_name IS NOT OLD.user_name OR NEW.database IS NOT OLD.database OR NEW.sql IS NOT OLD.sql
        BEGIN SELECT RAISE(ABORT, 'sql_write_audit is append-only: a row may only be completed once, from running to its outcome'); END;
        CREATE TRIGGER sql_write_audit_no_delete BEFORE DELETE ON sql_write_audit
        BEGIN SELECT RAISE(ABORT, 'sql_write_audit is append-only: its rows cannot be deleted'); END;
    `,
}, {
    version: 7,
    description: 'unused tables dropped: users, roles, user_roles; tokens are agent tokens only',
    // People are who their credential says (the JWT or the local token, policy/principal.ts), so
    // the users, roles and user_roles tables of version 1 were never written, and no code ever
    // issued a person a token. The tokens table is rebuilt without its reference to users and
    // with agent_id required: rows with a user_id could only have been put there by hand.
    up: `
        CREATE TABLE tokens_v7 (
            id           TEXT PRIMARY KEY,
            -- an agent outside the studio (a CLI agent, a bot), without the "agent:" prefix
            agent_id     TEXT NOT NULL,
            -- what the studio shows for the agent (lock badges); '' means the agent id
            display_name TEXT NOT NULL DEFAULT '',
            -- only a hash is stored; the token itself is shown once, when created
            token_hash   TEXT NOT NULL UNIQUE,
            label        TEXT NOT NULL DEFAULT '',
            created_at   INTEGER NOT NULL,
            -- the principal id of who issued it
            created_by   TEXT NOT NULL DEFAULT '',
            expires_at   INTEGER,
            revoked_at   INTEGER,
            revoked_by   TEXT
        ) STRICT;
        INSERT INTO tokens_v7 (id, agent_id, display_name, token_hash, label, created_at, created_by, expires_at, revoked_at, revoked_by)
            SELECT id, agent_id, display_name, token_hash, label, created_at, created_by, expires_at, revoked_at, revoked_by FROM tokens WHERE agent_id IS NOT NULL;
        DROP TABLE tokens;
        ALTER TABLE tokens_v7 RENAME TO tokens;
        CREATE INDEX tokens_by_agent ON tokens(agent_id, created_at);
        DROP TABLE user_roles;
        DROP TABLE users;
        DROP TABLE roles;
    `,
}, {
    version: 8,
    description: 'v1 imports: which v1 user a workspace holds, what each run read and wrote, and the files it placed',
    // Written only by `coditect-workspace migrate` (migration/v1-import.ts). One row per v1 user
    // the workspace was migrated from (in practice one); files lists what the import placed, with
    // the content it placed, so a later run can tell its own files from a person's edits.
    up: `
        CREATE TABLE v1_imports (
            user_id      TEXT PRIMARY KEY,
            source       TEXT NOT NULL,
            -- SHA-256 over the keys and ETags of every v1 object read: unchanged means nothing new in v1
            fingerprint  TEXT NOT NULL,
            -- running: a run started and has not finished; done: its last run finished
            state        TEXT NOT NULL CHECK (state IN ('running', 'done')),
            started_at   INTEGER NOT NULL,
            finished_at  INTEGER,
            -- the run's report: counts, and the records left out with why (JSON)
            report       TEXT NOT NULL DEFAULT '{}'
        ) STRICT;
        CREATE TABLE v1_import_files (
            path         TEXT PRIMARY KEY,
            user_id      TEXT NOT NULL REFERENCES v1_imports(user_id),
            sha256       TEXT NOT NULL,
            size         INTEGER NOT NULL
        ) STRICT;
    `,
}];
