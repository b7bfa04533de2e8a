import * as path from 'node:path';
import type { ProviderErrorKind } from '../../providers/provider-error';
import type { StopReason } from '../../providers/model-provider';
import type { TokenUsage } from '../../providers/token-usage';
import type { AgentDefinition } from '../agent-definition';
import type { ProviderFactory } from '../provider-factory';
import type { TaskInfo } from '../task-repository';

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
 * Test code: agents whose model replays scripted turns, with the faults tests need (delays, hangs,
 * crashes). Each task gets the turns `script` returns for it (called in the backend, so a test can
 * vary them by task, prompt or attempt); the agent process loads scripted-agent-provider.js.
 *
 * A test hands it to a core it builds (`new WorkspaceCore(config, { orchestrator: { providerFactory } })`);
 * a studio backend gets it only from test code preloaded into its process
 * (core/provider-factory-override.ts). No production start can reach it.
 */
export function scriptedProviderFactory(script: (definition: AgentDefinition, task: TaskInfo) => readonly ScriptedTurnSpec[]): ProviderFactory {
    return {
        check: () => undefined,
        spec: (definition, task) => ({ module: path.join(__dirname, 'scripted-agent-provider.js'), exportName: 'createAgentProvider', options: { turns: script(definition, task) } }),
    };
}
