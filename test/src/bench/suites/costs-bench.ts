import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { CostAgentInfo, CostAgents, CostCalendar, CostDashboard, DatabaseCluster, Emitter, WorkspaceCosts } from '@coditect/workspace-backend';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { percentile, round } from '../bench-stats';

const rows = Number(process.env.BENCH_COSTS_ROWS ?? 1_000_000);
const rounds = Number(process.env.BENCH_COSTS_ROUNDS ?? 30);
const naiveRounds = Number(process.env.BENCH_COSTS_NAIVE_ROUNDS ?? 5);
const agentIds = ['claude', 'gemini', 'codex', 'kimi', 'reviewer', 'tester', 'planner', 'docs'];
/** Five priced models and one nobody prices (its tokens stay uncosted). */
const models = ['claude-sonnet-4-5', 'gemini-2.5-pro', 'gpt-5-codex', 'kimi-k2-0905-preview', 'claude-haiku-4-5', 'in-house-model'];
const DayMs = 86_400_000;

const agents: CostAgents = {
    list: (): CostAgentInfo[] => agentIds.map(id => ({ id, name: id[0].toUpperCase() + id.slice(1), state: 'idle' })),
    pauseAfterStep: () => undefined,
    resume: () => undefined,
    taskTitle: id => `task ${id}`,
    onUsageRecorded: new Emitter<void>().event,
    // Every task a tree of its own with no budget: the bench measures the ledger and the period budgets.
    taskTree: id => ({ rootId: id, open: true, taskIds: () => [id] }),
    cancelTaskTree: () => undefined,
};

/**
 * The dashboard's answer the naive way: raw better-sqlite3 GROUP BYs over the ledger's entries
 * copied into a table with no index and no rollups (what a first version would do).
 */
function naiveDashboard(db: Database.Database, calendar: CostCalendar, now: number): { month: string; byAgent: number; byModel: number; days: number; top: number[] } {
    const monthStart = calendar.monthStart(now);
    const dayStart = calendar.dayStart(now);
    const tokens = 'input_tokens + cache_read_tokens + cache_write_tokens + output_tokens';
    const sum = `CAST(sum(cost_pico) AS TEXT) AS cost, sum(${tokens}) AS tokens, sum(CASE WHEN cost_pico IS NULL THEN ${tokens} ELSE 0 END) AS uncosted`;
    db.prepare(`SELECT ${sum} FROM naive WHERE at >= ? AND at < ?`).get(dayStart, now + 1);
    const month = db.prepare(`SELECT ${sum} FROM naive WHERE at >= ? AND at < ?`).get(monthStart, now + 1) as { cost: string };
    const byAgent = db.prepare(`SELECT agent_id, ${sum} FROM naive WHERE at >= ? AND at < ? GROUP BY agent_id`).all(monthStart, now + 1);
    const byModel = db.prepare(`SELECT model, ${sum} FROM naive WHERE at >= ? AND at < ? GROUP BY model`).all(monthStart, now + 1);
    const days = db.prepare(`SELECT day, agent_id, ${sum} FROM naive WHERE at >= ? AND at < ? GROUP BY day, agent_id`).all(monthStart, now + 1);
    const top = db.prepare(`SELECT task_id, sum(cost_pico) AS cost FROM naive WHERE at >= ? AND task_id IS NOT NULL GROUP BY task_id ORDER BY cost DESC, task_id LIMIT 10`).all(monthStart) as { task_id: number }[];
    return { month: month.cost, byAgent: byAgent.length, byModel: byModel.length, days: days.length, top: top.map(t => t.task_id) };
}

