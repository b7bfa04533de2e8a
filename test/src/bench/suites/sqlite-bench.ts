import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DatabaseCluster, DatabaseName, DatabaseSpecs, SqliteDatabase } from '@coditect/workspace-backend';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { percentile, round } from '../bench-stats';

const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const writesPerRound = Number(process.env.BENCH_SQLITE_WRITES ?? 2000);
const selectsPerRound = Number(process.env.BENCH_SQLITE_SELECTS ?? 5000);
const callers = 10;
const opsPerCaller = Number(process.env.BENCH_SQLITE_CALLER_OPS ?? 1500);

/** Raw better-sqlite3 with exactly the pragmas our connections get (database-open.ts). */
function openRaw(file: string, name: DatabaseName): Database.Database {
    const db = new Database(file, { timeout: 5000 });
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('foreign_keys = ON');
    db.pragma(`synchronous = ${DatabaseSpecs[name].synchronous}`);
    return db;
}

/** Nanosecond samples of `op`, in milliseconds. */
function sample(count: number, op: (i: number) => void, into: number[]): void {
    for (let i = 0; i < count; i++) {
        const start = process.hrtime.bigint();
        op(i);
        into.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
}

const yieldToLoop = () => new Promise(resolve => setImmediate(resolve));

interface Latencies {
    readonly ours: number[];
    readonly raw: number[];
}

const block = 100;

/**
 * The same operation on our API and on raw better-sqlite3, each on its own copy of the same
 * schema and settings, alternating in blocks of 100 (which side goes first alternates too), so
 * the machine's noise falls on both alike. Both WALs are truncated at the start of each round,
 * so neither side pays for the other's WAL growth.
 */
async function alternate(count: number, ours: (i: number) => void, raw: (i: number) => void, checkpoint: () => void): Promise<Latencies> {
    const result: Latencies = { ours: [], raw: [] };
    sample(Math.min(500, count), ours, []);
    sample(Math.min(500, count), raw, []);
    for (let r = 0; r < rounds; r++) {
        checkpoint();
        await yieldToLoop();
        for (let b = 0; b * block < count; b++) {
            const base = (r * count) + b * block;
            const order = b % 2 === 0 ? ['ours', 'raw'] as const : ['raw', 'ours'] as const;
            for (const side of order) {
                const op = side === 'ours' ? ours : raw;
                sample(block, i => op(base + i), result[side]);
            }
        }
    }
    return result;
}

/** The source of a raw caller thread: read-modify-write transactions and point reads on tasks.db. */
const callerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { dataDir, betterSqlite3, caller, ops } = workerData;
const Database = require(betterSqlite3);
const db = new Database(dataDir + '/tasks.db', { timeout: 5000 });
for (const p of ['busy_timeout = 5000', 'journal_mode = WAL', 'wal_autocheckpoint = 0', 'foreign_keys = ON', 'synchronous = FULL']) db.pragma(p);
const count = db.prepare('SELECT count(*) AS n FROM tasks WHERE agent_id = ?');
const insert = db.prepare("INSERT INTO tasks (agent_id, priority, payload_json, enqueued_at) VALUES (?, ?, '{}', ?)");
const get = db.prepare('SELECT id, status, priority FROM tasks WHERE id = ?');
const tx = db.transaction(i => insert.run('caller-' + caller, count.get('caller-' + caller).n, i));
const read = id => get.get(id);
const close = async () => db.close();
parentPort.postMessage({ ready: true });
parentPort.once('message', async () => {
    let busy = 0, done = 0, other = 0, writes = 0;
    for (let i = 0; i < ops; i++) {
        try {
            if (i % 4 === 0) { tx(i); writes++; } else read(1 + (i * 7919) % 10000);
            done++;
        } catch (e) {
            if (String(e && e.code).startsWith('SQLITE_BUSY')) busy++; else other++;
        }
    }
    await close();
    parentPort.postMessage({ busy, done, other, writes });
});
`;

interface CallerResult {
    readonly busy: number;
    readonly done: number;
    readonly other: number;
    readonly writes: number;
}

interface Throughput {
    readonly opsPerS: number;
    readonly busy: number;
    readonly other: number;
    /** Read-modify-write transactions that committed: a BUSY one fails fast, which flatters raw ops/s. */
    readonly writesCommitted: number;
}

const isBusy = (error: unknown) => String((error as { code?: unknown })?.code).startsWith('SQLITE_BUSY');

/**
 * Ours: ten concurrent callers of the cluster in this process, as the backend's RPC handlers
 * and agents are: read-modify-write transactions through the one writer, point reads on the
 * reader, and every 50th operation a GROUP BY query through the query workers.
 */
async function concurrentOurs(dataDir: string): Promise<Throughput> {
    const cluster = new DatabaseCluster({ dataDir }).open();
    const tasks = cluster.get('tasks');
    let busy = 0;
    let other = 0;
    let done = 0;
    let writesCommitted = 0;
    const caller = async (c: number) => {
        for (let i = 0; i < opsPerCaller; i++) {
            try {
                if (i % 50 === 49) {
                    await tasks.query('SELECT agent_id, count(*) AS n FROM tasks GROUP BY agent_id');
                } else if (i % 4 === 0) {
                    tasks.transaction(tx => {
                        const n = tx.get<{ n: number }>('SELECT count(*) AS n FROM tasks WHERE agent_id = ?', `caller-${c}`)!.n;
                        tx.run("INSERT INTO tasks (agent_id, priority, payload_json, enqueued_at) VALUES (?, ?, '{}', ?)", `caller-${c}`, n, i);
                    });
                    writesCommitted++;
                } else {
                    tasks.get('SELECT id, status, priority FROM tasks WHERE id = ?', 1 + (i * 7919) % 10000);
                }
                done++;
            } catch (error) {
                if (isBusy(error)) {
                    busy++;
                } else {
                    other++;
                }
            }
            if (i % 10 === 9) {
                await yieldToLoop();
            }
        }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: callers }, (_, c) => caller(c)));
    const seconds = (performance.now() - start) / 1000;
    await cluster.close();
    return { opsPerS: done / seconds, busy, other, writesCommitted };
}

/**
 * Raw: ten threads, each with its own better-sqlite3 connection (the way to get concurrency
 * without a pool), the same mix without the worker queries, with better-sqlite3's default
 * (deferred) transactions. Timed from a common start.
 */
async function concurrentRaw(dataDir: string): Promise<Throughput> {
    const workers = Array.from({ length: callers }, (_, caller) => new Worker(callerSource, {
        eval: true,
        workerData: { dataDir, caller, ops: opsPerCaller, betterSqlite3: require.resolve('better-sqlite3') },
    }));
    await Promise.all(workers.map(w => new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); })));
    const start = performance.now();
    const results = await Promise.all(workers.map(w => new Promise<CallerResult>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.postMessage('go');
    })));
    const seconds = (performance.now() - start) / 1000;
    await Promise.all(workers.map(w => w.terminate()));
    const sum = (key: keyof CallerResult) => results.reduce((n, r) => n + r[key], 0);
    return { opsPerS: sum('done') / seconds, busy: sum('busy'), other: sum('other'), writesCommitted: sum('writes') };
}

function seed(db: SqliteDatabase | Database.Database): void {
    const insert = 'INSERT INTO tasks (agent_id, priority, payload_json, enqueued_at) VALUES (?, ?, ?, ?)';
    if (db instanceof SqliteDatabase) {
        db.transaction(tx => { for (let i = 0; i < 10_000; i++) { tx.run(insert, `agent-${i % 10}`, i % 5, '{}', i); } });
    } else {
        const statement = db.prepare(insert);
        db.transaction(() => { for (let i = 0; i < 10_000; i++) { statement.run(`agent-${i % 10}`, i % 5, '{}', i); } })();
    }
}

const figures = (samples: number[]) => ({ p50: percentile(samples, 50), p99: percentile(samples, 99) });

export const sqliteBench: BenchSuite = {
    description: `database cluster vs raw better-sqlite3 on the same schema and pragmas: ${rounds} alternating rounds of ${writesPerRound} single-row commits `
        + `(sessions.db, synchronous=NORMAL, and tasks.db, FULL) and ${selectsPerRound} indexed selects; then ${callers} concurrent callers x ${opsPerCaller} mixed ops on tasks.db (ours: in-process through the pool; raw: threads with own connections)`,
    async run(log): Promise<BenchFigures> {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sqlite-'));
        const oursDir = path.join(root, 'ours');
        const rawDir = path.join(root, 'raw');
        try {
            // The raw side gets its files (same schema) from a cluster that is then closed.
            await new DatabaseCluster({ dataDir: rawDir }).open().close();
            const cluster = new DatabaseCluster({ dataDir: oursDir }).open();
            const raw = Object.fromEntries((['sessions', 'tasks'] as const).map(n => [n, openRaw(path.join(rawDir, `${n}.db`), n)])) as Record<'sessions' | 'tasks', Database.Database>;
            const sessions = cluster.get('sessions');
            const tasks = cluster.get('tasks');
            const checkpointBoth = (ours: SqliteDatabase, theirs: Database.Database) => () => {
                ours.checkpoint('TRUNCATE');
                theirs.pragma('wal_checkpoint(TRUNCATE)');
            };

            sessions.run("INSERT INTO sessions (id, started_at) VALUES ('bench', 0)");
            raw.sessions.prepare("INSERT INTO sessions (id, started_at) VALUES ('bench', 0)").run();
            // n: the event's position in its session (sessions.db migration 3), taken in the same statement.
            const eventSql = "INSERT INTO timeline_events (session_id, n, kind, data_json, at) VALUES ('bench', (SELECT coalesce(max(n), -1) + 1 FROM timeline_events WHERE session_id = 'bench'), 'edit', ?, ?)";
            const rawEvent = raw.sessions.prepare(eventSql);
            log('single-row commits, sessions.db (NORMAL)');
            const write = await alternate(writesPerRound,
                i => sessions.run(eventSql, '{"file":"src/a.ts"}', i),
                i => rawEvent.run('{"file":"src/a.ts"}', i),
                checkpointBoth(sessions, raw.sessions));

            const enqueueSql = "INSERT INTO tasks (agent_id, priority, payload_json, enqueued_at) VALUES (?, 0, '{}', ?)";
            const rawEnqueue = raw.tasks.prepare(enqueueSql);
            log('single-row commits, tasks.db (FULL)');
            const writeFull = await alternate(Math.ceil(writesPerRound / 4),
                i => tasks.run(enqueueSql, `agent-${i % 10}`, i),
                i => rawEnqueue.run(`agent-${i % 10}`, i),
                checkpointBoth(tasks, raw.tasks));

            seed(tasks);
            seed(raw.tasks);
            const selectSql = 'SELECT id, status, priority FROM tasks WHERE id = ?';
            const rawSelect = raw.tasks.prepare(selectSql);
            log('indexed selects, tasks.db');
            const select = await alternate(selectsPerRound,
                i => tasks.get(selectSql, 1 + (i * 7919) % 10_000),
                i => rawSelect.get(1 + (i * 7919) % 10_000),
                checkpointBoth(tasks, raw.tasks));

            // The concurrent phase opens its own connections: close these first.
            await cluster.close();
            Object.values(raw).forEach(db => db.close());
            log(`${callers} concurrent callers: ours`);
            const oursConcurrent = await concurrentOurs(oursDir);
            log(`${callers} concurrent callers: raw`);
            const rawConcurrent = await concurrentRaw(rawDir);

            const w = figures(write.ours);
            const rw = figures(write.raw);
            const wf = figures(writeFull.ours);
            const rwf = figures(writeFull.raw);
            const s = figures(select.ours);
            const rs = figures(select.raw);
            log(`writes p99 ${w.p99.toFixed(4)} ms vs raw ${rw.p99.toFixed(4)}; selects p99 ${s.p99.toFixed(4)} vs raw ${rs.p99.toFixed(4)}; `
                + `concurrent ${oursConcurrent.opsPerS.toFixed(0)} ops/s (busy ${oursConcurrent.busy}) vs raw ${rawConcurrent.opsPerS.toFixed(0)} ops/s (busy ${rawConcurrent.busy})`);
            if (oursConcurrent.other + rawConcurrent.other > 0) {
                log(`errors other than SQLITE_BUSY: ours ${oursConcurrent.other}, raw ${rawConcurrent.other}`);
            }
            return {
                rounds,
                write_p50_ms: round(w.p50, 4),
                write_p99_ms: round(w.p99, 4),
                raw_write_p50_ms: round(rw.p50, 4),
                raw_write_p99_ms: round(rw.p99, 4),
                write_full_p99_ms: round(wf.p99, 4),
                raw_write_full_p99_ms: round(rwf.p99, 4),
                select_p50_ms: round(s.p50, 4),
                select_p99_ms: round(s.p99, 4),
                raw_select_p50_ms: round(rs.p50, 4),
                raw_select_p99_ms: round(rs.p99, 4),
                overhead_p99_write: round(w.p99 / rw.p99),
                overhead_p99_write_full: round(wf.p99 / rwf.p99),
                overhead_p99_select: round(s.p99 / rs.p99),
                concurrent_callers: callers,
                concurrent_ops_per_s: Math.round(oursConcurrent.opsPerS),
                raw_concurrent_ops_per_s: Math.round(rawConcurrent.opsPerS),
                concurrent_writes_committed: oursConcurrent.writesCommitted,
                raw_concurrent_writes_committed: rawConcurrent.writesCommitted,
                busy_errors: oursConcurrent.busy,
                raw_busy_errors: rawConcurrent.busy,
                other_errors: oursConcurrent.other,
            };
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    },
};
