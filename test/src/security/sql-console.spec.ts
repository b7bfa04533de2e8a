import * as assert from 'node:assert/strict';
import { LOCKS_PATH } from '@coditect/file-locks/common';
import { SQL_CONSOLE_PATH } from '@coditect/sql-console/common';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { bearer, startSecuredStudio, token, waitForCore } from './security-fixture';

interface RunResult {
    error?: { kind: string; message: string };
    committed?: boolean;
    page?: { rows: unknown[][] };
}
interface SqlRpc {
    run(request: { database: string; sql: string; allowWrites?: boolean; timeoutMs?: number }): Promise<RunResult>;
    cancel(database: string): Promise<boolean>;
    history(limit?: number): Promise<{ sql: string }[]>;
}

const runaway = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

describe('the SQL console against the running backend, as a hostile developer and admin', function () {
    this.timeout(120_000);
    let secured: Awaited<ReturnType<typeof startSecuredStudio>>;
    let admin: StudioRpcClient;
    let developer: StudioRpcClient;
    let adminSql: SqlRpc;
    let developerSql: SqlRpc;

    /** The audit lines of an action, as an admin reads them in the console. */
    const audited = async (action: string): Promise<string[]> => {
        const result = await adminSql.run({ database: 'workspace', sql: `SELECT user_id, target, outcome FROM audit_log WHERE action = '${action}' ORDER BY id` });
        assert.equal(result.error, undefined);
        return result.page!.rows.map(r => r.join(' '));
    };

    before(async () => {
        secured = await startSecuredStudio();
        const adminToken = await token({ role: 'admin', sub: 'ada' });
        await waitForCore(secured.studio, bearer(adminToken));
        admin = await StudioRpcClient.connect(secured.studio.url, { headers: bearer(adminToken) });
        developer = await StudioRpcClient.connect(secured.studio.url, { headers: bearer(await token({ role: 'developer', sub: 'dev' })) });
        adminSql = await admin.service<SqlRpc>(SQL_CONSOLE_PATH);
        developerSql = await developer.service<SqlRpc>(SQL_CONSOLE_PATH);
    });
    after(async () => {
        admin?.close();
        developer?.close();
        await secured?.stop();
    });

    it('refuses a developer\'s read of audit_log, sql_history and tokens, and audits each refusal', async () => {
        await adminSql.run({ database: 'workspace', sql: 'SELECT \'an admin\'\'s query\'' });
        for (const table of ['audit_log', 'sql_history', 'tokens']) {
            const result = await developerSql.run({ database: 'workspace', sql: `SELECT * FROM ${table}` });
            assert.equal(result.error?.kind, 'refused', table);
            assert.match(result.error!.message, new RegExp(`${table} is visible to admins only`));
            assert.equal(result.page, undefined);
        }
        assert.ok(!(await developerSql.history()).some(h => h.sql.includes('an admin')), 'the history API gives only the caller\'s own');
        const lines = await audited('sql.read-restricted');
        for (const expected of ['user:dev workspace: audit_log refused', 'user:dev workspace: sql_history refused', 'user:dev workspace: tokens refused']) {
            assert.ok(lines.includes(expected), `audit_log lacks "${expected}"; it has ${JSON.stringify(lines)}`);
        }
    });

    it('refuses an admin\'s DELETE FROM audit_log, audits it, and the trail keeps its rows', async () => {
        const before = (await adminSql.run({ database: 'workspace', sql: 'SELECT count(*) FROM audit_log' })).page!.rows[0][0] as number;
        assert.ok(before > 0);
        const result = await adminSql.run({ database: 'workspace', sql: 'DELETE FROM audit_log', allowWrites: true });
        assert.equal(result.error?.kind, 'refused');
        assert.equal(result.committed, false);
        assert.match(result.error!.message, /audit_log cannot be changed: it is part of the audit trail, which is append-only/);
        assert.ok((await audited('sql.write-restricted')).includes('user:ada workspace: audit_log refused'));
        const after = (await adminSql.run({ database: 'workspace', sql: 'SELECT count(*) FROM audit_log' })).page!.rows[0][0] as number;
        assert.ok(after >= before);
    });

    it('refuses an admin\'s DROP TABLE of a studio table, audits it, and the studio keeps working', async () => {
        for (const [database, table] of [['tasks', 'tasks'], ['workspace', 'sql_history'], ['agents', 'agents']]) {
            const result = await adminSql.run({ database, sql: `DROP TABLE ${table}`, allowWrites: true });
            assert.equal(result.error?.kind, 'refused', table);
            assert.match(result.error!.message, new RegExp(`table ${table} is one of the studio's own objects`));
        }
        const lines = await audited('sql.schema');
        assert.ok(lines.includes('user:ada tasks: tasks refused') && lines.includes('user:ada workspace: sql_history refused'), JSON.stringify(lines));
        const tasks = await adminSql.run({ database: 'tasks', sql: 'SELECT count(*) FROM tasks' });
        assert.equal(tasks.error, undefined);
        assert.ok((await adminSql.history()).length > 0, 'the history still works');
        const lock = await (await admin.service<{ acquire(path: string, mode: string): Promise<{ id: string }> }>(LOCKS_PATH)).acquire('src/a.ts', 'exclusive');
        assert.ok(lock.id);
    });

    it('refuses a developer\'s third query while two run, saying what to do', async () => {
        const running = [developerSql.run({ database: 'tasks', sql: runaway, timeoutMs: 30_000 }), developerSql.run({ database: 'agents', sql: runaway, timeoutMs: 30_000 })];
        try {
            await new Promise(resolve => setTimeout(resolve, 500));
            const third = await developerSql.run({ database: 'metrics', sql: 'SELECT 1' });
            assert.equal(third.error?.kind, 'busy');
            assert.match(third.error!.message, /You have 2 queries running, the most a developer may; wait for one to finish or cancel it/);
        } finally {
            await developerSql.cancel('tasks');
            await developerSql.cancel('agents');
            await Promise.all(running);
        }
        assert.equal((await developerSql.run({ database: 'metrics', sql: 'SELECT 1' })).error, undefined);
    });
});
