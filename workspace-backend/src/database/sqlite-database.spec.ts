import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CheckpointOwner } from './checkpointer';
import { DatabaseCluster } from './database-cluster';
import { QueryError, QueryTimeoutError } from './database-errors';
import { SettingsRepository } from './repositories/settings-repository';
import { SqliteDatabase } from './sqlite-database';
import { EventLoopReport, watchEventLoop } from '../common/test-support/event-loop-watch';

const runaway = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM c';

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

describe('SqliteDatabase', () => {
    let root: string;
    let cluster: DatabaseCluster;
    let tasks: SqliteDatabase;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-db-'));
        cluster = new DatabaseCluster({ dataDir: root, poolSize: 4, checkpointer: { intervalMs: 3_600_000 } }).open();
        tasks = cluster.get('tasks');
    });
    afterEach(async () => {
        await cluster.close();
        fs.rmSync(root, { recursive: true, force: true });
    });

    const enqueue = (db: SqliteDatabase, agent: string, priority = 0) =>
        db.run('INSERT INTO tasks (agent_id, priority, payload_json, enqueued_at) VALUES (?, ?, ?, ?)', agent, priority, '{}', Date.now());

    describe('writes and point reads', () => {
        it('commits through the writer and reads through the reader', () => {
            enqueue(tasks, 'a', 1);
            enqueue(tasks, 'a', 5);
            const next = tasks.get<{ priority: number }>("SELECT priority FROM tasks WHERE agent_id = 'a' AND status = 'queued' ORDER BY priority DESC, id LIMIT 1");
            assert.equal(next?.priority, 5);
            assert.equal(tasks.all('SELECT id FROM tasks').length, 2);
        });

        it('rolls a whole transaction back when its function throws, and sees its own writes inside', () => {
            assert.throws(() => tasks.transaction(tx => {
                enqueue(tasks, 'b');
                assert.equal(tx.get<{ n: number }>('SELECT count(*) AS n FROM tasks')?.n, 1);
                throw new Error('changed my mind');
            }), /changed my mind/);
            assert.equal(tasks.get<{ n: number }>('SELECT count(*) AS n FROM tasks')?.n, 0);
        });

        it('enforces foreign keys', () => {
            assert.throws(() => tasks.run("INSERT INTO task_results (task_id, outcome, result_json, recorded_at) VALUES (999, 'ok', '{}', 0)"), /FOREIGN KEY constraint failed/);
        });

        it('settings repository: typed values in, typed values out, all-or-nothing batches', () => {
            const settings = new SettingsRepository(cluster.get('workspace'), () => 42);
            settings.set('editor', { fontSize: 14, rulers: [80, 120] });
            settings.setAll({ theme: 'dark', telemetry: false });
            assert.deepEqual(settings.get('editor'), { fontSize: 14, rulers: [80, 120] });
            assert.deepEqual(Object.keys(settings.all()), ['editor', 'telemetry', 'theme']);
            assert.equal(settings.delete('theme'), true);
            assert.equal(settings.get('theme'), undefined);
            assert.throws(() => new SettingsRepository(tasks), /needs the workspace database, not the tasks database/);
        });
    });

    describe('queries off the main thread', () => {
        it('answers read queries from a worker process, with named or positional values, and caps rows', async () => {
            for (let i = 0; i < 30; i++) {
                enqueue(tasks, i % 2 ? 'odd' : 'even', i);
            }
            const result = await tasks.query('SELECT agent_id, count(*) AS n FROM tasks WHERE priority >= ? GROUP BY agent_id ORDER BY agent_id', [10]);
            assert.deepEqual(result, { columns: ['agent_id', 'n'], rows: [{ agent_id: 'even', n: 10 }, { agent_id: 'odd', n: 10 }], truncated: false });
            const named = await tasks.query('SELECT count(*) AS n FROM tasks WHERE agent_id = @agent', [{ agent: 'odd' }]);
            assert.deepEqual(named.rows, [{ n: 15 }]);
            const capped = await tasks.query('SELECT id FROM tasks', [], { maxRows: 7 });
            assert.equal(capped.rows.length, 7);
            assert.equal(capped.truncated, true);
        });

        it('refuses writes and reports bad SQL as a QueryError naming the database', async () => {
            await assert.rejects(tasks.query("DELETE FROM tasks"), (error: unknown) => {
                assert.ok(error instanceof QueryError);
                assert.match(error.message, /^The query on tasks\.db failed: only statements that return rows/);
                return true;
            });
            await assert.rejects(tasks.query("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES ('x', '{}', 0) RETURNING id"), /readonly|read-only/i);
            await assert.rejects(tasks.query('SELECT * FROM no_such_table'), /The query on tasks\.db failed: no such table: no_such_table/);
        });

        it('stops a runaway query at its time limit, by killing its worker, while the event loop keeps ticking', async () => {
            const first = await tasks.query('SELECT 1 AS one');
            assert.deepEqual(first.rows, [{ one: 1 }]);
            const pool = (tasks as unknown as { queries: { workers: Set<{ child: { pid: number } }> } }).queries;
            const pid = [...pool.workers][0].child.pid;

            const loop = watchEventLoop();
            let report: EventLoopReport;
            try {
                await assert.rejects(tasks.query(runaway, [], { timeoutMs: 400 }), (error: unknown) => {
                    assert.ok(error instanceof QueryTimeoutError);
                    assert.equal(error.message, 'The query on tasks.db ran longer than 400 ms and was stopped; narrow it (a WHERE clause, a LIMIT) or raise the time limit.');
                    return true;
                });
            } finally {
                report = loop.stop();
            }
            const { ticks, longestGapMs, elapsedMs } = report;
            // It ran to its limit, and was stopped then: the runaway query alone never ends (the
            // upper bound is only "seconds, not never"; a loaded machine is slow to kill and answer).
            assert.ok(elapsedMs >= 390 && elapsedMs < 10_000, `stopped at the limit (${Math.round(elapsedMs)} ms)`);
            // On the main thread the query would have blocked the loop for all of its 400 ms.
            assert.ok(ticks >= 3 && longestGapMs < 400,
                `the main thread stayed responsive (${ticks} ticks of 10 ms in ${Math.round(elapsedMs)} ms, longest gap ${Math.round(longestGapMs)} ms)`);
            for (let i = 0; i < 50 && isAlive(pid); i++) {
                await new Promise(resolve => setTimeout(resolve, 20));
            }
            assert.equal(isAlive(pid), false, 'the worker process running it is gone');
            assert.deepEqual((await tasks.query('SELECT 2 AS two')).rows, [{ two: 2 }], 'a new worker serves the next query');
            enqueue(tasks, 'after');
            assert.equal(tasks.checkpoint('TRUNCATE').busy, false, 'no read snapshot left behind to block checkpoints');
        });

        it('queues queries beyond its workers and answers them all', async () => {
            enqueue(tasks, 'q');
            const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => tasks.query('SELECT ? AS i, count(*) AS n FROM tasks', [i])));
            assert.deepEqual(answers.map(a => a.rows[0]), Array.from({ length: 12 }, (_, i) => ({ i, n: 1 })));
            const pool = (tasks as unknown as { queries: { size: number } }).queries;
            assert.ok(pool.size <= 2, `poolSize 4 = writer + reader + 2 workers (${pool.size})`);
        });

        it('counts queued time against the limit', async () => {
            const slow = [tasks.query(runaway, [], { timeoutMs: 600 }), tasks.query(runaway, [], { timeoutMs: 600 })];
            const queued = tasks.query('SELECT 1', [], { timeoutMs: 200 });
            await assert.rejects(queued, QueryTimeoutError);
            await Promise.all(slow.map(q => assert.rejects(q, QueryTimeoutError)));
        });

        it('runs quick_check in a worker', async () => {
            assert.equal(await tasks.quickCheck(), undefined);
        });
    });

    describe('checkpoints', () => {
        it('no commit checkpoints by itself; the checkpointer does, past its threshold, and health shows when', async () => {
            for (let i = 0; i < 200; i++) {
                enqueue(tasks, 'c', i);
            }
            assert.ok(tasks.walPages() >= 200, `frames accumulate (${tasks.walPages()})`);
            assert.equal((await cluster.health()).find(c => c.id === 'db:tasks')?.metrics?.lastCheckpointAt, null);

            const checkpointer = cluster.checkpointing as unknown as { tick(): void; options: { passivePages?: number } };
            checkpointer.options.passivePages = 100;
            checkpointer.tick();
            assert.equal(tasks.walPages(), 0);
            assert.equal(tasks.lastCheckpoint?.mode, 'PASSIVE');
            const health = (await cluster.health()).find(c => c.id === 'db:tasks')!;
            assert.equal(health.metrics?.lastCheckpointAt, tasks.lastCheckpoint?.at.toISOString());
            assert.equal(health.metrics?.checkpointOwner, 'checkpointer');
        });

        it('hands checkpointing over to another owner (replication) with every open database', () => {
            const managed: string[] = [];
            const owner: CheckpointOwner = { id: 'replication', manage: d => managed.push(d.name), release: () => undefined, dispose: () => undefined };
            cluster.handOverCheckpointing(owner);
            assert.deepEqual(managed, ['workspace', 'agents', 'tasks', 'locks', 'sessions', 'metrics']);
            assert.equal(cluster.checkpointing, owner);
        });
    });
});
