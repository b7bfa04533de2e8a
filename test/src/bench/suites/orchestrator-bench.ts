import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { OrchestratorEvent, WorkspaceCore } from '@coditect/workspace-backend';
import { ScriptedTurnSpec, scriptedProviderFactory } from '@coditect/workspace-backend/test-support';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { percentile, round } from '../bench-stats';

const startIterations = Number(process.env.BENCH_ORCH_TASKS ?? 300);
const busIterations = Number(process.env.BENCH_ORCH_MESSAGES ?? 20_000);
// Messages published to a working agent, and the pause of each of its steps (a message is read at a step's end).
const deliverMessages = Number(process.env.BENCH_ORCH_DELIVER ?? 200);
const stepDelayMs = 10;
// Under the default maxSteps (30): one model turn per edit, plus finish.
const editsPerAgent = Number(process.env.BENCH_ORCH_EDITS ?? 25);
const agents = ['claude', 'gemini', 'codex', 'kimi'];
const sharedFiles = ['src/a.ts', 'src/b.ts', 'src/c.ts'];

const finish: ScriptedTurnSpec = { toolCalls: [{ name: 'finish', arguments: { summary: 'ok' } }] };
const edit = (agent: string, i: number): ScriptedTurnSpec => ({
    toolCalls: [{ name: 'edit_file', arguments: { path: sharedFiles[i % sharedFiles.length], old_text: '// END', new_text: `${agent}-${i}\n// END` } }],
});

