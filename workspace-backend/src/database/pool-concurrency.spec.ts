import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DatabaseCluster } from './database-cluster';

interface ThreadReport {
    readonly writes: number;
    readonly reads: number;
    readonly busy: number;
    readonly errors: string[];
}

/**
 * Each worker thread opens its own cluster on the same files (as a second backend process or
 * the operator CLI would) and mixes single writes, transactions and point reads as fast as it
 * can. Any SQLITE_BUSY reaching the caller is counted.
 */
const threadSource = (indexJs: string) => `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseCluster } = require(${JSON.stringify(indexJs)});
const { dataDir, thread, iterations } = workerData;
const cluster = new DatabaseCluster({ dataDir, checkAtOpen: 'header' }).open();
const report = { writes: 0, reads: 0, busy: 0, errors: [] };
const note = error => {
    if (String(error && error.code).startsWith('SQLITE_BUSY') || /database is locked/.test(String(error && error.message))) report.busy++;
    else if (report.errors.length < 5) report.errors.push(String(error && error.message));
};
const tasks = cluster.get('tasks');
const sessions = cluster.get('sessions');
try { sessions.run("INSERT OR IGNORE INTO sessions (id, started_at) VALUES ('shared', 0)"); } catch (e) { note(e); }
for (let i = 0; i < iterations; i++) {
    try {
        if (i % 3 === 0) {
            tasks.transaction(tx => {
                const id = tx.run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES (?, '{}', ?)", 'thread-' + thread, i).lastInsertRowid;
                tx.run("INSERT INTO task_results (task_id, outcome, result_json, recorded_at) VALUES (?, 'done', '{}', ?)", id, i);
            });
        } else {
            tasks.run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES (?, '{}', ?)", 'thread-' + thread, i);
        }
        sessions.run("INSERT INTO timeline_events (session_id, n, kind, data_json, at) VALUES ('shared', ?, 'tick', '{}', ?)", thread * iterations + i, i);
        report.writes += 2;
        tasks.get("SELECT count(*) AS n FROM tasks WHERE agent_id = ?", 'thread-' + thread);
        sessions.get("SELECT max(at) AS m FROM timeline_events WHERE session_id = 'shared'");
        report.reads += 2;
    } catch (e) { note(e); }
}
cluster.close().then(() => parentPort.postMessage(report));
`;

describe('database pool under concurrency', function () {
    this.timeout(120_000);
    let root: string;
    let cluster: DatabaseCluster;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'pool-concurrency-'));
        cluster = new DatabaseCluster({ dataDir: root, poolSize: 6 }).open();
    });
    afterEach(async () => {
        await cluster.close();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('worker threads with their own connections, the main thread writing and querying: no SQLITE_BUSY, every row there', async () => {
        const threads = 4;
        const iterations = 600;
        const source = threadSource(path.join(__dirname, 'index.js'));
        const reports = Array.from({ length: threads }, (_, thread) => new Promise<ThreadReport>((resolve, reject) => {
            const worker = new Worker(source, { eval: true, workerData: { dataDir: root, thread, iterations } });
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.once('exit', code => code === 0 ? undefined : reject(new Error(`thread ${thread} exited ${code}`)));
        }));

        // Meanwhile the main thread writes, yielding between writes so the threads interleave,
        // and keeps the query workers busy with reads of the same files.
        const tasks = cluster.get('tasks');
        let mainBusy = 0;
        let mainWrites = 0;
        const queries: Promise<unknown>[] = [];
        let settled = false;
        const all = Promise.all(reports).finally(() => settled = true);
        while (!settled || mainWrites < 200) {
            try {
                tasks.run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES ('main', '{}', ?)", mainWrites);
                mainWrites++;
            } catch (error) {
                if (String((error as { code?: string }).code).startsWith('SQLITE_BUSY')) {
                    mainBusy++;
                } else {
                    throw error;
                }
            }
            if (mainWrites % 25 === 0) {
                queries.push(tasks.query('SELECT agent_id, count(*) AS n FROM tasks GROUP BY agent_id'));
            }
            await new Promise(resolve => setImmediate(resolve));
        }
        const results = await all;
        const answered = await Promise.all(queries);

        assert.deepEqual(results.map(r => r.errors), results.map(() => []), 'no errors other than BUSY either');
        assert.equal(results.reduce((n, r) => n + r.busy, 0) + mainBusy, 0, 'SQLITE_BUSY never reached a caller');
        assert.ok(answered.length >= 8, `queries ran alongside (${answered.length})`);
        const perAgent = tasks.all<{ agent_id: string; n: number }>('SELECT agent_id, count(*) AS n FROM tasks GROUP BY agent_id ORDER BY agent_id');
        assert.deepEqual(perAgent, [
            { agent_id: 'main', n: mainWrites },
            ...Array.from({ length: threads }, (_, t) => ({ agent_id: `thread-${t}`, n: iterations })),
        ]);
        assert.equal(tasks.get<{ n: number }>('SELECT count(*) AS n FROM task_results')?.n, threads * iterations / 3);
        assert.equal(cluster.get('sessions').get<{ n: number }>('SELECT count(*) AS n FROM timeline_events')?.n, threads * iterations);
        assert.equal(await tasks.quickCheck(), undefined, 'the file is sound afterwards');
    });
});
