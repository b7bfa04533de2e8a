import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChangeOverlays } from '../changes/change-overlay';
import type { LockOwner } from '../locks/lock-types';
import type { WorkspacePaths } from '../policy/workspace-paths';
import type { ToolCall } from '../providers/model-provider';
import type { AgentDefinition } from './agent-definition';
import type { WaitingOn } from './agent-state';
import type { CommandRunner } from './command-runner';
import { GuardedFileWriter } from './guarded-file-writer';
import { OverlayFileView } from './overlay-file-view';
import { runProcess } from './run-process';
import type { TimelineDigestRequest } from '../timeline/timeline-digest';

export interface ToolOutcome {
    readonly content: string;
    readonly isError?: boolean;
}

/** What a tool call may do beyond the workspace files; the orchestrator provides it per call. */
export interface ToolContext {
    readonly agent: AgentDefinition;
    readonly owner: LockOwner;
    readonly taskId: number;
    readonly signal: AbortSignal;
    /** Enter (or, with undefined, leave) `waiting`. */
    setWaiting(waitingOn: WaitingOn | undefined): void;
    sendMessage(to: { agentId?: string; topic?: string }, text: string): string;
    delegate(request: DelegationRequest): Promise<ToolOutcome>;
}

/** Sub-tasks a task hands to other agents, run in parallel, and whether it waits for all of them or the first to finish. */
export interface DelegationRequest {
    readonly parts: readonly { readonly agent: string; readonly prompt: string }[];
    readonly wait: 'all' | 'first';
    readonly priority: number;
}

export interface ToolExecutorOptions {
    readonly overlays?: ChangeOverlays;
    /** The session timeline as text (read_timeline); absent, the tool says there is no timeline here. */
    readonly timeline?: (request: TimelineDigestRequest) => string;
    readonly onRead?: (read: { path: string; text: string; owner: LockOwner; taskId: number }) => void;
}

const readCap = 256 * 1024;
const outputCap = 64 * 1024;
const skipped = new Set(['.git', 'node_modules']);

/** Ripgrep, when the @vscode/ripgrep package is installed (it is in the studio); otherwise a plain scan. */
function ripgrepPath(): string | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return (require('@vscode/ripgrep') as { rgPath: string }).rgPath;
    } catch {
        return undefined;
    }
}

/**
 * Runs agent tool calls in the backend process, where the lock manager lives: every path is
 * confined by WorkspacePaths, every write goes through the GuardedFileWriter, every command
 * through the CommandRunner (bubblewrap, or the separate-uid fallback). A tool error is
 * returned to the model as an error result (it can react), never thrown.
 *
 * For an agent that applies `after-review`, the file tools look through its task's overlay
 * (OverlayFileView): it reads what it wrote, and its writes go there under the same locks; its
 * commands still run on the workspace, without those edits.
 */
export class ToolExecutor {
    protected readonly rg = ripgrepPath();

    /**
     * `overlays`: where after-review agents' edits wait (the change sets' overlays); absent, such
     * agents' file tools fail saying so. `onRead` hears of each file an agent read, with the text it was given.
     */
    constructor(protected readonly paths: WorkspacePaths, protected readonly writer: GuardedFileWriter, protected readonly commands: CommandRunner,
        protected readonly options: ToolExecutorOptions = {}) { }

