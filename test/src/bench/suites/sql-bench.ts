import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from '@coditect/workspace-backend';
import { SqlConsole } from '@coditect/workspace-backend';
import type { ConsoleUser } from '@coditect/workspace-backend';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { percentile, round } from '../bench-stats';

const rows = Number(process.env.BENCH_SQL_ROWS ?? 1_000_000);
const calls = Number(process.env.BENCH_SQL_CALLS ?? 300);
const user: ConsoleUser = { id: 'user:bench', displayName: 'bench', role: 'developer' };
const runaway = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

/** p99 of a cheap console call (a `SELECT 1` on another database, through its worker) over `calls` calls. */
async function cheapCallP99(console: SqlConsole): Promise<number> {
    const session = console.openSession(user);
    const samples: number[] = [];
    try {
        for (let i = 0; i < calls; i++) {
            const t = performance.now();
            const result = await session.run({ database: 'workspace', sql: 'SELECT 1' });
            samples.push(performance.now() - t);
            if (result.error) {
                throw new Error(result.error.message);
            }
        }
    } finally {
        await session.dispose();
    }
    return percentile(samples, 99);
}

export const sqlBench: BenchSuite = {
    description: `SQL console: time to the first page of SELECT * over ${rows} rows; p99 of a cheap console call while a runaway query runs vs none`,
    async run(log): Promise<BenchFigures> {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sql-'));
        const cluster = new DatabaseCluster({ dataDir: root }).open();
        try {
            const tasks = cluster.get('tasks');
            let t = performance.now();
            tasks.run('CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, label TEXT NOT NULL, payload BLOB, score REAL)');
            tasks.run(`INSERT INTO bench_rows WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${rows})
                SELECT x, 'row ' || x, randomblob(16), x / 7.0 FROM c`);
            log(`${rows} rows written in ${Math.round(performance.now() - t)} ms`);
            const console = new SqlConsole(cluster, { defaultTimeoutMs: 60_000 });

            const session = console.openSession(user);
            const firstPage: number[] = [];
            for (let i = 0; i < 11; i++) {
                t = performance.now();
                const result = await session.run({ database: 'tasks', sql: 'SELECT * FROM bench_rows' });
                firstPage.push(performance.now() - t);
                if (result.page?.rows.length !== 500 || !result.page.hasMore) {
                    throw new Error(`expected a first page of 500 rows with more to come: ${result.error?.message ?? result.page?.rows.length}`);
                }
            }
            const coldMs = firstPage.shift()!;
            log(`first page: cold ${coldMs.toFixed(1)} ms (starts the worker), warm p50 ${percentile(firstPage, 50).toFixed(2)} ms`);
            let t2 = performance.now();
            let fetched = 500;
            const last = await session.run({ database: 'tasks', sql: 'SELECT * FROM bench_rows' });
            for (let page = last.page!; page.hasMore; fetched += page.rows.length) {
                page = await session.fetch(last.runId, 5000);
            }
            const scanMs = performance.now() - t2;
            log(`paged through all ${fetched} rows (5000 a page) in ${Math.round(scanMs)} ms`);
            await session.dispose();

            const idleP99 = await cheapCallP99(console);
            const runner = console.openSession(user);
            const running = runner.run({ database: 'tasks', sql: runaway, timeoutMs: 600_000 });
            await new Promise(resolve => setTimeout(resolve, 200));
            t2 = performance.now();
            const busyP99 = await cheapCallP99(console);
            log(`cheap call p99: ${idleP99.toFixed(2)} ms idle, ${busyP99.toFixed(2)} ms with a runaway query running (${Math.round(performance.now() - t2)} ms of calls)`);
            runner.cancel('tasks');
            const stopped = await running;
            if (stopped.error?.kind !== 'cancelled') {
                throw new Error(`the runaway query should have been cancelled: ${JSON.stringify(stopped.error)}`);
            }
            await runner.dispose();
            return {
                rows,
                first_page_ms: round(percentile(firstPage, 50), 3),
                first_page_cold_ms: round(coldMs, 1),
                full_scan_ms: round(scanMs, 0),
                rpc_p99_idle_ms: round(idleP99, 3),
                rpc_p99_during_runaway_ms: round(busyP99, 3),
                rpc_p99_ratio: round(busyP99 / idleP99),
            };
        } finally {
            await cluster.close();
            fs.rmSync(root, { recursive: true, force: true });
        }
    },
};
