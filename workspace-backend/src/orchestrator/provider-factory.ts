import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveApiKey } from '../providers/provider-config';
import type { ProviderErrorKind } from '../providers/provider-error';
import type { StopReason } from '../providers/model-provider';
import type { TokenUsage } from '../providers/token-usage';
import type { AgentDefinition } from './agent-definition';
import type { ProviderSpec } from './agent-process/protocol';
import type { TaskInfo } from './task-repository';

/**
 * Chooses each agent's model provider. The provider itself lives in the agent's process (a hung
 * stream or a crash in an SDK takes that process down, not the backend), so the factory does
 * not build it: it says which module the process loads (`spec`), with JSON options.
 */
export interface ProviderFactory {
    /** Throws, saying what to fix, when the agent cannot get a provider now (e.g. no API key). Runs in the backend before each task. */
    check(definition: AgentDefinition): void;
    spec(definition: AgentDefinition, task: TaskInfo): ProviderSpec;
}

/** The vendors' real providers (src/providers/create-provider.ts); keys come from the environment or STUDIO_SECRETS_FILE, inherited by the agent process. */
export function realProviderFactory(env: NodeJS.ProcessEnv = process.env): ProviderFactory {
    const secretsFile = env.STUDIO_SECRETS_FILE;
    return {
        check: definition => {
            resolveApiKey({ vendor: definition.vendor, model: definition.model, apiKeyVariable: definition.apiKeyVariable }, env, secretsFile);
        },
        spec: () => ({ module: path.join(__dirname, 'agent-process', 'real-provider.js'), exportName: 'createAgentProvider', options: { secretsFile } }),
    };
}

/** One scripted model turn, as JSON (it crosses into the agent process). */
export interface ScriptedTurnSpec {
    readonly text?: string;
    readonly toolCalls?: readonly { readonly id?: string; readonly name: string; readonly arguments: Record<string, unknown> }[];
    readonly usage?: Partial<TokenUsage>;
    readonly stopReason?: StopReason;
    /** This turn throws a ProviderError of this kind. */
    readonly error?: { readonly kind: ProviderErrorKind; readonly message: string; readonly retryAfterMs?: number; readonly keyVariable?: string };
    /** Waits this long before answering (a slow model). */
    readonly delayMs?: number;
    /** `busy`: spins the event loop forever (a hang no timer can interrupt); `forever`: awaits a promise that never settles. */
    readonly hang?: 'busy' | 'forever';
    /** The turn's text is the request's first user message (lets a test see the prompt the agent got). */
    readonly echoPrompt?: boolean;
    /** The process exits with this code at this turn (a crash). */
    readonly exitCode?: number;
}

/**
 * For tests and the demo: each task gets the turns `script` returns for it (called in the
 * backend, so a test can vary them by task, prompt or attempt).
 */
export function scriptedProviderFactory(script: (definition: AgentDefinition, task: TaskInfo) => readonly ScriptedTurnSpec[]): ProviderFactory {
    return {
        check: () => undefined,
        spec: (definition, task) => ({ module: path.join(__dirname, 'agent-process', 'scripted-provider.js'), exportName: 'createAgentProvider', options: { turns: script(definition, task) } }),
    };
}

/** What a script file (`STUDIO_AGENT_SCRIPT`) holds: the turns each task of an agent replays. */
interface AgentScriptFile {
    readonly agents?: Readonly<Record<string, readonly ScriptedTurnSpec[]>>;
    /** For agents the file does not name. */
    readonly default?: readonly ScriptedTurnSpec[];
}

/**
 * The factory the studio runs with: the vendors' real providers, or, when `STUDIO_AGENT_SCRIPT`
 * names a JSON file, scripted agents that replay its turns without any model (for trying the
 * studio without keys, and for its browser tests). The file is read once, at start; a bad file
 * stops the start with a message that says what is wrong in it.
 */
export function providerFactoryFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderFactory {
    const file = env.STUDIO_AGENT_SCRIPT?.trim();
    if (!file) {
        return realProviderFactory(env);
    }
    let script: AgentScriptFile;
    try {
        script = JSON.parse(fs.readFileSync(file, 'utf8')) as AgentScriptFile;
    } catch (error) {
        throw new Error(`STUDIO_AGENT_SCRIPT=${file} could not be read as JSON: ${(error as Error).message}. Point it at a JSON file like {"agents": {"claude": [turns...]}}, or unset it.`, { cause: error });
    }
    const named = script.agents ?? {};
    for (const [agentId, turns] of Object.entries(named)) {
        if (!Array.isArray(turns)) {
            throw new Error(`STUDIO_AGENT_SCRIPT=${file}: "agents.${agentId}" must be a list of turns.`);
        }
    }
    return scriptedProviderFactory(definition => named[definition.id] ?? script.default ?? [
        { text: `${definition.name} has no scripted turns in ${path.basename(file)}.`, toolCalls: [{ name: 'finish', arguments: { summary: 'No scripted turns for this agent.' } }] },
    ]);
}
