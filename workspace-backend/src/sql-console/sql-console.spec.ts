import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseCluster } from '../database/database-cluster';
import { ConsoleUser, TaggedCell } from './console-types';
import { SqlConsole, SqlConsoleSession } from './sql-console';
import { watchEventLoop } from '../common/test-support/event-loop-watch';

const admin: ConsoleUser = { id: 'user:ada', displayName: 'Ada', role: 'admin' };
const developer: ConsoleUser = { id: 'user:dev', displayName: 'Dev', role: 'developer' };
const runaway = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';
const million = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT x, \'row \' || x AS label FROM c';

describe('SqlConsole', function () {
    this.timeout(30_000);
    let root: string;
    let cluster: DatabaseCluster;
    let console: SqlConsole;
    let sessions: SqlConsoleSession[];
    const open = (user: ConsoleUser) => {
        const session = console.openSession(user);
        sessions.push(session);
        return session;
    };
    const count = () => cluster.get('tasks').get<{ n: number }>('SELECT count(*) AS n FROM console_test')!.n;

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'sql-console-'));
        cluster = new DatabaseCluster({ dataDir: root }).open();
        // A table of the spec's own, so it does not depend on the schema later issues evolve.
        cluster.get('tasks').run('CREATE TABLE console_test (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT, data BLOB, big INTEGER)');
        cluster.get('tasks').run('INSERT INTO console_test (name, note, data, big) VALUES (\'héllo wörld ✓ 日本\', NULL, x\'00ff10\', 9007199254740993)');
        console = new SqlConsole(cluster, { defaultTimeoutMs: 5000 });
        sessions = [];
    });

    afterEach(async () => {
        await Promise.all(sessions.map(s => s.dispose()));
        await cluster.close();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('runs a read: columns with declared types, unicode, NULL, blobs and big integers exactly, timing', async () => {
        const result = await open(developer).run({ database: 'tasks', sql: 'SELECT name, note, data, big, 1.5 AS half FROM console_test' });
        assert.equal(result.error, undefined);
        assert.equal(result.mode, 'read');
        assert.deepEqual(result.columns?.map(c => [c.name, c.declaredType]), [['name', 'TEXT'], ['note', 'TEXT'], ['data', 'BLOB'], ['big', 'INTEGER'], ['half', null]]);
        assert.deepEqual(result.page?.rows, [['héllo wörld ✓ 日本', null, { t: 'blob', bytes: 3, hex: '00ff10' }, { t: 'bigint', v: '9007199254740993' }, 1.5]]);
        assert.equal(result.page?.hasMore, false);
        assert.ok(result.durationMs >= 0 && result.statements[0].durationMs >= 0);
    });

    it('pages a 1,000,000-row result 500 rows at a time, reading ahead only one row', async () => {
        const session = open(developer);
        const started = performance.now();
        const result = await session.run({ database: 'tasks', sql: million });
        assert.ok(performance.now() - started < 3000, 'the first page does not wait for the whole result');
        assert.equal(result.page?.rows.length, 500);
        assert.equal(result.page?.hasMore, true);
        const second = await session.fetch(result.runId);
        assert.equal(second.offset, 500);
        assert.deepEqual(second.rows[0], [501, 'row 501']);
        const big = await session.fetch(result.runId, 5000);
        assert.equal(big.rows.length, 5000);
        await session.closeRun(result.runId);
        await assert.rejects(session.fetch(result.runId), /no more pages/);
    });

    it('runs only the statement at the cursor (or the selection) of the editor\'s text', async () => {
        const text = 'SELECT 1 AS one;\nSELECT 2 AS two;\nSELECT 3 AS three';
        const session = open(developer);
        const atCursor = await session.run({ database: 'tasks', sql: text, cursor: text.indexOf('2') });
        assert.deepEqual([atCursor.sql, atCursor.sqlOffset, atCursor.columns?.[0].name], ['SELECT 2 AS two', 17, 'two']);
        const selected = await session.run({ database: 'tasks', sql: text, cursor: 0, selection: { start: 34, end: text.length } });
        assert.equal(selected.columns?.[0].name, 'three');
    });

    it('cuts long text in the grid and gives the whole value on demand', async () => {
        const session = open(developer);
        const result = await session.run({ database: 'tasks', sql: 'SELECT printf(\'%.5000c\', \'x\') || \'END\' AS long, zeroblob(100) AS blob' });
        const [long, blob] = result.page!.rows[0] as TaggedCell[];
        assert.ok(long.t === 'text' && long.chars === 5003 && long.text.length === 1000);
        assert.ok(blob.t === 'blob' && blob.bytes === 100 && blob.hex.length === 64 && blob.ref);
        const whole = await session.cell(result.runId, long.ref);
        assert.equal(whole.length, 5003);
        assert.ok(whole.endsWith('END'));
    });

    it('reports syntax errors with the statement and its line and column', async () => {
        const result = await open(developer).run({ database: 'tasks', sql: 'SELECT 1;\nSELECT 2;\n  SELEC 3' });
        assert.equal(result.error?.kind, 'sqlite');
        assert.equal(result.error?.statementIndex, 2);
        assert.equal(result.error?.statement, 'SELEC 3');
        assert.deepEqual(result.error?.position, { offset: 22, line: 3, column: 3 });
        assert.match(result.error!.message, /statement 3: near "SELEC": syntax error/);
        const atCursor = await open(developer).run({ database: 'tasks', sql: 'SELECT 1;\nSELEC 2', cursor: 12 });
        assert.deepEqual(atCursor.error?.position, { offset: 10, line: 2, column: 1 }, 'counted in the editor\'s text');
        assert.equal(result.statements.length, 2, 'the statements before it ran');
    });

    it('stops a query that never ends at its time limit; the event loop and the console stay responsive', async () => {
        const session = open(developer);
        const loop = watchEventLoop();
        const result = await session.run({ database: 'tasks', sql: runaway, timeoutMs: 400 });
        const { ticks, longestGapMs, elapsedMs } = loop.stop();
        assert.equal(result.error?.kind, 'timeout');
        assert.match(result.error!.message, /Stopped after 400 ms.*nothing of it is left running/);
        // Stopped at its own limit, not the console's default of 5 s (the runaway alone never ends);
        // the margin above 400 ms is for a loaded machine's slow kill and answer.
        assert.ok(elapsedMs >= 390 && elapsedMs < 5000, `stopped at the limit (${Math.round(elapsedMs)} ms)`);
        // Run on the main thread, the query would have blocked the loop for all of its 400 ms.
        assert.ok(ticks >= 3 && longestGapMs < 400, `the event loop ran meanwhile (${ticks} ticks, longest gap ${Math.round(longestGapMs)} ms)`);
        const next = await session.run({ database: 'tasks', sql: 'SELECT count(*) AS n FROM console_test' });
        assert.deepEqual(next.page?.rows, [[1]]);
    });

    it('cancels a running query', async () => {
        const session = open(developer);
        const running = session.run({ database: 'tasks', sql: runaway, timeoutMs: 20_000 });
        await new Promise(resolve => setTimeout(resolve, 200));
        assert.equal(session.cancel('tasks'), true);
        const result = await running;
        assert.equal(result.error?.kind, 'cancelled');
        assert.equal(session.cancel('tasks'), false, 'nothing left to cancel');
    });

    it('refuses a write without the admin role, with or without "allow writes"; SQLite refuses it on the read-only connection', async () => {
        const session = open(developer);
        let result = await session.run({ database: 'tasks', sql: 'DELETE FROM console_test', allowWrites: true });
        assert.equal(result.error?.kind, 'forbidden');
        assert.match(result.error!.message, /Writes are for admins, and your role is developer: nothing was run/);
        result = await session.run({ database: 'tasks', sql: 'DELETE FROM console_test' });
        assert.equal(result.error?.kind, 'forbidden');
        assert.match(result.error!.message, /^Refused: This statement writes to the database, and this run is read-only, so nothing was run\. Your role \(developer\) may only read/);
        assert.equal(result.error?.code?.startsWith('SQLITE_READONLY'), true, 'SQLite itself refused it');
        result = await session.run({ database: 'tasks', sql: 'CREATE TABLE x (a)' });
        assert.equal(result.error?.kind, 'forbidden');
        assert.equal(count(), 1);
        const adminRead = await open(admin).run({ database: 'tasks', sql: 'DELETE FROM console_test' });
        assert.match(adminRead.error!.message, /Turn on "Allow writes"/);
    });

    it('runs an admin\'s write in one transaction and audits it with who ran it', async () => {
        const result = await open(admin).run({ database: 'tasks', sql: 'INSERT INTO console_test (name) VALUES (\'a\'), (\'b\'); UPDATE console_test SET note = \'n\'', allowWrites: true });
        assert.equal(result.error, undefined);
        assert.equal(result.committed, true);
        assert.deepEqual(result.statements.map(s => [s.kind, s.rowsAffected]), [['change', 2], ['change', 3]]);
        assert.equal(count(), 3);
        const audit = cluster.get('workspace').all<{ user_id: string; user_name: string; database: string; outcome: string; rows_affected: number }>('SELECT * FROM sql_write_audit');
        assert.deepEqual(audit.map(a => [a.user_id, a.user_name, a.database, a.outcome, a.rows_affected]), [['user:ada', 'Ada', 'tasks', 'committed', 5]]);
    });

    it('leaves nothing behind when a statement in the middle of a write script fails, and audits the rollback', async () => {
        const result = await open(admin).run({
            database: 'tasks', allowWrites: true,
            sql: 'INSERT INTO console_test (name) VALUES (\'first\');\nINSERT INTO console_test (name) VALUES (NULL);\nINSERT INTO console_test (name) VALUES (\'third\')',
        });
        assert.equal(result.committed, false);
        assert.equal(result.error?.statementIndex, 1);
        assert.match(result.error!.message, /NOT NULL constraint failed: console_test\.name.*The transaction was rolled back: nothing this script did was written/);
        assert.equal(count(), 1);
        const [audit] = cluster.get('workspace').all<{ outcome: string; error: string }>('SELECT * FROM sql_write_audit');
        assert.equal(audit.outcome, 'rolled back (sqlite)');
    });

    it('rolls back a write stopped by its time limit', async () => {
        const result = await open(admin).run({
            database: 'tasks', allowWrites: true, timeoutMs: 500,
            sql: `INSERT INTO console_test (name) VALUES ('doomed'); ${runaway}`,
        });
        assert.equal(result.error?.kind, 'timeout');
        assert.equal(result.committed, false);
        assert.equal(count(), 1);
        // The killed worker's write lock is gone: the cluster's own writer can write.
        cluster.get('tasks').run('INSERT INTO console_test (name) VALUES (\'after\')');
        assert.equal(count(), 2);
    });

    it('stops a long write at the console\'s write limit, below the studio writers\' busy timeout: the studio\'s own write waits, then succeeds', async () => {
        const limited = new SqlConsole(cluster, { defaultTimeoutMs: 60_000, writeLimitMs: 600 });
        const session = limited.openSession(admin);
        sessions.push(session);
        const longWrite = session.run({ database: 'tasks', allowWrites: true, sql: `INSERT INTO console_test (name) VALUES ('long'); ${runaway}` });
        // Wait until the console's worker holds the write lock (a probe connection cannot take it).
        const tasks = cluster.get('tasks');
        const probe = new Database(tasks.file, { timeout: 0 });
        try {
            for (; ;) {
                try {
                    probe.exec('BEGIN IMMEDIATE');
                    probe.exec('ROLLBACK');
                    await new Promise(resolve => setTimeout(resolve, 20));
                } catch {
                    break;
                }
            }
        } finally {
            probe.close();
        }
        // The studio's writer now waits for the lock on this very thread, so no timer of ours can
        // stop the console's worker: its own deadline must, within the writer's busy timeout.
        tasks.run('INSERT INTO console_test (name) VALUES (\'studio\')');
        const result = await longWrite;
        assert.equal(result.error?.kind, 'timeout');
        assert.match(result.error?.message ?? '', /Stopped after 600 ms, the limit of a console write: while it runs it holds the database's write lock/);
        assert.equal(result.committed, false);
        assert.equal(count(), 2, 'the studio\'s row, and not the console\'s');
        assert.equal(cluster.get('tasks').busyErrors.count, 0);
    });

    it('refuses writes to a database a running part owns, saying what to use; reading it works', async () => {
        const owned = new SqlConsole(cluster, { ownedDatabases: { locks: 'the lock manager (use Force Release)' } });
        const session = owned.openSession(admin);
        sessions.push(session);
        const refused = await session.run({ database: 'locks', allowWrites: true, sql: 'DELETE FROM locks' });
        assert.equal(refused.error?.kind, 'forbidden');
        assert.match(refused.error?.message ?? '', /Nothing was run: the locks database is written only by the lock manager \(use Force Release\) while the studio runs/);
        const read = await session.run({ database: 'locks', sql: 'SELECT count(*) AS n FROM locks' });
        assert.equal(read.error, undefined);
    });

    it('refuses ATTACH, load_extension, VACUUM INTO and safety pragmas end to end, and keeps working after', async () => {
        const session = open(admin);
        for (const [sql, allowWrites] of [
            ['/*x*/ATTACH \'../elsewhere.db\' AS e', false], ['attach \'x.db\' as x', true], ['SELECT load_extension(\'x\')', false],
            [`VACUUM INTO '${path.join(root, 'copy.db')}'`, true], ['PRAGMA main.journal_mode=DELETE', true], ['PRAGMA synchronous=OFF', false], ['PRAGMA foreign_keys=OFF', false],
        ] as const) {
            const result = await session.run({ database: 'tasks', sql, allowWrites });
            assert.equal(result.error?.kind, 'refused', sql);
            assert.match(result.error!.message, /^Refused by the SQL console: /);
        }
        assert.equal(fs.existsSync(path.join(root, 'copy.db')), false);
        const after = await session.run({ database: 'tasks', sql: 'PRAGMA foreign_keys' });
        assert.deepEqual(after.page?.rows, [[1]], 'a fresh read connection (better-sqlite3 defaults foreign keys on), not the one the refused pragma turned off');
        const writeAfter = await session.run({ database: 'tasks', sql: 'PRAGMA foreign_keys', allowWrites: true });
        assert.deepEqual(writeAfter.page?.rows, [[1]]);
    });

    it('keeps a persisted history per user', async () => {
        await open(developer).run({ database: 'tasks', sql: 'SELECT 1' });
        await open(developer).run({ database: 'locks', sql: 'SELEC' });
        await open(admin).run({ database: 'tasks', sql: 'SELECT 2' });
        const mine = console.history(developer);
        assert.deepEqual(mine.map(h => [h.database, h.sql, h.outcome]), [['locks', 'SELEC', 'sqlite'], ['tasks', 'SELECT 1', 'ok']]);
        assert.deepEqual(console.history(admin).map(h => h.sql), ['SELECT 2']);
    });

    it('explains a query plan without running it', async () => {
        const result = await open(developer).run({ database: 'tasks', sql: 'DELETE FROM console_test WHERE id = 1', explainPlan: true });
        assert.equal(result.error, undefined);
        assert.deepEqual(result.columns?.map(c => c.name), ['id', 'parent', 'notused', 'detail']);
        assert.match(String(result.page?.rows[0][3]), /SEARCH console_test USING INTEGER PRIMARY KEY/);
        assert.equal(count(), 1);
    });

    it('names the six databases for an unknown one, and describes them', async () => {
        const result = await open(developer).run({ database: 'nope', sql: 'SELECT 1' });
        assert.equal(result.error?.kind, 'unavailable');
        assert.match(result.error!.message, /There is no database "nope"; the studio's databases are workspace, agents, tasks, locks, sessions, metrics/);
        assert.deepEqual(console.databases().map(d => [d.name, d.open]), [['workspace', true], ['agents', true], ['tasks', true], ['locks', true], ['sessions', true], ['metrics', true]]);
        const table = console.schema('tasks').find(t => t.name === 'console_test')!;
        assert.deepEqual(table.columns.map(c => [c.name, c.type, c.primaryKey]), [['id', 'INTEGER', true], ['name', 'TEXT', false], ['note', 'TEXT', false], ['data', 'BLOB', false], ['big', 'INTEGER', false]]);
    });

    it('exports a result as CSV and JSON, a page at a time, with whole values', async () => {
        cluster.get('tasks').transaction(tx => {
            for (let i = 0; i < 4999; i++) {
                tx.run('INSERT INTO console_test (name, note) VALUES (?, ?)', `n${i}`, i === 0 ? 'has "quotes", commas\nand a newline' : null);
            }
        });
        const chunks: string[] = [];
        const rows = await console.export(developer, { database: 'tasks', sql: 'SELECT id, name, note, data, big FROM console_test ORDER BY id' }, 'csv', async c => {
            chunks.push(c);
        });
        assert.equal(rows, 5000);
        assert.ok(chunks.length >= 4, 'written in several chunks');
        const csv = chunks.join('');
        assert.ok(csv.startsWith('id,name,note,data,big\r\n1,héllo wörld ✓ 日本,,00ff10,9007199254740993\r\n2,n0,"has ""quotes"", commas\nand a newline",,\r\n'));
        let json = '';
        await console.export(developer, { database: 'tasks', sql: 'SELECT id, big FROM console_test ORDER BY id LIMIT 2' }, 'json', async c => {
            json += c;
        });
        assert.equal(json, '[\n{"id":1,"big":9007199254740993},\n{"id":2,"big":null}\n]\n');
        await assert.rejects(console.export(developer, { database: 'tasks', sql: 'DELETE FROM console_test' }, 'csv', async () => undefined), /writes to the database/);
        assert.equal(count(), 5000);
    });

    describe('tried as a hostile developer and admin would', () => {
        const auditRows = (action: string) => cluster.get('workspace').all<{ user_id: string; action: string; target: string; outcome: string; detail: string }>(
            'SELECT user_id, action, target, outcome, detail FROM audit_log WHERE action = ? ORDER BY id', action);

        it('refuses a developer\'s read of the audit trail and credentials, saying why, and audits each refusal', async () => {
            await open(admin).run({ database: 'workspace', sql: 'SELECT 1' });
            const session = open(developer);
            for (const table of ['audit_log', 'sql_write_audit', 'sql_history', 'tokens', 'web_sessions']) {
                const result = await session.run({ database: 'workspace', sql: `SELECT * FROM ${table}` });
                assert.equal(result.error?.kind, 'refused', table);
                assert.match(result.error!.message, new RegExp(`^Refused by the SQL console: ${table} is visible to admins only`));
                assert.equal(result.page, undefined);
            }
            const exported = console.export(developer, { database: 'workspace', sql: 'SELECT sql FROM sql_history' }, 'csv', async () => undefined);
            await assert.rejects(exported, /sql_history is visible to admins only.*Your own are in the console's History/);
            const refused = auditRows('sql.read-restricted');
            assert.deepEqual(refused.map(r => [r.user_id, r.target, r.outcome]), [
                ['user:dev', 'workspace: audit_log', 'refused'], ['user:dev', 'workspace: sql_write_audit', 'refused'], ['user:dev', 'workspace: sql_history', 'refused'],
                ['user:dev', 'workspace: tokens', 'refused'], ['user:dev', 'workspace: web_sessions', 'refused'], ['user:dev', 'workspace: sql_history', 'refused'],
            ]);
            assert.match(refused[0].detail, /Dev \(developer\) may not read the audit trail or credentials/);
            assert.deepEqual(console.history(developer).map(h => h.sql).includes('SELECT 1'), false, 'the history API gives only the caller\'s own queries');
        });

        it('lets an admin read them, and audits the read', async () => {
            const result = await open(admin).run({ database: 'workspace', sql: 'SELECT count(*) FROM sql_history' });
            assert.equal(result.error, undefined);
            assert.deepEqual(auditRows('sql.read-restricted').map(r => [r.user_id, r.target, r.outcome, r.detail]), [['user:ada', 'workspace: sql_history', 'allowed', 'SELECT count(*) FROM sql_history']]);
        });

        it('refuses an admin\'s change to the audit trail, rolls it back, audits it, and the trail is whole', async () => {
            const session = open(admin);
            await session.run({ database: 'tasks', sql: 'INSERT INTO console_test (name) VALUES (\'x\')', allowWrites: true });
            for (const sql of ['DELETE FROM audit_log', 'UPDATE sql_write_audit SET sql = \'nothing\'', 'DELETE FROM tokens', 'DELETE FROM web_sessions']) {
                const result = await session.run({ database: 'workspace', sql, allowWrites: true });
                assert.equal(result.error?.kind, 'refused', sql);
                assert.equal(result.committed, false);
                assert.match(result.error!.message, /cannot be changed.*The transaction was rolled back/, sql);
            }
            const refused = auditRows('sql.write-restricted');
            assert.deepEqual(refused.map(r => [r.target, r.outcome]), [
                ['workspace: audit_log', 'refused'], ['workspace: sql_write_audit', 'refused'], ['workspace: tokens', 'refused'], ['workspace: web_sessions', 'refused'],
            ]);
            assert.match(refused[0].detail, /Ada \(admin\) may not change the audit trail or credentials .*only the studio itself may/);
            assert.deepEqual(cluster.get('workspace').all<{ sql: string }>('SELECT sql FROM sql_write_audit ORDER BY id').map(r => r.sql)[0], 'INSERT INTO console_test (name) VALUES (\'x\')');
        });

        it('refuses an admin\'s DROP or ALTER of a studio table, audits it, and the studio still works', async () => {
            const session = open(admin);
            const drop = await session.run({ database: 'tasks', sql: 'DROP TABLE tasks', allowWrites: true });
            assert.equal(drop.error?.kind, 'refused');
            assert.match(drop.error!.message, /table tasks is one of the studio's own objects, and dropping it would break the studio.*Create and change tables of your own instead/);
            const alter = await session.run({ database: 'tasks', sql: 'CREATE TABLE mine (a); ALTER TABLE task_results ADD COLUMN x TEXT', allowWrites: true });
            assert.match(alter.error!.message, /table task_results is one of the studio's own objects, and altering it.*rolled back/);
            assert.deepEqual(auditRows('sql.schema').map(r => [r.user_id, r.target, r.outcome]), [['user:ada', 'tasks: tasks', 'refused'], ['user:ada', 'tasks: task_results', 'refused']]);
            const tasks = cluster.get('tasks');
            assert.equal(tasks.get<{ n: number }>('SELECT count(*) AS n FROM sqlite_schema WHERE name = \'mine\'')!.n, 0, 'the whole script was rolled back');
            assert.equal(tasks.get<{ n: number }>('SELECT count(*) AS n FROM tasks')!.n, 0, 'the studio\'s table is there');
            const own = await session.run({ database: 'tasks', sql: 'CREATE TABLE mine (a); INSERT INTO mine VALUES (1); DROP TABLE mine', allowWrites: true });
            assert.equal(own.committed, true, 'an admin\'s own tables are theirs');
        });

        it('runs at most two of a developer\'s queries at once, across connections, and refuses a third with what to do', async () => {
            const [one, two, three] = [open(developer), open(developer), open(developer)];
            const running = [one.run({ database: 'tasks', sql: runaway, timeoutMs: 20_000 }), two.run({ database: 'agents', sql: runaway, timeoutMs: 20_000 })];
            await new Promise(resolve => setTimeout(resolve, 200));
            const third = await three.run({ database: 'metrics', sql: 'SELECT 1' });
            assert.equal(third.error?.kind, 'busy');
            assert.equal(third.error?.message, 'You have 2 queries running, the most a developer may; wait for one to finish or cancel it. Nothing was run.');
            const adminMeanwhile = await open(admin).run({ database: 'metrics', sql: 'SELECT 1' });
            assert.equal(adminMeanwhile.error, undefined, 'the limit is per person');
            one.cancel('tasks');
            two.cancel('agents');
            await Promise.all(running);
            const after = await three.run({ database: 'metrics', sql: 'SELECT 1' });
            assert.equal(after.error, undefined, 'slots are given back when queries end');
        });

        it('caps the workspace\'s running queries, and lowers a time limit above the role\'s most', async () => {
            const capped = new SqlConsole(cluster, { limits: { developer: { maxRunning: 2, maxTimeoutMs: 300 }, admin: { maxRunning: 4, maxTimeoutMs: 600_000 }, workspaceMaxRunning: 1 } });
            const first = capped.openSession(admin);
            const second = capped.openSession(developer);
            sessions.push(first, second);
            const running = first.run({ database: 'tasks', sql: runaway, timeoutMs: 20_000 });
            await new Promise(resolve => setTimeout(resolve, 200));
            const refused = await second.run({ database: 'tasks', sql: 'SELECT 1' });
            assert.match(refused.error?.message ?? '', /^1 console queries are running in this workspace, the most it runs at once/);
            first.cancel('tasks');
            await running;
            const started = performance.now();
            const clamped = await second.run({ database: 'tasks', sql: runaway, timeoutMs: 600_000 });
            assert.equal(clamped.error?.kind, 'timeout');
            assert.match(clamped.error!.message, /^Stopped after 300 ms, the longest a developer's query may run/);
            assert.ok(performance.now() - started < 5000);
        });
    });
});
