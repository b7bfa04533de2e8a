import * as assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { databaseMigrations } from './schema';
import { readSchemaObjects, studioSchema } from './studio-schema';
import { TempCluster } from './test-support/temp-cluster';

describe('the studio\'s schema, known in one place and repaired at start', function () {
    this.timeout(30_000);
    const temp = TempCluster.perTest('schema-repair-');

    it('lists each database\'s tables, indexes and triggers as its migrations make them, once', () => {
        const workspace = studioSchema(databaseMigrations.workspace);
        assert.equal(studioSchema(databaseMigrations.workspace), workspace, 'computed once and cached');
        const names = (type: string) => workspace.filter(o => o.type === type).map(o => o.name).sort();
        assert.deepEqual(names('table'), ['audit_log', 'settings', 'sql_history', 'sql_write_audit', 'tokens', 'v1_import_files', 'v1_imports', 'web_sessions']);
        assert.ok(names('index').includes('tokens_by_agent'));
        assert.deepEqual(names('trigger'), ['audit_log_no_delete', 'audit_log_no_update', 'sql_write_audit_no_delete', 'sql_write_audit_only_completes']);
        assert.equal(workspace.find(o => o.name === 'tokens_by_agent')?.tblName, 'tokens');
        assert.ok(!studioSchema(databaseMigrations.workspace, 1).some(o => o.name === 'audit_log'), 'and as of an older version');
        assert.ok(studioSchema(databaseMigrations.locks).some(o => o.name === 'lock_history'));
    });

    it('recreates a dropped trigger, and reports a table whose definition differs without changing it', async () => {
        await temp.open().close();
        temp.tamper('workspace', 'DROP TRIGGER audit_log_no_delete; ALTER TABLE settings ADD COLUMN extra TEXT');
        const workspace = temp.open().get('workspace');
        workspace.run('INSERT INTO audit_log (at, action, outcome) VALUES (1, \'test\', \'allowed\')');
        assert.throws(() => workspace.run('DELETE FROM audit_log'), /append-only/, 'the trigger is back');
        const settings = workspace.all<{ name: string }>('SELECT name FROM pragma_table_info(\'settings\')').map(c => c.name);
        assert.ok(settings.includes('extra'), 'the differing table is left as found');
        const health = (await temp.cluster.health()).find(c => c.id === 'db:workspace')!;
        assert.equal(health.status, 'degraded');
        assert.match(health.detail, /trigger audit_log_no_delete was missing from workspace\.db and was recreated\. table settings in workspace\.db differs from the studio's definition and was left as found; the studio may fail on it: restore the file from the replica, or rebuild it/);
        assert.equal(health.metrics?.schemaDiffering, 'settings');
    });

    it('leaves an admin\'s own tables alone', async () => {
        await temp.open().close();
        temp.tamper('tasks', 'CREATE TABLE my_notes (n TEXT)');
        const tasks = temp.open().get('tasks');
        assert.deepEqual(temp.logged, []);
        assert.ok(readSchemaObjects((tasks as unknown as { writer: { db: Database.Database } }).writer.db).some(o => o.name === 'my_notes'));
    });
});
