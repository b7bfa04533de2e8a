import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster, inSpan, SqliteDatabase, startTracing, WorkspaceCore } from '@coditect/workspace-backend';
import { OtlpReceiver, scriptedProviderFactory, ScriptedTurnSpec } from '@coditect/workspace-backend/test-support';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { percentile, round } from '../bench-stats';

const writes = Number(process.env.BENCH_OBSERVABILITY_WRITES ?? 4000);
const scrapes = Number(process.env.BENCH_OBSERVABILITY_SCRAPES ?? 300);
const tasks = Number(process.env.BENCH_OBSERVABILITY_TASKS ?? 40);

const finish: ScriptedTurnSpec = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };
const work: ScriptedTurnSpec[] = [{ toolCalls: [{ name: 'write_file', arguments: { path: 'notes.md', content: 'x\n' } }] }, finish];

const insert = 'INSERT INTO bench_writes (at, payload) VALUES (?, ?)';
const prepare = (db: SqliteDatabase): void => {
    db.run('CREATE TABLE IF NOT EXISTS bench_writes (id INTEGER PRIMARY KEY, at INTEGER, payload TEXT)');
};

/** Milliseconds of one call. */
function timed(op: () => void): number {
    const start = process.hrtime.bigint();
    op();
    return Number(process.hrtime.bigint() - start) / 1e6;
}

const p = (samples: readonly number[], q: number): number => round(percentile(samples, q));

/**
 * What metrics and traces cost the work they watch:
 * - a scrape of a workspace whose nine agents ran tasks, against prom-client's exposition of the same
 *   registry without the gauges' refresh (what the refresh adds);
 * - a write on the core's database, whose every write the metrics time, against the same write on a
 *   cluster nobody listens to, alternated (what the metrics add to the write path);
 * - with OpenTelemetry's SDK exporting over OTLP, a write inside a trace (a span each) against one
 *   outside a trace (what a traced write costs; untraced work makes no span).
 */
export const observabilityBench: BenchSuite = {
    description: 'metrics scrape, metrics and tracing overhead on the write path',
    async run(log) {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-observability-'));
        const savedReplica = process.env.STUDIO_REPLICA_URL;
        process.env.STUDIO_REPLICA_URL = 'off';
        const core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') }, {
            orchestrator: { providerFactory: scriptedProviderFactory(() => work) },
        });
        const bare = new DatabaseCluster({ dataDir: path.join(root, 'bare') }).open();
        const receiver = new OtlpReceiver();
        try {
            await core.start();
            log(`running ${tasks} tasks over the nine agents`);
            const agents = core.orchestrator.listAgents().map(a => a.id);
            const submitted = Array.from({ length: tasks }, (_, i) => core.orchestrator.submitTask(agents[i % agents.length], { prompt: `task ${i}` }));
            await Promise.all(submitted.map(task => core.orchestrator.waitForTask(task.id)));

            log(`${scrapes} scrapes`);
            const scrape: number[] = [];
            const exposition: number[] = [];
            let bytes = 0;
            for (let i = 0; i < scrapes; i++) {
                let t = performance.now();
                bytes = (await core.metrics.scrape()).length;
                scrape.push(performance.now() - t);
                t = performance.now();
                await core.metrics.registry.metrics();
                exposition.push(performance.now() - t);
            }

            log(`${writes} writes on the core's database and on a bare cluster, alternated`);
            const instrumentedDb = core.databases.get('workspace');
            const bareDb = bare.get('workspace');
            prepare(instrumentedDb);
            prepare(bareDb);
            const instrumented: number[] = [];
            const plain: number[] = [];
            for (let i = 0; i < writes; i++) {
                instrumented.push(timed(() => instrumentedDb.run(insert, i, 'payload')));
                plain.push(timed(() => bareDb.run(insert, i, 'payload')));
            }

            log(`${writes} writes inside and outside a trace, with the SDK exporting over OTLP`);
            const tracing = startTracing('bench', { OTEL_EXPORTER_OTLP_ENDPOINT: await receiver.start() });
            const traced: number[] = [];
            const untraced: number[] = [];
            try {
                await inSpan('bench', {}, async () => {
                    for (let i = 0; i < writes; i++) {
                        traced.push(timed(() => bareDb.run(insert, i, 'payload')));
                    }
                });
                for (let i = 0; i < writes; i++) {
                    untraced.push(timed(() => bareDb.run(insert, i, 'payload')));
                }
                await tracing?.flush();
            } finally {
                await tracing?.shutdown();
            }
            const exportedWrites = receiver.spans.filter(s => s.name === 'sqlite.write').length;

            return {
                scrape_p50_ms: p(scrape, 50), scrape_p99_ms: p(scrape, 99), scrape_kb: round(bytes / 1024, 1),
                exposition_p99_ms: p(exposition, 99), scrape_vs_exposition_p99: round(percentile(scrape, 99) / percentile(exposition, 99), 2),
                instrumented_write_p99_ms: p(instrumented, 99), plain_write_p99_ms: p(plain, 99),
                metrics_write_overhead_p99: round(percentile(instrumented, 99) / percentile(plain, 99), 2),
                metrics_write_overhead_p50: round(percentile(instrumented, 50) / percentile(plain, 50), 2),
                traced_write_p99_ms: p(traced, 99), untraced_write_p99_ms: p(untraced, 99),
                tracing_write_overhead_p99: round(percentile(traced, 99) / percentile(untraced, 99), 2),
                tracing_write_overhead_p50: round(percentile(traced, 50) / percentile(untraced, 50), 2),
                exported_write_spans: exportedWrites,
            } satisfies BenchFigures;
        } finally {
            await receiver.stop();
            await bare.close();
            await core.stop();
            if (savedReplica === undefined) {
                delete process.env.STUDIO_REPLICA_URL;
            } else {
                process.env.STUDIO_REPLICA_URL = savedReplica;
            }
            fs.rmSync(root, { recursive: true, force: true });
        }
    },
};
