import type { LockOwner } from '../locks/lock-types';
import type { AgentDefinition } from './agent-definition';
import type { CommandRunner } from './command-runner';
import { HookEvent, HooksFile, WorkspaceHooks } from './workspace-hooks';
import { logFor } from '../telemetry/logger';

/** The tool call (or the finish) a hook runs for. */
export interface HookContext {
    readonly agent: AgentDefinition;
    readonly owner: LockOwner;
    readonly taskId: number;
    readonly signal: AbortSignal;
    readonly toolName: string;
    readonly toolInput: Readonly<Record<string, unknown>>;
}

/** What the hooks of one event said: `blocked` when one refused (PreToolUse: the call; Stop: the finish); `report` is fed back to the agent. */
export interface HookVerdict {
    readonly blocked: boolean;
    readonly report: string;
}

/** The most of a hook's output the agent is given. */
const HookOutputCap = 16_000;
/** The most of a tool's input a hook gets in CODITECT_TOOL_INPUT. */
const ToolInputCap = 16_000;

/**
 * Runs the workspace's hooks (`.coditect/settings.json`, WorkspaceHooks) around an agent's tool calls
 * and at its finish, as the agent's own commands run: in its sandbox, as its owner, for its task,
 * with its network setting. A hook gets the event, the agent, the task and the tool's name and
 * input in `CODITECT_*` variables, and runs in the workspace folder.
 *
 * Invariants: the hooks of an event run one after another in the file's order; a PreToolUse or
 * Stop hook that fails (a non-zero exit, its time limit) ends the run with `blocked`, and the call
 * or the finish does not happen; a failing PostToolUse hook only reports.
 */
export class HookRunner {
    protected lastProblem: string | undefined;

    constructor(protected readonly hooks: WorkspaceHooks, protected readonly commands: CommandRunner, protected readonly workspaceDir: string) { }

    /** Whether any hook would run for `event` (and the tool). */
    applies(event: HookEvent, toolName?: string): boolean {
        return this.hooksFor(event, toolName).length > 0;
    }

    async run(event: HookEvent, context: HookContext): Promise<HookVerdict | undefined> {
        const hooks = this.hooksFor(event, context.toolName);
        const reports: string[] = [];
        for (const hook of hooks) {
            const path = context.toolInput.path;
            const { output, code, timedOut } = await this.commands.run(hook.command, {
                cwd: this.workspaceDir, timeoutMs: hook.timeoutMs, signal: context.signal, outputCap: HookOutputCap, owner: context.owner,
                network: context.agent.network, taskId: context.taskId,
                env: {
                    CODITECT_HOOK_EVENT: event, CODITECT_AGENT_ID: context.agent.id, CODITECT_TASK_ID: String(context.taskId), CODITECT_TOOL_NAME: context.toolName,
                    CODITECT_TOOL_INPUT: JSON.stringify(context.toolInput).slice(0, ToolInputCap), ...(typeof path === 'string' ? { CODITECT_TOOL_PATH: path } : {}),
                },
            });
            const status = timedOut ? `killed after ${hook.timeoutMs / 1000} s, its time limit` : `exit code ${code}`;
            const failed = timedOut || code !== 0;
            const said = output.trim();
            if (failed && event !== 'PostToolUse') {
                const what = event === 'PreToolUse' ? `refused this ${context.toolName} call` : 'says the task is not done';
                return { blocked: true, report: `The ${event} hook \`${hook.command}\` (${HooksFile}) ${what} (${status})${said ? `:\n${said}` : '.'}` };
            }
            if (failed || said) {
                reports.push(`The ${event} hook \`${hook.command}\` (${status})${said ? `:\n${said}` : '.'}`);
            }
        }
        return reports.length > 0 ? { blocked: false, report: reports.join('\n\n') } : undefined;
    }

    protected hooksFor(event: HookEvent, toolName?: string) {
        const { hooks, problem } = this.hooks.hooksFor(event, toolName);
        if (problem !== this.lastProblem) {
            this.lastProblem = problem;
            if (problem) {
                logFor('hooks').warn(`${problem}`);
            }
        }
        return hooks;
    }
}
