import type { Vendor } from '../providers/model-provider';
import { DefaultApiKeyVariables, OpenAIApi, ProviderConfigError, resolveOpenAIApi } from '../providers/provider-config';
import { isTopicPattern } from './topic-pattern';

/** The tools an agent may be allowed; `finish` is always allowed. */
export const ToolNames = ['list_files', 'read_file', 'search', 'edit_file', 'write_file', 'run_command', 'send_message', 'delegate', 'read_timeline', 'finish'] as const;
export type ToolName = typeof ToolNames[number];

/**
 * When an agent's file edits reach the workspace: `immediately` (each write lands as it is made),
 * or `after-review` (they wait in an overlay only the agent sees until a person accepts its
 * task's change set, which then lands whole or not at all).
 */
const ApplyModes = ['immediately', 'after-review'] as const;
type ApplyMode = typeof ApplyModes[number];

/**
 * What an idle agent does when a message reaches it (a direct one, or on a topic it subscribes to):
 * `next-turn` (it waits for the agent's next task, the default), or `start-task` (a task starts to
 * read and act on it).
 */
const MessageModes = ['next-turn', 'start-task'] as const;
type MessageMode = typeof MessageModes[number];

/**
 * When the agent's process runs: `always` (forked at start and kept, so a first task starts at
 * once; the vendor agents), or `on-demand` (forked for its first task and stopped once it has been
 * idle a while; the role agents, so a workspace with many agents does not keep a process each).
 */
export const ProcessModes = ['always', 'on-demand'] as const;
export type ProcessMode = typeof ProcessModes[number];

export interface AgentLimits {
    /** Model turns per task. */
    readonly maxSteps: number;
    /** Output tokens per model turn. */
    readonly maxTokens: number;
    readonly temperature?: number;
    /** Wall-clock limit of one task attempt; past it the agent process is killed and the attempt fails. */
    readonly taskTimeoutMs: number;
    /** How long an edit waits for a lock held by someone else. */
    readonly lockWaitMs: number;
    /** Limit of one `run_command`. */
    readonly commandTimeoutMs: number;
    /** Attempts per task (a crash, hang or backend stop mid-task costs one). */
    readonly maxAttempts: number;
}

/** `.coditect/agents/<id>.json`. */
export interface AgentDefinition {
    readonly id: string;
    readonly name: string;
    /** One line on what the agent is for (cards, the chat's agent list, the welcome page). */
    readonly description?: string;
    readonly vendor: Vendor;
    readonly model: string;
    /** Defaults to the vendor's (ANTHROPIC_API_KEY, ...). */
    readonly apiKeyVariable: string;
    readonly baseUrl?: string;
    /**
     * `openai` only: `"chat-completions"` for OpenAI-compatible gateways without the Responses API
     * (the default, `"responses"`, is where OpenAI serves its codex models). Absent: the vendor's default.
     */
    readonly api?: OpenAIApi;
    readonly systemPrompt: string;
    readonly tools: readonly ToolName[];
    readonly limits: AgentLimits;
    /**
     * Whether the agent's commands may use the network (`"network": false` in the file: their own
     * network namespace with only a loopback device). Default true: installing dependencies and
     * fetching are ordinary work, and with the keys out of the sandbox the network gives a command
     * nothing the workspace (which the model sees anyway) does not. Off only isolates under bubblewrap.
     */
    readonly network: boolean;
    /**
     * `"after-review"`: its write_file/edit_file go to its task's overlay (only it reads them;
     * locks are taken as for any write) and land when a person accepts the change set. Its
     * commands still see the workspace without them. Default `"immediately"`.
     */
    readonly apply: ApplyMode;
    /** Bus topics whose messages reach this agent (`*`, a topic, or a prefix ending in `/*`); direct messages always do. */
    readonly subscribes: readonly string[];
    readonly onMessage: MessageMode;
    readonly process: ProcessMode;
}

export const DefaultLimits: AgentLimits = {
    maxSteps: 30, maxTokens: 8192, taskTimeoutMs: 15 * 60_000, lockWaitMs: 60_000, commandTimeoutMs: 120_000, maxAttempts: 2,
};

export const basePrompt = (name: string) => `You are ${name}, one of several coding agents working at once in one shared workspace. ` +
    'Other agents may edit the same files: edits go through file locks, so re-read a file before you change it. ' +
    'Use the tools; when the task is done call `finish` with a short summary of what you changed.';

export const DefaultAgentDefinitions: readonly AgentDefinition[] = [
    { id: 'claude', name: 'Claude', vendor: 'anthropic', model: 'claude-sonnet-4-5' },
    { id: 'gemini', name: 'Gemini', vendor: 'google', model: 'gemini-2.5-pro' },
    { id: 'codex', name: 'Codex', vendor: 'openai', model: 'gpt-5-codex' },
    { id: 'kimi', name: 'Kimi', vendor: 'moonshot', model: 'kimi-k2-0905-preview' },
].map(d => ({
    ...d, vendor: d.vendor as Vendor, apiKeyVariable: DefaultApiKeyVariables[d.vendor as Vendor], systemPrompt: basePrompt(d.name), tools: [...ToolNames], limits: DefaultLimits, network: true, apply: 'immediately' as const,
    subscribes: [], onMessage: 'next-turn' as const, process: 'always' as const,
}));

export class AgentDefinitionError extends Error {
    constructor(readonly file: string, reason: string) {
        super(`${file}: ${reason}`);
        this.name = 'AgentDefinitionError';
    }
}

