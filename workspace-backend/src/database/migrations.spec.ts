import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from './database-cluster';
import { MigrationError, SchemaTooNewError } from './database-errors';
import { openConnection } from './database-open';
import { latestVersion, migrate, Migration, readSchemaVersion } from './migrations';
import { databaseMigrations } from './schema';

const settings = { synchronous: 'NORMAL' as const, busyTimeoutMs: 5000 };

const v1: Migration = { version: 1, description: 'notes', up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT' };
const v2: Migration = { version: 2, description: 'notes.pinned', up: 'ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0' };
const v3: Migration = {
    version: 3, description: 'tags, backfilled in code',
    up: db => {
        db.exec('CREATE TABLE tags (note_id INTEGER NOT NULL REFERENCES notes(id), tag TEXT NOT NULL) STRICT');
        db.prepare("INSERT INTO tags SELECT id, 'untagged' FROM notes").run();
    },
};

describe('migrations', () => {
    let root: string;
    let file: string;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
        file = path.join(root, 'test.db');
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('brings a fresh file to the latest version in one go', () => {
        const db = openConnection(file, settings, 'write');
        try {
            assert.deepEqual(migrate(db, 'test', [v1, v2, v3]), { from: 0, to: 3 });
            assert.equal(readSchemaVersion(db), 3);
            const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
            assert.deepEqual(tables, ['notes', 'tags']);
            assert.deepEqual(migrate(db, 'test', [v1, v2, v3]), { from: 3, to: 3 }, 'a second run does nothing');
        } finally {
            db.close();
        }
    });

    it('upgrades an older file, keeping its rows', () => {
        let db = openConnection(file, settings, 'write');
        migrate(db, 'test', [v1]);
        db.prepare("INSERT INTO notes (text) VALUES ('keep me')").run();
        db.close();

        db = openConnection(file, settings, 'write');
        try {
            assert.deepEqual(migrate(db, 'test', [v1, v2, v3]), { from: 1, to: 3 });
            assert.deepEqual(db.prepare('SELECT text, pinned FROM notes').all(), [{ text: 'keep me', pinned: 0 }]);
            assert.deepEqual(db.prepare('SELECT tag FROM tags').pluck().all(), ['untagged']);
        } finally {
            db.close();
        }
    });

    it('refuses a file with a newer schema, with a message that says what to do, and leaves it untouched', () => {
        const db = openConnection(file, settings, 'write');
        try {
            migrate(db, 'locks', [v1]);
            db.pragma('user_version = 7');
            assert.throws(() => migrate(db, 'locks', [v1, v2, v3]), (error: unknown) => {
                assert.ok(error instanceof SchemaTooNewError);
                assert.equal(error.message, 'locks.db has schema version 7 but this studio knows up to 3; upgrade the studio or restore an older backup.');
                return true;
            });
            assert.equal(readSchemaVersion(db), 7);
            assert.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'tags'").pluck().get(), 0);
        } finally {
            db.close();
        }
    });

    it('rolls every pending migration back when one fails', () => {
        const db = openConnection(file, settings, 'write');
        try {
            migrate(db, 'test', [v1]);
            const broken: Migration = { version: 3, description: 'broken', up: 'CREATE TABLE half (x); SELECT * FROM no_such_table' };
            assert.throws(() => migrate(db, 'test', [v1, v2, broken]), (error: unknown) => {
                assert.ok(error instanceof MigrationError);
                assert.match(error.message, /test\.db: migration to schema version 3 failed and was rolled back: no such table: no_such_table/);
                return true;
            });
            assert.equal(readSchemaVersion(db), 1);
            assert.deepEqual(db.prepare('PRAGMA table_info(notes)').all().map(c => (c as { name: string }).name), ['id', 'text'], 'v2 rolled back too');
            assert.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half'").pluck().get(), 0);
        } finally {
            db.close();
        }
    });

    it('rejects a malformed migration list', () => {
        assert.throws(() => latestVersion([v1, v3]), /entry 1 has version 3, expected 2/);
    });

    it('every shipped schema applies cleanly, with foreign keys that hold', () => {
        for (const [name, migrations] of Object.entries(databaseMigrations)) {
            const db = openConnection(path.join(root, `${name}.db`), settings, 'write');
            try {
                assert.equal(migrate(db, name, migrations).to, migrations.length);
                assert.deepEqual(db.pragma('foreign_key_check'), [], name);
                assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
            } finally {
                db.close();
            }
        }
    });

    it('a cluster reports a too-new database as down, naming it, and serves the other five', async () => {
        const dataDir = path.join(root, 'data');
        let cluster = new DatabaseCluster({ dataDir }).open();
        cluster.get('locks').run('PRAGMA user_version = 7'); // newer than any test will ship
        await cluster.close();

        cluster = new DatabaseCluster({ dataDir }).open();
        try {
            const health = await cluster.health();
            const locks = health.find(c => c.id === 'db:locks')!;
            assert.equal(locks.status, 'down');
            assert.ok(locks.detail.includes(`locks.db has schema version 7 but this studio knows up to ${databaseMigrations.locks.length}; upgrade the studio or restore an older backup.`), locks.detail);
            assert.throws(() => cluster.get('locks'), /The locks database is unavailable: locks\.db has schema version 7/);
            assert.deepEqual(health.filter(c => c.status === 'ok').map(c => c.id), ['db:workspace', 'db:agents', 'db:tasks', 'db:sessions', 'db:metrics']);
            assert.ok(fs.existsSync(path.join(dataDir, 'locks.db')), 'the newer file is left where it is');
            assert.deepEqual(fs.readdirSync(dataDir).filter(f => f.includes('corrupt')), []);
        } finally {
            await cluster.close();
        }
    });
});
