import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DatabaseCluster } from '../database-cluster';

/** What one run of the pool workload saw. */
export interface PoolWorkloadReport {
    /** SQLITE_BUSY (or "database is locked") that reached any caller: must be 0. */
    readonly busy: number;
    /** Anything else that failed unexpectedly, first few. */
    readonly errors: string[];
    readonly writesPerCaller: number;
    readonly queriesAnswered: number;
    /** Point reads the reader threads made while the writes went on. */
    readonly threadReads: number;
    /** How each reader thread's attempts to write were refused (error names), which must not be BUSY. */
    readonly threadRefusals: string[];
    /** Rows found afterwards, per caller and in total. */
    readonly tasksPerCaller: Record<string, number>;
    readonly taskResults: number;
    readonly timelineEvents: number;
    readonly quickCheck: string | undefined;
}

export interface PoolWorkloadOptions {
    /** Concurrent callers in the writer's process (the backend's RPC and HTTP handlers). */
    readonly callers?: number;
    readonly iterations?: number;
    /** Threads with clusters of their own on the same files (the operator CLI, a second process). */
    readonly readerThreads?: number;
}

const isBusy = (error: unknown) =>
    String((error as { code?: unknown })?.code).startsWith('SQLITE_BUSY') || /database is locked/.test(String((error as Error)?.message));

/**
 * A reader thread: tries to become a second writer (refused at open, naming the holder), tries a
 * write through a read-only cluster (refused), then makes point reads on the live files until
 * told to stop. Every refusal is reported by its error name; a BUSY anywhere is counted.
 */
const readerSource = (indexJs: string) => `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseCluster } = require(${JSON.stringify(indexJs)});
const { dataDir, stop } = workerData;
const flag = new Int32Array(stop);
const report = { reads: 0, busy: 0, errors: [], refusals: [] };
const isBusy = e => String(e && e.code).startsWith('SQLITE_BUSY') || /database is locked/.test(String(e && e.message));
const note = e => { if (isBusy(e)) report.busy++; else if (report.errors.length < 5) report.errors.push(String(e && e.message)); };
(async () => {
    const rival = new DatabaseCluster({ dataDir, checkAtOpen: 'header', poolSize: 3 }).open();
    try { rival.get('tasks'); report.errors.push('a second writer cluster opened tasks.db'); } catch (e) { if (isBusy(e)) report.busy++; else report.refusals.push(e.name); }
    await rival.close();
    const cluster = new DatabaseCluster({ dataDir, access: 'read', poolSize: 3 }).open();
    const tasks = cluster.get('tasks');
    const sessions = cluster.get('sessions');
    try { tasks.run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES ('reader', '{}', 0)"); report.errors.push('a read-only cluster wrote'); } catch (e) { if (isBusy(e)) report.busy++; else report.refusals.push(e.name); }
    parentPort.postMessage({ kind: 'reading' });
    while (Atomics.load(flag, 0) === 0) {
        try {
            tasks.get('SELECT count(*) AS n FROM tasks WHERE agent_id = ?', 'caller-0');
            sessions.get("SELECT max(at) AS m FROM timeline_events WHERE session_id = 'shared'");
            report.reads += 2;
        } catch (e) { note(e); }
        // A breath every 50 reads: four spinning readers would starve the writer's thread of CPU on a 2-core machine.
        if (report.reads % 100 === 0) Atomics.wait(flag, 0, 0, 1);
    }
    await cluster.close();
    parentPort.postMessage({ kind: 'report', report });
})().catch(e => { report.errors.push(String(e && e.stack)); parentPort.postMessage({ kind: 'report', report }); });
`;

/**
 * The concurrency the studio promises: many callers writing and reading one cluster at once
 * (single writes, transactions, point reads, ad-hoc queries in worker processes), while other
 * threads hold clusters of their own on the same files. By design no SQLITE_BUSY reaches any of
 * them: the callers share the one writer, the others are readers or are refused at open.
 */
