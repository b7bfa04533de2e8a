import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { migrate } from '../database/migrations';
import { workspaceMigrations } from '../database/schema/workspace-migrations';
import { studioSchema } from '../database/studio-schema';
import { consoleProtection, ConsoleProtection } from './console-protection';
import { ScriptRunner } from './script-runner';
import { guardStatement } from './statement-guard';

/** The protection of a developer's run (`mayRead` false) or an admin's, on workspace.db. */
const protection = (mayRead: boolean): ConsoleProtection => consoleProtection('workspace', mayRead, studioSchema(workspaceMigrations));

describe('the console\'s protection of the audit trail, credentials and the studio\'s schema', () => {
    let dir: string;
    let file: string;
    let db: BetterSqlite3.Database;
    const developer = protection(false);
    const admin = protection(true);

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protection-'));
        file = path.join(dir, 'workspace.db');
        db = new Database(file);
        migrate(db, 'workspace', workspaceMigrations);
        db.exec(`CREATE TABLE mine (x INTEGER);
            CREATE VIEW audit_view AS SELECT action FROM audit_log;
            CREATE TRIGGER mine_sneaks AFTER INSERT ON mine BEGIN DELETE FROM tokens WHERE id = 'x'; END;
            INSERT INTO audit_log (at, action, outcome) VALUES (1, 'budget.set', 'allowed');
            ANALYZE`);
    });
    afterEach(() => {
        db.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const refusedBy = (sql: string, rules: ConsoleProtection, mode: 'read' | 'write' = 'read') => {
        const outcome = guardStatement(db, sql, mode, rules);
        assert.ok(!('statement' in outcome), `${sql} should be refused`);
        return outcome;
    };

    it('refuses a developer\'s read of a restricted table however it is reached: the table, an index, count(*), a view, a join, a subquery', () => {
        for (const [sql, table] of [
            ['SELECT * FROM audit_log', 'audit_log'], ['SELECT count(*) FROM sql_history', 'sql_history'],
            ['SELECT token_hash FROM tokens WHERE token_hash = \'x\'', 'tokens'], ['SELECT agent_id FROM tokens WHERE agent_id = \'bot\'', 'tokens'],
            ['SELECT * FROM audit_view', 'audit_log'], ['SELECT s.key FROM settings s JOIN web_sessions w ON w.user_id = s.key', 'web_sessions'],
            ['SELECT (SELECT max(sql) FROM sql_write_audit)', 'sql_write_audit'], ['WITH a AS (SELECT * FROM "AUDIT_LOG") SELECT * FROM a', 'audit_log'],
            ['SELECT * FROM sqlite_stat4', 'sqlite_stat4'],
        ] as const) {
            const refusal = refusedBy(sql, developer);
            assert.deepEqual(refusal.violation, { action: 'sql.read-restricted', object: table }, sql);
            assert.match(refusal.message, new RegExp(`^${table} is visible to admins only`), sql);
        }
        assert.deepEqual(consoleProtection('tasks', false, []).unreadable, {}, 'other databases hold no restricted tables');
        const ok = guardStatement(db, 'SELECT * FROM settings', 'read', developer);
        assert.ok('statement' in ok && ok.reportedReads.length === 0);
    });

    it('lets an admin read them, reporting each read for the audit log', () => {
        const outcome = guardStatement(db, 'SELECT a.action, t.label FROM audit_log a, tokens t', 'read', admin);
        assert.ok('statement' in outcome);
        assert.deepEqual([...outcome.reportedReads].sort(), ['audit_log', 'tokens']);
    });

    it('refuses any write to them, admins included, also one a trigger or a cascade would do', () => {
        for (const [sql, table] of [
            ['DELETE FROM audit_log', 'audit_log'], ['DELETE FROM tokens', 'tokens'], ['UPDATE sql_write_audit SET outcome = \'x\'', 'sql_write_audit'],
            ['INSERT INTO web_sessions (id_hash, user_id, user_name, role, fingerprint, created_at, expires_at, last_used_at) VALUES (\'h\', \'u\', \'u\', \'admin\', \'f\', 1, 2, 1)', 'web_sessions'],
            ['INSERT INTO mine VALUES (1)', 'tokens'], ['DELETE FROM sql_history WHERE user_id = \'user:ada\'', 'sql_history'],
        ] as const) {
            const refusal = refusedBy(sql, admin, 'write');
            assert.deepEqual(refusal.violation, { action: 'sql.write-restricted', object: table }, sql);
        }
        assert.match(refusedBy('DELETE FROM tokens', admin, 'write').message, /coditect token create\|list\|revoke/);
    });

    it('refuses dropping a studio object by its program, and allows an admin\'s own', () => {
        for (const [sql, object] of [['DROP TABLE settings', 'settings'], ['DROP INDEX tokens_by_agent', 'tokens_by_agent'], ['DROP TRIGGER audit_log_no_delete', 'audit_log_no_delete']] as const) {
            const refusal = refusedBy(sql, admin, 'write');
            assert.deepEqual(refusal.violation, { action: 'sql.schema', object }, sql);
            assert.match(refusal.message, /is one of the studio's own objects, and dropping it would break the studio/);
        }
        assert.ok('statement' in guardStatement(db, 'DROP TABLE mine', 'write', admin));
        assert.ok('statement' in guardStatement(db, 'CREATE TABLE copy AS SELECT * FROM mine', 'write', admin), 'a b-tree being created is not mistaken for a studio table');
    });

    describe('a write script that changes the studio\'s schema is rolled back whole', () => {
        let runner: ScriptRunner;
        beforeEach(() => {
            runner = new ScriptRunner(() => new Database(file), 'write');
        });
        afterEach(() => runner.close());

        for (const [script, refused] of [
            ['ALTER TABLE settings ADD COLUMN note TEXT', /table settings is one of the studio's own objects, and altering it/],
            ['ALTER TABLE settings RENAME TO old_settings', /table settings is one of the studio's own objects, and dropping or renaming it/],
            ['CREATE INDEX settings_by_time ON settings(updated_at)', /table settings is one of the studio's own objects, and adding index settings_by_time to it/],
            ['CREATE TRIGGER settings_hook AFTER INSERT ON settings BEGIN SELECT 1; END', /adding trigger settings_hook to it/],
            ['ALTER TABLE sql_history RENAME TO h2; CREATE TABLE sql_history (id INTEGER PRIMARY KEY)', /table sql_history .*(dropping or renaming|altering) it/],
        ] as const) {
            it(script, () => {
                const outcome = runner.run({ script: `CREATE TABLE mine2 (y); ${script}`, pageSize: 10, protection: admin });
                assert.equal(outcome.committed, false);
                assert.equal(outcome.error?.violation?.action, 'sql.schema');
                assert.match(outcome.error!.message, refused);
                assert.match(outcome.error!.message, /The transaction was rolled back: nothing this script did was written/);
                const left = db.prepare('SELECT count(*) AS n FROM sqlite_schema WHERE name IN (\'mine2\', \'old_settings\', \'r2\')').get() as { n: number };
                assert.equal(left.n, 0);
            });
        }

        it('lets an admin create, change and drop tables of their own, with indexes and triggers', () => {
            const outcome = runner.run({
                script: 'CREATE TABLE notes (n TEXT); CREATE INDEX notes_by_n ON notes(n); ALTER TABLE notes ADD COLUMN m TEXT; CREATE TRIGGER notes_t AFTER INSERT ON notes BEGIN SELECT 1; END; DROP TABLE mine',
                pageSize: 10, protection: admin,
            });
            assert.equal(outcome.error, undefined);
            assert.equal(outcome.committed, true);
        });
    });
});
