import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { captureToolWrite, GuardedFileWriter, LockOwner, WorkspaceCore } from '@coditect/workspace-backend';
import { setReplicaUrl } from '@coditect/workspace-backend/test-support';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { percentile, round } from '../bench-stats';

const tasks = Number(process.env.BENCH_CHANGES_TASKS ?? 1000);
const writesPerTask = 3;
const listRuns = Number(process.env.BENCH_CHANGES_LIST_RUNS ?? 50);
const reverts = Number(process.env.BENCH_CHANGES_REVERTS ?? 20);
const revertLines = 5000;

const claude: LockOwner = { id: 'agent:claude', kind: 'agent', displayName: 'Claude' };
const p99 = (samples: number[]) => round(percentile(samples, 99), 3);
const sourceFile = (lines: number, tag: string) => Array.from({ length: lines }, (_, i) => `export const ${tag}${i} = ${i};`).join('\n') + '\n';

/** Replaces lines `every`-th from `offset` of a text with `mark`, as an agent's or a person's scattered edits. */
function editLines(text: string, offset: number, every: number, mark: string): string {
    const lines = text.split('\n');
    for (let i = offset; i < lines.length - 1; i += every) {
        lines[i] = `${lines[i]} // ${mark}`;
    }
    return lines.join('\n');
}

