import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { guardStatement, readGuardedSettings, Refusal } from './statement-guard';

describe('guardStatement', () => {
    let dir: string;
    let db: BetterSqlite3.Database;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
        const file = path.join(dir, 'g.db');
        const setup = new Database(file);
        setup.pragma('journal_mode = WAL');
        setup.exec('CREATE TABLE t (a INTEGER, b TEXT)');
        setup.close();
        db = new Database(file);
        db.pragma('foreign_keys = ON');
        db.pragma('wal_autocheckpoint = 0');
    });

    afterEach(() => {
        db.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    function refusal(sql: string, mode: 'read' | 'write' = 'write'): Refusal {
        const outcome = guardStatement(db, sql, mode);
        assert.ok(!('statement' in outcome), `${sql} should be refused`);
        return outcome;
    }

    const refused: [string, RegExp][] = [
        ['ATTACH \'other.db\' AS o', /ATTACH would open another database file/],
        ['/*x*/ATTACH \'other.db\' AS o', /ATTACH would open another database file/],
        ['attach database \'other.db\' as o', /ATTACH would open another database file/],
        ['DETACH o', /DETACH is not available/],
        ['SELECT load_extension(\'x\')', /load_extension\(\) would load native code/],
        ['select LOAD_EXTENSION(\'x\', \'entry\')', /load_extension\(\) would load native code/],
        ['SELECT fts3_tokenizer(\'simple\')', /fts3_tokenizer/],
        ['VACUUM INTO \'/tmp/copy.db\'', /VACUUM INTO writes a copy/],
        ['VACUUM', /VACUUM rewrites the whole database file/],
        ['PRAGMA journal_mode=DELETE', /journal_mode may be read but not changed/],
        ['PRAGMA main.journal_mode=DELETE', /journal_mode may be read but not changed/],
        ['PRAGMA wal_checkpoint(TRUNCATE)', /checkpoints belong to the studio's checkpointer/],
        ['PRAGMA user_version = 99', /user_version, schema_version and application_id/],
        ['PRAGMA application_id = 7', /user_version, schema_version and application_id/],
        ['BEGIN', /BEGIN, COMMIT and ROLLBACK are not needed/],
        ['COMMIT', /BEGIN, COMMIT and ROLLBACK are not needed/],
    ];
    for (const [sql, message] of refused) {
        it(`refuses ${sql}`, () => {
            const outcome = refusal(sql);
            assert.equal(outcome.kind, 'refused');
            assert.match(outcome.message, message);
            assert.equal(db.pragma('journal_mode', { simple: true }), 'wal', 'the journal mode is untouched');
        });
    }

    const settingChanges: [string, string][] = [
        ['PRAGMA synchronous = OFF', 'synchronous'],
        ['PRAGMA main.synchronous=0', 'synchronous'],
        ['PRAGMA foreign_keys = OFF', 'foreign_keys'],
        ['PRAGMA wal_autocheckpoint = 1000', 'wal_autocheckpoint'],
        ['PRAGMA locking_mode = EXCLUSIVE', 'locking_mode'],
        ['PRAGMA query_only = OFF', 'query_only'],
        ['EXPLAIN PRAGMA foreign_keys = OFF', 'foreign_keys'],
    ];
    for (const [sql, setting] of settingChanges) {
        it(`refuses ${sql} (it acts while compiling) and says the connection is tainted`, () => {
            if (setting === 'query_only') {
                db.pragma('query_only = ON');
            }
            const outcome = refusal(sql);
            assert.equal(outcome.kind, 'refused');
            assert.equal(outcome.taintsConnection, true);
            assert.match(outcome.message, new RegExp(`changes PRAGMA ${setting}`));
        });
    }

    it('refuses SAVEPOINT on a read-only run', () => {
        assert.match(refusal('SAVEPOINT s', 'read').message, /SAVEPOINT/);
    });

    it('leaves sqlite_schema unwritable after PRAGMA writable_schema, and schema_version unchanged (defensive mode): they need no refusal', () => {
        for (const sql of ['PRAGMA writable_schema = ON', 'pragma Writable_Schema=1']) {
            const outcome = guardStatement(db, sql, 'write');
            assert.ok('statement' in outcome);
            outcome.statement.run();
            assert.equal(db.pragma('writable_schema', { simple: true }), 0);
        }
        const version = db.pragma('schema_version', { simple: true });
        const setVersion = guardStatement(db, 'PRAGMA schema_version = 99', 'write');
        assert.ok('statement' in setVersion);
        setVersion.statement.run();
        assert.equal(db.pragma('schema_version', { simple: true }), version, 'defensive mode ignores it too');
        assert.throws(() => db.prepare('UPDATE sqlite_schema SET sql = \'x\' WHERE name = \'t\'').run(), /may not be modified/);
    });

    it('lets reads, read-only pragmas, EXPLAIN and (on write runs) writes through, settings unchanged', () => {
        const before = readGuardedSettings(db);
        for (const sql of ['SELECT * FROM t', 'PRAGMA journal_mode', 'PRAGMA foreign_keys', 'PRAGMA table_info(t)', 'EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1',
            'EXPLAIN SELECT 1', 'WITH x(n) AS (SELECT 1) SELECT n FROM x', 'SELECT \'ATTACH\' AS word']) {
            assert.ok('statement' in guardStatement(db, sql, 'read'), sql);
        }
        for (const sql of ['INSERT INTO t VALUES (1, \'x\')', 'CREATE INDEX t_a ON t(a)', 'CREATE TABLE u (x)', 'DROP TABLE t', 'ALTER TABLE t ADD COLUMN c', 'SAVEPOINT s']) {
            assert.ok('statement' in guardStatement(db, sql, 'write'), sql);
        }
        assert.equal(readGuardedSettings(db), before);
    });

    it('passes SQLite\'s own compile errors through', () => {
        assert.throws(() => guardStatement(db, 'SELEC 1', 'read'), /near "SELEC": syntax error/);
        assert.throws(() => guardStatement(db, 'SELECT * FROM missing', 'read'), /no such table: missing/);
        assert.throws(() => guardStatement(db, 'EXPLAIN SELEC 1', 'read'), /syntax error/);
    });
});
