import { Migration } from '../migrations';

/** `workspace.db`: workspace settings, users and roles, tokens. */
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
}];