export async function runPoolWorkload(dataDir: string, options: PoolWorkloadOptions = {}): Promise<PoolWorkloadReport> {
    const callers = options.callers ?? 10;
    const iterations = options.iterations ?? 300;
    const readerThreads = options.readerThreads ?? 4;
    const cluster = new DatabaseCluster({ dataDir, poolSize: 6, writerRole: 'the pool workload' }).open();
    const errors: string[] = [];
    let busy = 0;
    const note = (error: unknown) => {
        if (isBusy(error)) {
            busy++;
        } else if (errors.length < 5) {
            errors.push(String((error as Error)?.stack ?? error));
        }
    };
    try {
        const tasks = cluster.get('tasks');
        const sessions = cluster.get('sessions');
        sessions.run("INSERT OR IGNORE INTO sessions (id, started_at) VALUES ('shared', 0)");

        const stop = new SharedArrayBuffer(4);
        type ReaderReport = { reads: number; busy: number; errors: string[]; refusals: string[] };
        const started: Promise<void>[] = [];
        const readers = Array.from({ length: readerThreads }, () => new Promise<ReaderReport>((resolve, reject) => {
            const worker = new Worker(readerSource(path.join(__dirname, '..', 'index.js')), { eval: true, workerData: { dataDir, stop } });
            started.push(new Promise(reading => worker.on('message', (message: { kind: 'reading' } | { kind: 'report'; report: ReaderReport }) => {
                if (message.kind === 'report') {
                    resolve(message.report);
                }
                reading();
            })));
            worker.once('error', reject);
            worker.once('exit', code => code === 0 ? undefined : reject(new Error(`reader thread exited ${code}`)));
        }));
        // The callers start once every reader is reading, so reads and writes really overlap.
        await Promise.race([Promise.all(started), Promise.all(readers)]);

        const queries: Promise<unknown>[] = [];
        const caller = async (c: number) => {
            for (let i = 0; i < iterations; i++) {
                try {
                    if (i % 3 === 0) {
                        tasks.transaction(tx => {
                            const id = tx.run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES (?, '{}', ?)", `caller-${c}`, i).lastInsertRowid;
                            tx.run("INSERT INTO task_results (task_id, outcome, result_json, recorded_at) VALUES (?, 'done', '{}', ?)", id, i);
                        });
                    } else {
                        tasks.run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES (?, '{}', ?)", `caller-${c}`, i);
                    }
                    sessions.run("INSERT INTO timeline_events (session_id, n, kind, data_json, at) VALUES ('shared', ?, 'tick', '{}', ?)", c * iterations + i, i);
                    tasks.get('SELECT count(*) AS n FROM tasks WHERE agent_id = ?', `caller-${c}`);
                    if (i % 50 === 0) {
                        queries.push(tasks.query('SELECT agent_id, count(*) AS n FROM tasks GROUP BY agent_id').catch(note));
                    }
                } catch (error) {
                    note(error);
                }
                await new Promise(resolve => setImmediate(resolve));
            }
        };
        await Promise.all(Array.from({ length: callers }, (_, c) => caller(c)));
        const answered = (await Promise.all(queries)).filter(q => q !== undefined).length;
        Atomics.store(new Int32Array(stop), 0, 1);
        const threads = await Promise.all(readers);
        for (const thread of threads) {
            busy += thread.busy;
            errors.push(...thread.errors);
        }

        const perCaller = Object.fromEntries(tasks.all<{ agent_id: string; n: number }>('SELECT agent_id, count(*) AS n FROM tasks GROUP BY agent_id ORDER BY agent_id').map(r => [r.agent_id, r.n]));
        return {
            busy, errors, writesPerCaller: iterations, queriesAnswered: answered,
            threadReads: threads.reduce((n, t) => n + t.reads, 0),
            threadRefusals: threads.flatMap(t => t.refusals),
            tasksPerCaller: perCaller,
            taskResults: tasks.get<{ n: number }>('SELECT count(*) AS n FROM task_results')!.n,
            timelineEvents: sessions.get<{ n: number }>('SELECT count(*) AS n FROM timeline_events')!.n,
            quickCheck: await tasks.quickCheck(),
        };
    } finally {
        await cluster.close();
    }
}

/** What every run of the pool workload must show, whatever the machine's load. */
export function assertPoolWorkloadSound(report: PoolWorkloadReport, callers: number): void {
    assert.deepEqual(report.errors, [], 'no errors other than BUSY either');
    assert.equal(report.busy, 0, 'SQLITE_BUSY never reached a caller');
    assert.deepEqual(report.tasksPerCaller, Object.fromEntries(Array.from({ length: callers }, (_, c) => [`caller-${c}`, report.writesPerCaller])), 'every acknowledged task row is there');
    assert.equal(report.taskResults, callers * Math.ceil(report.writesPerCaller / 3), 'every transaction committed whole');
    assert.equal(report.timelineEvents, callers * report.writesPerCaller);
    assert.ok(report.queriesAnswered >= callers, `ad-hoc queries ran alongside (${report.queriesAnswered})`);
    assert.ok(report.threadReads > 0, 'the reader threads read while the writes went on');
    // Each reader thread: a second writer is refused at open, a write through a read-only cluster is refused.
    assert.deepEqual([...new Set(report.threadRefusals)].sort(), ['ReadOnlyDatabaseError', 'WriterClaimedError']);
    assert.equal(report.quickCheck, undefined, 'the file is sound afterwards');
}