export const costsBench: BenchSuite = {
    description: `Cost Dashboard: the dashboard's whole answer over ${rows} ledger entries (30 days, ${agentIds.length} agents, ${models.length} models) from the rollups, against the same answer from raw GROUP BYs over unindexed entries; backfill throughput`,
    async run(log): Promise<BenchFigures> {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-costs-'));
        const dataDir = path.join(root, 'data');
        const cluster = new DatabaseCluster({ dataDir }).open();
        let costs: WorkspaceCosts | undefined;
        try {
            const db = cluster.get('metrics');
            const calendar = new CostCalendar('UTC');
            // "Now" late in a month, so the month holds most of the 30 days of entries.
            const now = Date.parse('2026-11-28T15:30:00Z');
            const first = now - 30 * DayMs;
            let t = performance.now();
            db.transaction(tx => {
                for (let i = 0; i < rows; i++) {
                    const at = first + Math.floor((i / rows) * 30 * DayMs);
                    const task = 1 + Math.floor(i / 10);
                    tx.run(`INSERT INTO token_usage (agent_id, provider, model, input_tokens, output_tokens, at, task_id, cache_read_tokens, cache_write_tokens, reasoning_tokens)
                            VALUES (?, 'bench', ?, ?, ?, ?, ?, ?, ?, ?)`,
                    agentIds[task % agentIds.length], models[(task * 7 + i) % models.length], 200 + (i % 5000), 50 + (i % 900), at, task, (i % 3) * 1024, i % 11 === 0 ? 2048 : 0, i % 4 === 0 ? 30 : 0);
                }
            });
            log(`${rows} token_usage rows written in ${Math.round(performance.now() - t)} ms`);

            t = performance.now();
            costs = new WorkspaceCosts({ db, workspaceDir: path.join(root, 'ws'), dataDir, agents, calendar, now: () => now, env: {} });
            costs.start();
            await costs.caughtUp();
            const backfillMs = performance.now() - t;
            const entries = db.get<{ n: number }>('SELECT count(*) AS n FROM cost_ledger')!.n;
            if (entries !== rows) {
                throw new Error(`the ledger holds ${entries} entries, expected ${rows}`);
            }
            log(`ledger built from the backlog in ${Math.round(backfillMs)} ms (${Math.round(rows / (backfillMs / 1000))} rows/s)`);

            const timed = (range: 'month' | 'today' | '30d', n: number): { samples: number[]; answer: CostDashboard } => {
                const samples: number[] = [];
                let answer: CostDashboard | undefined;
                for (let i = 0; i < n; i++) {
                    const s = performance.now();
                    answer = costs!.dashboard(range);
                    samples.push(performance.now() - s);
                }
                return { samples, answer: answer! };
            };
            timed('month', 3);
            const month = timed('month', rounds);
            const today = timed('today', rounds);
            const last30 = timed('30d', rounds);
            log(`dashboard (this month): p50 ${percentile(month.samples, 50).toFixed(2)} ms, p95 ${percentile(month.samples, 95).toFixed(2)} ms; today p50 ${percentile(today.samples, 50).toFixed(2)} ms; 30 days p50 ${percentile(last30.samples, 50).toFixed(2)} ms`);

            // The baseline: the same entries in a plain table, no index, no rollups.
            const naivePath = path.join(root, 'naive.db');
            const raw = new Database(naivePath);
            raw.pragma('journal_mode = WAL');
            raw.exec(`ATTACH DATABASE '${db.file.replace(/'/g, "''")}' AS metrics`);
            raw.exec('CREATE TABLE naive AS SELECT * FROM metrics.cost_ledger');
            raw.exec('DETACH DATABASE metrics');
            const naiveSamples: number[] = [];
            let naive: ReturnType<typeof naiveDashboard> | undefined;
            for (let i = 0; i < naiveRounds + 1; i++) {
                const s = performance.now();
                naive = naiveDashboard(raw, calendar, now);
                if (i > 0) {
                    naiveSamples.push(performance.now() - s);
                }
            }
            raw.close();
            log(`naive GROUP BYs over unindexed entries: p50 ${percentile(naiveSamples, 50).toFixed(1)} ms`);

            // Both ways must give the same answer, or the speed means nothing.
            const ours = month.answer;
            if (naive!.month !== ours.monthToDate.costPico) {
                throw new Error(`month totals differ: naive ${naive!.month}, dashboard ${ours.monthToDate.costPico}`);
            }
            if (naive!.byAgent !== ours.byAgent.filter(a => a.entries > 0).length || naive!.byModel !== ours.byModel.length) {
                throw new Error(`breakdowns differ: naive ${naive!.byAgent} agents / ${naive!.byModel} models, dashboard ${ours.byAgent.length} / ${ours.byModel.length}`);
            }
            if (naive!.top.join() !== ours.topTasks.map(x => x.taskId).join()) {
                throw new Error(`top tasks differ: naive ${naive!.top.join()}, dashboard ${ours.topTasks.map(x => x.taskId).join()}`);
            }
            const ms = percentile(month.samples, 50);
            const naiveMs = percentile(naiveSamples, 50);
            return {
                ledger_rows: rows,
                dashboard_query_ms: round(ms, 2),
                dashboard_query_p95_ms: round(percentile(month.samples, 95), 2),
                dashboard_today_ms: round(percentile(today.samples, 50), 2),
                dashboard_30d_ms: round(percentile(last30.samples, 50), 2),
                naive_query_ms: round(naiveMs, 1),
                naive_to_dashboard_ratio: round(naiveMs / ms, 1),
                backfill_rows_per_s: Math.round(rows / (backfillMs / 1000)),
                goal_met: ms < 100,
            };
        } finally {
            costs?.dispose();
            await cluster.close();
            fs.rmSync(root, { recursive: true, force: true });
        }
    },
};
