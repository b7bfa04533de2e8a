import type { ProviderErrorKind } from '../../providers/provider-error';
import type { ToolCall } from '../../providers/model-provider';
import type { TokenUsage } from '../../providers/token-usage';
import type { AgentDefinition } from '../agent-definition';

/** How the agent process builds its provider: a module it requires, the function it calls with the definition and these JSON options. */
export interface ProviderSpec {
    readonly module: string;
    readonly exportName: string;
    readonly options?: unknown;
}

/** Backend -> agent process. */
export type ToAgent =
    | {
        readonly type: 'run';
        readonly task: { readonly id: number; readonly prompt: string; readonly attempt: number };
        readonly definition: AgentDefinition;
        /** The shared workspace view, appended to the system prompt. */
        readonly context: string;
        /** Direct messages that arrived while the agent was idle. */
        readonly inbox: readonly string[];
        readonly provider: ProviderSpec;
    }
    | { readonly type: 'tool-result'; readonly requestId: number; readonly content: string; readonly isError: boolean; readonly inbox: readonly string[] }
    | { readonly type: 'cancel'; readonly taskId: number; readonly reason: string };

export type TaskOutcome =
    | { readonly outcome: 'done'; readonly summary: string; readonly steps: number }
    | { readonly outcome: 'cancelled'; readonly error: string; readonly steps: number }
    | { readonly outcome: 'failed'; readonly error: string; readonly steps: number; readonly retryable: boolean; readonly errorKind?: ProviderErrorKind | 'limit' | 'internal' };

/** Why a model request got no answer: the vendor's error kind, the task's cancellation, or anything else (`internal`). */
export type ProviderCallError = ProviderErrorKind | 'cancelled' | 'internal';

/** Agent process -> backend. */
export type FromAgent =
    | { readonly type: 'ready' }
    | { readonly type: 'heartbeat' }
    | { readonly type: 'started'; readonly taskId: number }
    | { readonly type: 'turn'; readonly taskId: number; readonly step: number; readonly text: string }
    | { readonly type: 'usage'; readonly taskId: number; readonly model: string; readonly usage: TokenUsage }
    /** One model request, answered or not (`error`: why not), timed in the agent process. */
    | { readonly type: 'provider-call'; readonly taskId: number; readonly model: string; readonly startedAt: number; readonly durationMs: number; readonly error?: ProviderCallError }
    /** `lastOfStep`: no tool call of this model turn follows it, so its result ends the step (where a pause after the step takes effect). */
    | { readonly type: 'tool'; readonly taskId: number; readonly step: number; readonly requestId: number; readonly call: ToolCall; readonly lastOfStep?: boolean }
    | { readonly type: 'rate-limited'; readonly taskId: number; readonly until: number; readonly message: string }
    | { readonly type: 'resumed'; readonly taskId: number }
    | ({ readonly type: 'result'; readonly taskId: number } & TaskOutcome);