/** A child that echoes every IPC message: the floor under any process-isolated agent's task start. */
async function rawIpcRoundTrips(root: string, n: number): Promise<number[]> {
    const file = path.join(root, 'echo.js');
    fs.writeFileSync(file, 'process.on("message", m => process.send(m));');
    const child = fork(file, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const samples: number[] = [];
    try {
        for (let i = 0; i < n; i++) {
            const t = performance.now();
            await new Promise<void>(resolve => {
                child.once('message', () => resolve());
                child.send({ type: 'run', i });
            });
            samples.push(performance.now() - t);
        }
    } finally {
        child.kill();
    }
    return samples;
}

export const orchestratorBench: BenchSuite = {
    description: `orchestrator: enqueue-to-start on an idle agent (${startIterations} tasks) vs raw child IPC, bus latency (${busIterations} messages) vs EventEmitter, ` +
        `4 agents x ${editsPerAgent} lock-guarded edits on ${sharedFiles.length} shared files`,
    async run(log): Promise<BenchFigures> {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-orch-'));
        const ws = path.join(root, 'ws');
        fs.mkdirSync(path.join(ws, 'src'), { recursive: true });
        sharedFiles.forEach(f => fs.writeFileSync(path.join(ws, f), '// END\n'));
        const scripts = new Map<string, readonly ScriptedTurnSpec[]>();
        const core = new WorkspaceCore({ workspaceDir: ws, dataDir: path.join(root, 'data') }, {
            orchestrator: { providerFactory: scriptedProviderFactory((_, task) => scripts.get(task.prompt) ?? [finish]) },
        });
        await core.start();
        const orchestrator = core.orchestrator;
        try {
            // 1. Enqueue -> the agent process reports the task started (state executing), one task at a time on an idle agent.
            // Baseline: the one durable commit a queued task needs (tasks.db is synchronous=FULL), on a raw connection.
            const raw = new Database(path.join(root, 'raw-tasks.db'));
            raw.pragma('journal_mode = WAL');
            raw.pragma('synchronous = FULL');
            raw.exec('CREATE TABLE tasks (id INTEGER PRIMARY KEY, agent_id TEXT, priority INTEGER, status TEXT, payload_json TEXT, enqueued_at INTEGER) STRICT');
            const insert = raw.prepare('INSERT INTO tasks (agent_id, priority, status, payload_json, enqueued_at) VALUES (?, 0, \'running\', ?, ?)');
            const commits: number[] = [];
            const starts: number[] = [];
            for (let i = 0; i < startIterations; i++) {
                const c = performance.now();
                insert.run('claude', '{"prompt":"noop"}', Date.now());
                commits.push(performance.now() - c);
                const t = performance.now();
                let startedAt = 0;
                let endedResolve: () => void = () => undefined;
                const ended = new Promise<void>(resolve => {
                    endedResolve = resolve;
                });
                const sub = orchestrator.onEvent((e: OrchestratorEvent) => {
                    if (e.type === 'agent-state' && e.agentId === 'claude' && e.to === 'executing' && !startedAt) {
                        startedAt = performance.now();
                    }
                    if (e.type === 'task' && (e.change === 'done' || e.change === 'failed')) {
                        endedResolve();
                    }
                });
                orchestrator.submitTask('claude', { prompt: `noop ${i}` });
                await ended;
                sub.dispose();
                starts.push(startedAt - t);
            }
            raw.close();
            const ipc = await rawIpcRoundTrips(root, startIterations);
            log(`task start p50 ${percentile(starts, 50).toFixed(2)} ms, p99 ${percentile(starts, 99).toFixed(2)} ms; baselines: raw IPC round trip p99 ${percentile(ipc, 99).toFixed(3)} ms, ` +
                `one FULL commit p50 ${percentile(commits, 50).toFixed(2)} ms, p99 ${percentile(commits, 99).toFixed(2)} ms`);

            // 2. Bus: publish -> subscriber, against a bare EventEmitter.
            const bus: number[] = [];
            let sentAt = 0;
            const sub = orchestrator.bus.subscribe('bench', () => bus.push(performance.now() - sentAt));
            for (let i = 0; i < busIterations; i++) {
                sentAt = performance.now();
                orchestrator.bus.publish('bench', 'claude', `m${i}`);
            }
            sub.dispose();
            const emitter = new EventEmitter();
            const plain: number[] = [];
            emitter.on('bench', () => plain.push(performance.now() - sentAt));
            for (let i = 0; i < busIterations; i++) {
                sentAt = performance.now();
                emitter.emit('bench', { text: `m${i}` });
            }
            const directs: number[] = [];
            for (let i = 0; i < 2000; i++) {
                const t = performance.now();
                orchestrator.sendMessage('gemini', 'kimi', `d${i}`);
                directs.push(performance.now() - t);
            }
            orchestrator.bus.deliver('kimi');
            log(`bus p99 ${percentile(bus, 99).toFixed(4)} ms (EventEmitter p99 ${percentile(plain, 99).toFixed(4)} ms), direct send p99 ${percentile(directs, 99).toFixed(4)} ms`);

            // 2b. Publish -> the recipient's turn: Codex works in steps of ${stepDelayMs} ms while messages to it are
            // published at random moments; each is timed to the step end that hands it to Codex's next turn.
            const published = new Map<number, number>();
            const delivered: number[] = [];
            const deliver = orchestrator.bus.deliver.bind(orchestrator.bus);
            orchestrator.bus.deliver = (agentId, taskId) => {
                const messages = deliver(agentId, taskId);
                const at = performance.now();
                messages.filter(m => published.has(m.id)).forEach(m => delivered.push(at - published.get(m.id)!));
                return messages;
            };
            const steps = Math.ceil(deliverMessages * 2.5);
            scripts.set('work in steps', [...Array.from({ length: steps }, () => ({ delayMs: stepDelayMs, toolCalls: [{ name: 'list_files', arguments: {} }] })), finish]);
            const codexFile = path.join(ws, '.coditect', 'agents', 'codex.json');
            const codex = JSON.parse(fs.readFileSync(codexFile, 'utf8'));
            fs.writeFileSync(codexFile, JSON.stringify({ ...codex, limits: { ...codex.limits, maxSteps: steps + 5 } }));
            orchestrator.definitions.refresh();
            const working = orchestrator.submitTask('codex', { prompt: 'work in steps' });
            await new Promise(resolve => setTimeout(resolve, 200));
            for (let i = 0; i < deliverMessages; i++) {
                await new Promise(resolve => setTimeout(resolve, Math.random() * stepDelayMs * 2));
                const message = orchestrator.bus.send('kimi', 'codex', `note ${i}`);
                published.set(message.id, performance.now());
            }
            await orchestrator.waitForTask(working.id);
            orchestrator.bus.deliver = deliver;
            log(`bus delivery to the recipient's next turn: ${delivered.length}/${deliverMessages} delivered, p50 ${percentile(delivered, 50).toFixed(2)} ms, `
                + `p99 ${percentile(delivered, 99).toFixed(2)} ms (steps of ${stepDelayMs} ms)`);

            // 3. Four agents editing overlapping files through the lock-guarded writer.
            let acknowledged = 0;
            const counter = orchestrator.onEvent(e => {
                if (e.type === 'tool-call' && e.phase === 'finished' && e.call.name === 'edit_file' && !e.result?.isError) {
                    acknowledged++;
                }
            });
            const t = performance.now();
            const tasks = agents.map(agent => {
                const prompt = `edits of ${agent}`;
                scripts.set(prompt, [...Array.from({ length: editsPerAgent }, (_, i) => edit(agent, i)), finish]);
                return orchestrator.submitTask(agent, { prompt });
            });
            const ended = await Promise.all(tasks.map(task => orchestrator.waitForTask(task.id)));
            const editMs = performance.now() - t;
            counter.dispose();
            const failedTasks = ended.filter(x => x.status !== 'done').length;
            const lines = sharedFiles.flatMap(f => fs.readFileSync(path.join(ws, f), 'utf8').split('\n').filter(l => l && l !== '// END'));
            const expected = agents.length * editsPerAgent;
            // Lost: an edit the agent was told succeeded whose line is not in the file.
            const lostEdits = acknowledged - new Set(lines).size;
            log(`${acknowledged}/${expected} edits acknowledged to 4 agents in ${editMs.toFixed(0)} ms (${(expected / editMs * 1000).toFixed(0)}/s), lost ${lostEdits}, failed tasks ${failedTasks}`);

            return {
                task_start_p50_ms: round(percentile(starts, 50), 3),
                task_start_p99_ms: round(percentile(starts, 99), 3),
                task_start_goal_p99_ms: 20,
                raw_ipc_round_trip_p99_ms: round(percentile(ipc, 99), 4),
                raw_full_commit_p50_ms: round(percentile(commits, 50), 3),
                raw_full_commit_p99_ms: round(percentile(commits, 99), 3),
                bus_p99_ms: round(percentile(bus, 99), 4),
                bus_goal_p99_ms: 1,
                event_emitter_p99_ms: round(percentile(plain, 99), 4),
                direct_message_p99_ms: round(percentile(directs, 99), 4),
                bus_deliver_p50_ms: round(percentile(delivered, 50), 3),
                bus_deliver_p99_ms: round(percentile(delivered, 99), 3),
                bus_deliver_step_ms: stepDelayMs,
                bus_delivered: delivered.length,
                edits: expected,
                edits_acknowledged: acknowledged,
                edits_per_s: round(expected / editMs * 1000, 1),
                lost_edits: lostEdits,
                failed_edit_tasks: failedTasks,
            };
        } finally {
            await core.stop();
            fs.rmSync(root, { recursive: true, force: true });
        }
    },
};
