import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from '../workspace-core';
import type { AgentDefinition } from '../../orchestrator/agent-definition';
import type { OrchestratorOptions } from '../../orchestrator/orchestrator-options';
import type { OrchestratorEvent } from '../../orchestrator/orchestrator-types';
import { realProviderFactory } from '../../orchestrator/provider-factory';
import { ProviderKeyFile } from '../../providers/provider-key-file';
import { ScriptedTurnSpec, scriptedProviderFactory } from '../../orchestrator/test-support/scripted-provider-factory';
import type { TaskInfo } from '../../orchestrator/task-repository';

export type Script = (attempt: number, definition: AgentDefinition) => ScriptedTurnSpec[];

export const call = (name: string, args: Record<string, unknown>): ScriptedTurnSpec => ({ toolCalls: [{ name, arguments: args }], usage: { inputTokens: 10, outputTokens: 5 } });
export const finish = (summary: string): ScriptedTurnSpec => call('finish', { summary });
/** An agent's state may last one short scripted turn: polled every 5 ms, for at most 10 s. */
export const briefStates = [10_000, 5] as const;

/** A workspace core on temp dirs whose agents run scripted models: `scripts` maps a task's prompt (or its first line) to its turns. */
export class OrchestratorHarness {
    readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-'));
    readonly ws = path.join(this.root, 'ws');
    readonly scripts = new Map<string, Script>();
    readonly events: OrchestratorEvent[] = [];
    core!: WorkspaceCore;

    constructor() {
        fs.mkdirSync(this.ws);
    }

    async start(options: { heartbeatTimeoutMs?: number; real?: boolean; orchestrator?: Partial<OrchestratorOptions> } = {}): Promise<WorkspaceCore> {
        this.core = new WorkspaceCore({ workspaceDir: this.ws, dataDir: path.join(this.root, 'data') }, {
            orchestrator: {
                // The real providers with no key in the environment: keys come only from the studio's key file.
                providerFactory: options.real ? realProviderFactory({}, ProviderKeyFile.inDataDir(path.join(this.root, 'data')).file) : scriptedProviderFactory((definition, task) => {
                    // A workflow step's prompt is its step's text and then where it stands: its first line finds its script.
                    const script = this.scripts.get(task.prompt) ?? this.scripts.get(task.prompt.split('\n')[0]);
                    if (!script) {
                        throw new Error(`no script for "${task.prompt}"`);
                    }
                    return script(task.attempts, definition);
                }),
                restartBackoff: { initialMs: 50, maxMs: 200 },
                heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 5_000,
                cancelGraceMs: 1000,
                ...options.orchestrator,
            },
        });
        await this.core.start();
        this.core.orchestrator.onEvent(e => this.events.push(e));
        return this.core;
    }

    get orchestrator() {
        return this.core.orchestrator;
    }

    submit(agentId: string, prompt: string, script: Script, priority = 0): TaskInfo {
        this.scripts.set(prompt, script);
        return this.orchestrator.submitTask(agentId, { prompt, priority });
    }

    async done(task: TaskInfo, timeoutMs = 15_000): Promise<TaskInfo> {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`task ${task.id} (${task.prompt}) did not end in ${timeoutMs} ms: ${JSON.stringify(this.orchestrator.getTask(task.id))}`)), timeoutMs);
        });
        try {
            return await Promise.race([this.orchestrator.waitForTask(task.id), timeout]);
        } finally {
            clearTimeout(timer);
        }
    }

    states(agentId: string): string[] {
        return this.events.filter(e => e.type === 'agent-state' && e.agentId === agentId).map(e => (e as { to: string }).to);
    }

    writeDefinition(id: string, patch: Record<string, unknown>): void {
        const file = path.join(this.ws, '.coditect/agents', `${id}.json`);
        const current = JSON.parse(fs.readFileSync(file, 'utf8'));
        fs.writeFileSync(file, JSON.stringify({ ...current, ...patch, limits: { ...current.limits, ...(patch.limits as object ?? {}) } }));
    }

    async dispose(): Promise<void> {
        await this.core?.stop();
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

