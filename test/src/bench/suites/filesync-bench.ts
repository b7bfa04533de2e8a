import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DirectoryObjectStore, FileSync } from '@coditect/workspace-backend';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { percentile, round } from '../bench-stats';

const saves = Number(process.env.BENCH_FILESYNC_SAVES ?? 40);
const restoreFiles = Number(process.env.BENCH_FILESYNC_FILES ?? 10_000);

/**
 * File sync against a directory store (the embedded default; a GCS FUSE mount behaves alike):
 * - save_to_durable_p99_ms: a file is written; its index entry is stored (blob and entry fsynced)
 *   when the `uploaded` event fires. Includes the default 500 ms debounce. Goal < 2 s.
 * - restore_files_per_s: an empty workspace restored from 10,000 synced files, against fs.cp of
 *   the same files in the same run (restore_vs_cp_ratio: restore time / copy time).
 * - idle_watcher_cpu_pct: process CPU over 5 s with the watcher running and nothing changing.
 */
async function run(log: (m: string) => void): Promise<BenchFigures> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-filesync-'));
    try {
        const store = new DirectoryObjectStore(path.join(root, 'store'));
        const ws = path.join(root, 'ws');
        fs.mkdirSync(ws);
        const sync = new FileSync({ store, workspaceDir: ws, dataDir: path.join(root, 'data') });
        await sync.start();
        const durable = new Map<string, () => void>();
        sync.onEvent(e => {
            if (e.type === 'uploaded') {
                durable.get(e.path)?.();
            }
        });
        const latencies: number[] = [];
        for (let i = 0; i < saves; i++) {
            const rel = `src/file-${i % 10}.ts`;
            const done = new Promise<void>(resolve => durable.set(rel, resolve));
            const t0 = performance.now();
            fs.mkdirSync(path.join(ws, 'src'), { recursive: true });
            fs.writeFileSync(path.join(ws, rel), `export const v = ${i};\n`);
            await done;
            latencies.push(performance.now() - t0);
        }
        log(`save to durable: p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms`);

        await new Promise(resolve => setTimeout(resolve, 1000));
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await new Promise(resolve => setTimeout(resolve, 5000));
        const cpu = process.cpuUsage(cpu0);
        const idleCpuPct = ((cpu.user + cpu.system) / 1000) / (performance.now() - t0) * 100;
        log(`idle CPU ${round(idleCpuPct)} %`);

        log(`writing ${restoreFiles} files`);
        for (let i = 0; i < restoreFiles; i++) {
            const dir = path.join(ws, 'many', `d${Math.floor(i / 100)}`);
            if (i % 100 === 0) {
                fs.mkdirSync(dir, { recursive: true });
            }
            fs.writeFileSync(path.join(dir, `f${i}.txt`), `file ${i} ${'x'.repeat(i % 500)}\n`);
        }
        await sync.syncNow();
        await sync.stop();

        const copyStart = performance.now();
        await fs.promises.cp(ws, path.join(root, 'copy'), { recursive: true });
        const copyMs = performance.now() - copyStart;

        const ws2 = path.join(root, 'ws2');
        const restore = new FileSync({ store, workspaceDir: ws2, dataDir: path.join(root, 'data2'), watch: false });
        const restoreStart = performance.now();
        await restore.start();
        const restoreMs = performance.now() - restoreStart;
        await restore.stop();
        const restored = restoreFiles + 10;
        log(`restore ${restored} files in ${round(restoreMs)} ms; fs.cp ${round(copyMs)} ms`);
        return {
            save_to_durable_p99_ms: round(percentile(latencies, 99)),
            save_to_durable_p50_ms: round(percentile(latencies, 50)),
            restore_files_per_s: round(restored / (restoreMs / 1000)),
            restore_vs_cp_ratio: round(restoreMs / copyMs),
            idle_watcher_cpu_pct: round(idleCpuPct),
            files: restored,
            store: 'directory',
        };
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

export const filesyncBench: BenchSuite = {
    description: 'File sync: save-to-durable latency, restore throughput (vs fs.cp), idle watcher CPU',
    run,
};
