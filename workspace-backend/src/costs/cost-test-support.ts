import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Emitter } from '../common/emitter';
import { DatabaseCluster } from '../database/database-cluster';
import type { SqliteDatabase } from '../database/sqlite-database';
import type { TokenUsage } from '../providers/token-usage';
import { CostCalendar } from './cost-calendar';
import type { CostAgentInfo, CostAgents, CostTaskTree } from './cost-agents';
import { WorkspaceCosts, WorkspaceCostsOptions } from './workspace-costs';

/** Agents the costs can pause and resume, recording what was asked, with no orchestrator behind them. */
class RecordingAgents implements CostAgents {
    readonly calls: string[] = [];
    protected readonly usage = new Emitter<void>();
    readonly onUsageRecorded = this.usage.event;
    readonly agents: { id: string; name: string; state: string }[];

    constructor(ids: readonly string[] = ['claude', 'gemini', 'codex', 'kimi']) {
        this.agents = ids.map(id => ({ id, name: id.charAt(0).toUpperCase() + id.slice(1), state: 'idle' }));
    }

    list(): readonly CostAgentInfo[] {
        return this.agents.map(a => ({ ...a }));
    }

    pauseAfterStep(agentId: string, reason: string): void {
        this.calls.push(`pause ${agentId}: ${reason}`);
        this.agents.find(a => a.id === agentId)!.state = 'paused';
    }

    resume(agentId: string, reason: string): void {
        this.calls.push(`resume ${agentId}: ${reason}`);
        this.agents.find(a => a.id === agentId)!.state = 'idle';
    }

    taskTitle(taskId: number): string | undefined {
        return `task ${taskId}`;
    }

    /** Every task is a tree of its own, without a budget: the task-tree budgets are the core's specs'. */
    taskTree(taskId: number): CostTaskTree | undefined {
        return { rootId: taskId, open: true, taskIds: () => [taskId] };
    }

    cancelTaskTree(rootId: number, reason: string): void {
        this.calls.push(`cancel tree ${rootId}: ${reason}`);
    }

    usageRecorded(): void {
        this.usage.fire();
    }
}

/** metrics.db on a temporary folder, token_usage rows written as the orchestrator writes them, and the costs over it. */
export class CostsHarness {
    readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'costs-'));
    readonly ws = path.join(this.root, 'ws');
    readonly cluster: DatabaseCluster;
    readonly db: SqliteDatabase;
    readonly agents = new RecordingAgents();
    clock = Date.parse('2026-11-21T10:00:00Z');
    costs: WorkspaceCosts | undefined;

    constructor() {
        fs.mkdirSync(this.ws, { recursive: true });
        this.cluster = new DatabaseCluster({ dataDir: path.join(this.root, 'data') }).open();
        this.db = this.cluster.get('metrics');
    }

    start(options: Partial<WorkspaceCostsOptions> = {}): WorkspaceCosts {
        this.costs = new WorkspaceCosts({
            db: this.db, workspaceDir: this.ws, dataDir: path.join(this.root, 'data'), agents: this.agents,
            calendar: new CostCalendar('UTC'), now: () => this.clock, env: {}, ...options,
        });
        this.costs.start();
        return this.costs;
    }

    /** One token_usage row, as TokenUsageRepository.record writes it (at the harness clock unless given). */
    usage(agentId: string, taskId: number, model: string, usage: Partial<TokenUsage>, at = this.clock): void {
        const u = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, ...usage };
        this.db.run(`INSERT INTO token_usage (agent_id, provider, model, input_tokens, output_tokens, at, task_id, cache_read_tokens, cache_write_tokens, reasoning_tokens)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, agentId, 'test', model, u.inputTokens, u.outputTokens, at, taskId, u.cacheReadTokens, u.cacheWriteTokens, u.reasoningTokens);
    }

    async dispose(): Promise<void> {
        this.costs?.dispose();
        await this.cluster.close();
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}
