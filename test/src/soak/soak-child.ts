/**
 * The soak's child process: a real WorkspaceCore on SOAK_DATA_DIR / SOAK_WORKSPACE_DIR, its
 * replica and durability mode from the environment as in the studio (STUDIO_REPLICA_URL,
 * STUDIO_GCS_API_ENDPOINT, STUDIO_DURABILITY). Once started it says so with how long `start()`
 * took (a restore from the replica included), waits for the parent's `go`, then writes in a loop
 * through the studio's own write paths, each followed by `core.durability.acknowledge` on the
 * databases it wrote, and reports every acknowledged write (soak-protocol.ts) until it is killed.
 *
 * SOAK_SEQ_BASE makes every value unique across children and only growing (budgets are raised,
 * never lowered). No vendor is ever called: without API keys the agents stay in error and the
 * tasks stay queued, and agent processes are not pre-forked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BudgetKey, ChatUser, databaseFileName, DatabaseName, DatabaseNames, NotDurableError, scopeText, TokenUsageRepository, WorkspaceCore } from '@coditect/workspace-backend';
import type { AckedWrite, SoakChildMessage } from './soak-protocol';

const dataDir = process.env.SOAK_DATA_DIR!;
const workspaceDir = process.env.SOAK_WORKSPACE_DIR!;
const user: ChatUser = { id: 'soak', displayName: 'Soak' };

const send = (message: SoakChildMessage) => new Promise<void>(resolve => process.send!(message, () => resolve()));

/** The largest `-wal` file of the six databases right now. */
function walBytes(): number {
    return Math.max(...DatabaseNames.map(name => {
        try {
            return fs.statSync(path.join(dataDir, `${databaseFileName(name)}-wal`)).size;
        } catch {
            return 0;
        }
    }));
}

interface Write {
    readonly what: string;
    readonly databases: DatabaseName[];
    readonly write: AckedWrite;
}

/** One write of each kind per call of `next`, in turn. */
function writer(core: WorkspaceCore, agentId: string) {
    const usage = new TokenUsageRepository(core.databases.get('metrics'));
    const budgets: BudgetKey[] = [{ scope: 'workspace', period: 'month' }, { scope: 'agent', agentId, period: 'day' }];
    let seq = Number(process.env.SOAK_SEQ_BASE ?? '1');
    let conversationId: string | undefined;
    let lastTaskId: number | undefined;
    const kinds: (() => Write)[] = [
        () => {
            const prompt = `soak task ${seq}`;
            const task = core.orchestrator.submitTask(agentId, { prompt });
            lastTaskId = task.id;
            return { what: `task #${task.id}`, databases: ['tasks'], write: { kind: 'task', id: task.id, prompt } };
        },
        () => {
            const key = budgets[seq % budgets.length];
            // Millionths of a dollar: unique, only growing across children, far below the largest budget allowed.
            const status = core.costs.setBudget(key, `${Math.floor(seq / 1e6)}.${String(seq % 1e6).padStart(6, '0')}`, user.id);
            return { what: `the budget ${scopeText(key)}/${key.period}`, databases: ['metrics'], write: { kind: 'budget', scope: scopeText(key), period: key.period, limitPico: String(status.limitPico) } };
        },
        () => {
            const text = `soak message ${seq}`;
            const sent = core.chat.send(agentId, conversationId, text, user);
            conversationId = sent.conversationId;
            return { what: `chat message #${sent.message.id}`, databases: ['sessions', 'tasks'], write: { kind: 'chat', messageId: sent.message.id, text, taskId: sent.task.id } };
        },
        () => {
            const taskId = lastTaskId!;
            usage.record({ agentId, taskId, provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { inputTokens: seq, outputTokens: 7, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } });
            return { what: `the cost entry of task #${taskId}`, databases: ['metrics'], write: { kind: 'cost', taskId, inputTokens: seq, outputTokens: 7 } };
        },
    ];
    let turn = 0;
    return (): Write => {
        const write = kinds[turn++ % kinds.length]();
        seq++;
        return write;
    };
}

async function main(): Promise<void> {
    const core = new WorkspaceCore({ workspaceDir, dataDir }, { orchestrator: { prefork: false } });
    const t = performance.now();
    await core.start();
    const startMs = performance.now() - t;
    const status = core.durability.status();
    const go = new Promise(resolve => process.once('message', resolve));
    const replication = (await core.health()).components.find(c => c.id === 'replication');
    const restoredAtStart = replication?.metrics?.restoredAtStart;
    await send({ started: { startMs, mode: status.mode, replicating: status.replicating, restoredAtStart: typeof restoredAtStart === 'string' ? restoredAtStart : null } });
    await go;
    const next = writer(core, core.orchestrator.listAgents()[0].id);
    for (;;) {
        const began = performance.now();
        const { what, databases, write } = next();
        try {
            await core.durability.acknowledge(what, ...databases);
        } catch (error) {
            if (!(error instanceof NotDurableError)) {
                throw error;
            }
            await send({ refused: error.message });
            continue;
        }
        await send({ ack: { write, latencyMs: performance.now() - began, walBytes: walBytes() } });
    }
}

main().catch(async error => {
    await send({ failed: error instanceof Error ? error.stack ?? error.message : String(error) });
    process.exit(3);
});