    async execute(call: ToolCall, context: ToolContext): Promise<ToolOutcome> {
        if (!context.agent.tools.includes(call.name as never)) {
            return { content: `The tool ${call.name} is not allowed for ${context.agent.name}; allowed: ${context.agent.tools.join(', ')}.`, isError: true };
        }
        const args = call.arguments;
        const s = (key: string): string => {
            const value = args[key];
            if (typeof value !== 'string') {
                throw new Error(`${call.name}: "${key}" must be a string.`);
            }
            return value;
        };
        const optionalString = (key: string): string | undefined => (typeof args[key] === 'string' ? args[key] as string : undefined);
        const optionalNumber = (key: string): number | undefined => (typeof args[key] === 'number' ? args[key] as number : undefined);
        try {
            const view = this.viewOf(context);
            switch (call.name) {
                case 'list_files': return { content: this.listFiles(optionalString('path') ?? '', optionalNumber('max_entries') ?? 200, view) };
                case 'read_file': {
                    const text = await this.readFile(s('path'), view);
                    this.options.onRead?.({ path: this.paths.relative(s('path')), text, owner: context.owner, taskId: context.taskId });
                    return { content: text };
                }
                case 'search': return { content: await this.search(s('pattern'), optionalString('path') ?? '', optionalString('glob'), optionalNumber('max_results') ?? 100, context.signal, view) };
                case 'edit_file':
                case 'write_file': {
                    const change = call.name === 'write_file'
                        ? { kind: 'write' as const, content: s('content') }
                        : { kind: 'edit' as const, oldText: s('old_text'), newText: s('new_text'), replaceAll: args.replace_all === true };
                    const outcome = await this.writer.apply(s('path'), change, {
                        owner: context.owner, taskId: context.taskId, waitMs: context.agent.limits.lockWaitMs, signal: context.signal,
                        onWait: wait => context.setWaiting(wait && {
                            kind: 'lock', path: wait.path, holders: wait.holders,
                            message: `waiting for lock on ${wait.path} held by ${wait.holders.join(', ')}`,
                        }),
                        target: view,
                    });
                    const waits = view ? ' It waits for review: only you see it until a person accepts your change set.' : '';
                    return { content: `${outcome.created ? 'Created' : 'Updated'} ${outcome.path} (${outcome.bytes} bytes).${waits}` };
                }
                case 'run_command': return await this.runCommand(s('command'), optionalString('cwd') ?? '', optionalNumber('timeout_ms') ?? context.agent.limits.commandTimeoutMs, context);
                case 'send_message': return { content: context.sendMessage({ agentId: optionalString('to'), topic: optionalString('topic') }, s('text')) };
                case 'delegate': return await context.delegate(delegationOf(args, optionalNumber('priority') ?? 0));
                case 'read_timeline': return { content: this.readTimeline(timelineRequestOf(args)) };
                default: return { content: `Unknown tool ${call.name}.`, isError: true };
            }
        } catch (error) {
            return { content: error instanceof Error ? error.message : String(error), isError: true };
        }
    }

    /** The overlay view of an after-review agent's task; undefined when its writes land at once. */
    protected viewOf(context: ToolContext): OverlayFileView | undefined {
        if (context.agent.apply !== 'after-review') {
            return undefined;
        }
        if (!this.options.overlays) {
            throw new Error(`${context.agent.name} applies its edits after review, and there is no change set store here to keep them in; set "apply": "immediately" in its definition, or run it in the studio.`);
        }
        return new OverlayFileView(this.paths, this.options.overlays, context.taskId, context.agent.id);
    }

    protected listFiles(folder: string, maxEntries: number, view?: OverlayFileView): string {
        const walked = this.walk(folder, view ? maxEntries + view.size() : maxEntries);
        const lines = view ? view.overlayListing(walked, this.paths.relative(folder)).slice(0, maxEntries) : walked;
        return lines.length ? lines.join('\n') + (lines.length >= maxEntries ? `\n... (first ${maxEntries} entries)` : '') : '(empty)';
    }

    /** Workspace paths under `folder`, a folder's contents right after it, each folder's entries by name; at most `maxEntries`. */
    protected walk(folder: string, maxEntries: number): string[] {
        const root = this.paths.absolute(folder);
        const lines: string[] = [];
        const walk = (dir: string): void => {
            let entries: fs.Dirent[];
            try {
                entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
            } catch {
                return;
            }
            for (const entry of entries) {
                if (lines.length >= maxEntries || skipped.has(entry.name)) {
                    continue;
                }
                const full = path.join(dir, entry.name);
                const relative = path.relative(this.paths.root, full).split(path.sep).join('/');
                lines.push(entry.isDirectory() ? `${relative}/` : relative);
                if (entry.isDirectory()) {
                    walk(full);
                }
            }
        };
        walk(root);
        return lines;
    }

    protected async readFile(file: string, view?: OverlayFileView): Promise<string> {
        const absolute = this.paths.absolute(file);
        const entry = view?.entry(this.paths.relative(file));
        if (entry) {
            if (entry.content === undefined) {
                throw new Error(`read_file: ${entry.path} does not exist for you: you deleted it in this task (the deletion waits for review).`);
            }
            const bytes = Buffer.from(entry.content, 'utf8');
            return bytes.length > readCap ? `${bytes.subarray(0, readCap).toString('utf8')}\n... (truncated: ${bytes.length} bytes, first ${readCap} shown)` : entry.content;
        }
        const handle = await fs.promises.open(absolute, 'r');
        try {
            const { size } = await handle.stat();
            const buffer = Buffer.alloc(Math.min(size, readCap));
            await handle.read(buffer, 0, buffer.length, 0);
            return buffer.toString('utf8') + (size > readCap ? `\n... (truncated: ${size} bytes, first ${readCap} shown)` : '');
        } finally {
            await handle.close();
        }
    }