const vendors: readonly Vendor[] = ['anthropic', 'google', 'openai', 'moonshot'];

/**
 * Checks and completes a parsed definition file; throws an AgentDefinitionError saying what is
 * wrong and how to fix it. `id` comes from the file name and wins over one in the file.
 */
export function parseAgentDefinition(file: string, id: string, text: string): AgentDefinition {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (error) {
        throw new AgentDefinitionError(file, `not valid JSON (${(error as Error).message}).`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new AgentDefinitionError(file, 'must be a JSON object with name, vendor, model and systemPrompt.');
    }
    const o = raw as Record<string, unknown>;
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(id)) {
        throw new AgentDefinitionError(file, 'the file name (the agent id) must be lower-case letters, digits, - or _.');
    }
    const str = (key: string, required: boolean): string | undefined => {
        const value = o[key];
        if (value === undefined && !required) {
            return undefined;
        }
        if (typeof value !== 'string' || value.trim() === '') {
            throw new AgentDefinitionError(file, `"${key}" must be a non-empty string.`);
        }
        return value;
    };
    const name = str('name', true)!;
    const description = str('description', false);
    const vendor = (str('vendor', false) ?? str('provider', true)) as Vendor;
    if (!vendors.includes(vendor)) {
        throw new AgentDefinitionError(file, `"vendor" must be one of ${vendors.join(', ')}, not "${vendor}".`);
    }
    const tools = o.tools === undefined ? [...ToolNames] : o.tools;
    if (!Array.isArray(tools) || tools.some(t => !ToolNames.includes(t as ToolName))) {
        throw new AgentDefinitionError(file, `"tools" must be a list of ${ToolNames.join(', ')}.`);
    }
    const limitsIn = o.limits === undefined ? {} : o.limits;
    if (typeof limitsIn !== 'object' || limitsIn === null || Array.isArray(limitsIn)) {
        throw new AgentDefinitionError(file, '"limits" must be an object.');
    }
    const limits: Record<string, number | undefined> = { ...DefaultLimits };
    for (const [key, value] of Object.entries(limitsIn as Record<string, unknown>)) {
        if (!(key in DefaultLimits) && key !== 'temperature') {
            throw new AgentDefinitionError(file, `unknown limit "${key}"; known: ${[...Object.keys(DefaultLimits), 'temperature'].join(', ')}.`);
        }
        const positive = key !== 'temperature';
        if (typeof value !== 'number' || !Number.isFinite(value) || (positive ? value <= 0 : value < 0)) {
            throw new AgentDefinitionError(file, `limit "${key}" must be a ${positive ? 'positive' : 'non-negative'} number.`);
        }
        limits[key] = value;
    }
    if (o.network !== undefined && typeof o.network !== 'boolean') {
        throw new AgentDefinitionError(file, '"network" must be true (commands may use the network, the default) or false (no network).');
    }
    if (o.apply !== undefined && !ApplyModes.includes(o.apply as ApplyMode)) {
        throw new AgentDefinitionError(file, `"apply" must be "immediately" (edits land in the workspace as they are made, the default) or "after-review" (they wait for a person to accept the task's change set), not ${JSON.stringify(o.apply)}.`);
    }
    const subscribes = o.subscribes === undefined ? [] : o.subscribes;
    if (!Array.isArray(subscribes) || subscribes.some(topic => typeof topic !== 'string' || !isTopicPattern(topic))) {
        throw new AgentDefinitionError(file, '"subscribes" must be a list of topics ("reviews", "build/web"), prefixes ending in "/*" ("build/*") or "*" (every topic).');
    }
    if (o.onMessage !== undefined && !MessageModes.includes(o.onMessage as MessageMode)) {
        throw new AgentDefinitionError(file, `"onMessage" must be "next-turn" (a message waits for the agent's next task, the default) or "start-task" (an idle agent starts a task to act on it), not ${JSON.stringify(o.onMessage)}.`);
    }
    if (o.process !== undefined && !ProcessModes.includes(o.process as ProcessMode)) {
        throw new AgentDefinitionError(file, `"process" must be "always" (the agent's process runs from the start, the default) or "on-demand" (it starts for a task and stops when idle), not ${JSON.stringify(o.process)}.`);
    }
    const api = o.api as OpenAIApi | undefined;
    try {
        resolveOpenAIApi(vendor, api);
    } catch (error) {
        throw new AgentDefinitionError(file, `"api": ${(error as ProviderConfigError).message}`);
    }
    return {
        id, name, ...(description !== undefined ? { description } : {}), vendor, model: str('model', true)!,
        apiKeyVariable: str('apiKeyVariable', false) ?? DefaultApiKeyVariables[vendor],
        baseUrl: str('baseUrl', false),
        ...(api !== undefined ? { api } : {}),
        systemPrompt: str('systemPrompt', false) ?? basePrompt(name),
        tools: [...new Set([...(tools as ToolName[]), 'finish' as const])],
        limits: limits as unknown as AgentLimits,
        network: o.network !== false,
        apply: (o.apply as ApplyMode | undefined) ?? 'immediately',
        subscribes: [...new Set(subscribes as string[])],
        onMessage: (o.onMessage as MessageMode | undefined) ?? 'next-turn',
        process: (o.process as ProcessMode | undefined) ?? 'always',
    };
}

/** The file form of a definition (without its id, which is the file name). */
export function serializeAgentDefinition(definition: AgentDefinition): string {
    const { id: _id, ...rest } = definition;
    return JSON.stringify(rest, undefined, 2) + '\n';
}