export const changesBench: BenchSuite = {
    description: `change sets: capture of ${tasks * writesPerTask} agent writes against plain guarded writes, listing ${tasks} change sets against raw SQLite, three-way reverts of a ${revertLines}-line file`,
    async run(log): Promise<BenchFigures> {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-changes-'));
        const ws = path.join(root, 'ws');
        fs.mkdirSync(path.join(ws, 'src'), { recursive: true });
        fs.mkdirSync(path.join(ws, 'plain'), { recursive: true });
        const files = Array.from({ length: 50 }, (_, i) => `module-${i}.ts`);
        for (const file of files) {
            fs.writeFileSync(path.join(ws, 'src', file), sourceFile(200, 'v'));
            fs.writeFileSync(path.join(ws, 'plain', file), sourceFile(200, 'v'));
        }
        const restoreReplica = setReplicaUrl('off');
        const core = new WorkspaceCore({ workspaceDir: ws, dataDir: path.join(root, 'data') });
        await core.start();
        try {
            // 1. Capture: the same guarded write (lock, read, temp file, rename) with and without what the studio keeps of it
            //    (the journal's note and the change set's record, captureToolWrite), alternated.
            let taskId = 0;
            const captureMs: number[] = [];
            const sinks = { changes: core.changes, journal: core.checkpoints.journal };
            const captured = new GuardedFileWriter(core.locks, 50, write => {
                const t = performance.now();
                captureToolWrite(sinks, { agentId: 'claude', taskId, path: write.path, before: write.before, after: write.after, by: 'Claude', at: Date.now() }, `task ${taskId}`);
                captureMs.push(performance.now() - t);
            });
            const plain = new GuardedFileWriter(core.locks, 50);
            const plainWrite: number[] = [];
            const capturedWrite: number[] = [];
            for (let t = 1; t <= tasks; t++) {
                taskId = t;
                for (let w = 0; w < writesPerTask; w++) {
                    const file = files[(t * writesPerTask + w) % files.length];
                    const edit = { kind: 'edit' as const, oldText: `export const v${(t + w) % 200} = `, newText: `export const v${(t + w) % 200} = ${t} + ` };
                    let start = performance.now();
                    await plain.apply(`plain/${file}`, edit, { owner: claude, waitMs: 1000 });
                    plainWrite.push(performance.now() - start);
                    start = performance.now();
                    await captured.apply(`src/${file}`, edit, { owner: claude, taskId: t, waitMs: 1000 });
                    capturedWrite.push(performance.now() - start);
                }
            }
            log(`agent write: plain p99 ${p99(plainWrite)} ms, captured p99 ${p99(capturedWrite)} ms; the capture itself p50 ${round(percentile(captureMs, 50), 3)} ms, p99 ${p99(captureMs)} ms`);

            // 2. Listing 1,000 change sets with their files, against the same two reads in raw better-sqlite3.
            await new Promise(resolve => setTimeout(resolve, 100)); // the line counts are filled in after the writes
            const listMs: number[] = [];
            let listed = 0;
            for (let i = 0; i < listRuns; i++) {
                const t = performance.now();
                listed = core.changes.list({ limit: 1000 }).length;
                listMs.push(performance.now() - t);
            }
            const raw = new Database(path.join(root, 'data', 'sessions.db'), { readonly: true });
            const rawSets = raw.prepare('SELECT * FROM change_sets ORDER BY task_id DESC LIMIT 1000');
            const rawFiles = raw.prepare('SELECT * FROM change_files WHERE task_id BETWEEN ? AND ? ORDER BY task_id, path');
            const rawMs: number[] = [];
            for (let i = 0; i < listRuns; i++) {
                const t = performance.now();
                const sets = rawSets.all() as { task_id: number }[];
                rawFiles.all(sets[sets.length - 1].task_id, sets[0].task_id);
                rawMs.push(performance.now() - t);
            }
            raw.close();
            log(`list ${listed} change sets: p99 ${p99(listMs)} ms (raw SQLite, same rows: p99 ${p99(rawMs)} ms)`);

            // 3. Rejecting an agent's 50 scattered line changes to a 5,000-line file a person has since edited in 50 other places.
            const revertMs: number[] = [];
            const revertWriteMs: number[] = [];
            for (let i = 0; i < reverts; i++) {
                const file = `big-${i}.ts`;
                const original = sourceFile(revertLines, `b${i}_`);
                fs.writeFileSync(path.join(ws, file), original);
                taskId = 100_000 + i;
                const agentVersion = editLines(original, 7, 100, 'agent');
                let t = performance.now();
                await captured.apply(file, { kind: 'write', content: agentVersion }, { owner: claude, taskId, waitMs: 1000 });
                revertWriteMs.push(performance.now() - t);
                const personVersion = editLines(agentVersion, 57, 100, 'person');
                fs.writeFileSync(path.join(ws, file), personVersion);
                t = performance.now();
                const result = await core.changes.review({ taskId, path: file, decision: 'reject' }, { id: 'user:bench', displayName: 'Bench' });
                revertMs.push(performance.now() - t);
                const after = fs.readFileSync(path.join(ws, file), 'utf8');
                if (result.files[0].outcome !== 'applied' || after !== editLines(original, 57, 100, 'person')) {
                    throw new Error(`the three-way revert of ${file} did not keep the person's lines and take back the agent's: ${JSON.stringify(result.files[0]).slice(0, 300)}`);
                }
            }
            log(`three-way revert of a ${revertLines}-line file: p99 ${p99(revertMs)} ms (the agent's captured write of it: p99 ${p99(revertWriteMs)} ms)`);

            return {
                capture_overhead_p99_ms: p99(captureMs),
                capture_overhead_p50_ms: round(percentile(captureMs, 50), 3),
                plain_write_p99_ms: p99(plainWrite),
                captured_write_p99_ms: p99(capturedWrite),
                captured_vs_plain_write_p99: round(p99(capturedWrite) / p99(plainWrite), 2),
                writes: capturedWrite.length,
                change_sets_listed: listed,
                list_p99_ms: p99(listMs),
                list_raw_sqlite_p99_ms: p99(rawMs),
                list_vs_raw_sqlite_p99: round(p99(listMs) / p99(rawMs), 2),
                revert_p99_ms: p99(revertMs),
                revert_file_lines: revertLines,
                revert_vs_captured_write_p99: round(p99(revertMs) / p99(revertWriteMs), 2),
            };
        } finally {
            await core.stop();
            restoreReplica();
            fs.rmSync(root, { recursive: true, force: true });
        }
    },
};