    protected async search(pattern: string, folder: string, glob: string | undefined, maxResults: number, signal: AbortSignal, view?: OverlayFileView): Promise<string> {
        const target = this.paths.relative(folder) || '.';
        if (!this.rg) {
            return this.scan(new RegExp(pattern), target, maxResults, view);
        }
        const args = ['--line-number', '--no-heading', '--color', 'never', '--max-columns', '300', '--glob', '!.git', '--glob', '!node_modules'];
        if (glob) {
            args.push('--glob', glob);
        }
        args.push('--regexp', pattern, '--', target);
        const { output, code } = await runProcess(this.rg, args, this.paths.root, 20_000, signal, outputCap);
        if (code !== 0 && code !== 1) {
            throw new Error(`search failed: ${output.trim() || `ripgrep exited with ${code}`}`);
        }
        const found = code === 1 ? [] : output.split('\n').filter(Boolean);
        const lines = view ? view.overlaySearch(found, pattern, target, glob) : found;
        if (lines.length === 0) {
            return 'No matches.';
        }
        return lines.slice(0, maxResults).join('\n') + (lines.length > maxResults ? `\n... (${maxResults} of ${lines.length}+ matches)` : '');
    }

    protected scan(regex: RegExp, target: string, maxResults: number, view?: OverlayFileView): string {
        const results: string[] = [];
        const files = this.listFiles(target === '.' ? '' : target, 10_000, view).split('\n').filter(f => !f.endsWith('/'));
        for (const file of files) {
            const lines = (view?.entry(file)?.content ?? fs.readFileSync(this.paths.absolute(file), 'utf8')).split('\n');
            lines.forEach((line, i) => {
                if (results.length < maxResults && regex.test(line)) {
                    results.push(`${file}:${i + 1}:${line}`);
                }
            });
        }
        return results.length ? results.join('\n') : 'No matches.';
    }

    protected readTimeline(request: TimelineDigestRequest): string {
        if (!this.options.timeline) {
            throw new Error('read_timeline: this studio records no session timeline, so there is no history to read.');
        }
        return this.options.timeline(request);
    }

    protected async runCommand(command: string, cwd: string, timeoutMs: number, context: ToolContext): Promise<ToolOutcome> {
        const { output, code, timedOut } = await this.commands.run(command, {
            cwd: this.paths.absolute(cwd), timeoutMs, signal: context.signal, outputCap, owner: context.owner, network: context.agent.network, taskId: context.taskId,
        });
        const status = timedOut ? `killed after ${timeoutMs} ms (time limit)` : `exit code ${code}`;
        return { content: `${status}\n${output}`, isError: timedOut || code !== 0 };
    }
}

/** The delegate tool's arguments as a request: one `agent` and `prompt`, or a list of `tasks`; throws saying what to send otherwise. */
export function delegationOf(args: Record<string, unknown>, priority: number): DelegationRequest {
    const wait = args.wait ?? 'all';
    if (wait !== 'all' && wait !== 'first') {
        throw new Error('delegate: "wait" must be "all" (every sub-task) or "first" (the first to finish).');
    }
    const isPart = (part: unknown): part is { agent: string; prompt: string } => typeof part === 'object' && part !== null
        && typeof (part as { agent?: unknown }).agent === 'string' && typeof (part as { prompt?: unknown }).prompt === 'string'
        && (part as { prompt: string }).prompt.trim() !== '';
    const single = { agent: args.agent, prompt: args.prompt };
    const parts = Array.isArray(args.tasks) ? args.tasks : args.agent !== undefined || args.prompt !== undefined ? [single] : [];
    if (parts.length === 0 || !parts.every(isPart) || (Array.isArray(args.tasks) && args.agent !== undefined)) {
        throw new Error('delegate needs either "agent" and "prompt" (one sub-task) or "tasks": [{ "agent", "prompt" }, …] (several in parallel), each prompt non-empty.');
    }
    return { parts, wait, priority };
}


/** The read_timeline tool's arguments as a request; throws saying which argument is wrong. */
export function timelineRequestOf(args: Record<string, unknown>): TimelineDigestRequest {
    const text = (key: string): string | undefined => {
        const value = args[key];
        if (value !== undefined && typeof value !== 'string') {
            throw new Error(`read_timeline: "${key}" must be a string.`);
        }
        return value as string | undefined;
    };
    const whole = (key: string): number | undefined => {
        const value = args[key];
        if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 0)) {
            throw new Error(`read_timeline: "${key}" must be a whole number of 0 or more.`);
        }
        return value as number | undefined;
    };
    const kinds = args.kinds;
    if (kinds !== undefined && !(Array.isArray(kinds) && kinds.every(k => typeof k === 'string'))) {
        throw new Error('read_timeline: "kinds" must be a list of event kinds, such as ["task", "file-edit"], or ["all"].');
    }
    return {
        session: text('session'), agent: text('agent'), path: text('path'), taskId: whole('task'), from: whole('from'), limit: whole('limit'),
        kinds: Array.isArray(kinds) && kinds.includes('all') ? 'all' : kinds as string[] | undefined,
    };
}
