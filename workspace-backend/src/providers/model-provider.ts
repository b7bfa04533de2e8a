/**
 * The provider interface the orchestrator talks to: one streaming call per model turn,
 * the same shapes for every vendor. Providers translate to and from each vendor's wire
 * format; nothing vendor-specific leaks above this file except the opaque replay fields
 * (`ToolCall.signature`, `reasoning`) that a vendor needs echoed back on the next turn.
 */
import type { TokenUsage } from './token-usage';

export type { TokenUsage } from './token-usage';

export type Vendor = 'anthropic' | 'google' | 'openai' | 'moonshot';

/** A tool the model may call. `parameters` is a JSON Schema object (`{ type: 'object', properties, required }`). */
export interface ToolDefinition {
    readonly name: string;
    readonly description: string;
    readonly parameters: Record<string, unknown>;
}

export interface ToolCall {
    /** The vendor's call id (Gemini may not give one; then the provider makes one up, see gemini-provider.ts). */
    readonly id: string;
    readonly name: string;
    readonly arguments: Record<string, unknown>;
    /**
     * Opaque token the vendor wants echoed with this call on later turns (Gemini's
     * `thoughtSignature`, required for function calling with thinking models). Keep it verbatim.
     */
    readonly signature?: string;
}

export interface ToolResult {
    readonly callId: string;
    /** The tool's name; Gemini matches results to calls by name, the others by id. */
    readonly name: string;
    readonly content: string;
    readonly isError?: boolean;
}

export type ConversationMessage =
    | { readonly role: 'user'; readonly text: string }
    | {
        readonly role: 'assistant';
        readonly text: string;
        readonly toolCalls: readonly ToolCall[];
        /** The model's visible reasoning of that turn; Moonshot's thinking models need it replayed with tool calls. */
        readonly reasoning?: string;
    }
    | { readonly role: 'tool'; readonly results: readonly ToolResult[] };

export interface ModelRequest {
    readonly model: string;
    readonly system?: string;
    readonly messages: readonly ConversationMessage[];
    readonly tools: readonly ToolDefinition[];
    readonly maxTokens?: number;
    readonly temperature?: number;
    /** Aborting ends the stream by throwing the signal's reason (an AbortError), never a ProviderError. */
    readonly signal?: AbortSignal;
}

export type StopReason = 'end' | 'tool-use' | 'max-tokens' | 'other';

/**
 * What a stream yields, in order: any number of `text-delta`, `reasoning-delta` and
 * `tool-call` events, then exactly one `usage`, then exactly one `done`. A stream that
 * cannot reach `done` throws a ProviderError instead; it never ends silently short.
 */
export type ModelStreamEvent =
    | { readonly type: 'text-delta'; readonly text: string }
    /** Visible reasoning text (Moonshot's `reasoning_content`, OpenAI's reasoning summaries); not part of the answer. */
    | { readonly type: 'reasoning-delta'; readonly text: string }
    /** Emitted once the call's arguments are complete and parsed. */
    | { readonly type: 'tool-call'; readonly call: ToolCall }
    | { readonly type: 'usage'; readonly usage: TokenUsage }
    | { readonly type: 'done'; readonly stopReason: StopReason };

export interface ModelProvider {
    readonly vendor: Vendor;
    /** Streams one model turn. Throws ProviderError (see provider-error.ts) for every vendor or transport failure. */
    stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>;
}

/** Collects a whole stream into one assistant turn; handy for callers and tests that need no streaming. */
export interface CollectedTurn {
    readonly text: string;
    readonly reasoning: string;
    readonly toolCalls: ToolCall[];
    readonly usage: TokenUsage;
    readonly stopReason: StopReason;
    readonly events: ModelStreamEvent[];
}

export async function collectTurn(stream: AsyncIterable<ModelStreamEvent>): Promise<CollectedTurn> {
    const events: ModelStreamEvent[] = [];
    let text = '';
    let reasoning = '';
    const toolCalls: ToolCall[] = [];
    let usage: TokenUsage | undefined;
    let stopReason: StopReason | undefined;
    for await (const event of stream) {
        events.push(event);
        switch (event.type) {
            case 'text-delta': text += event.text; break;
            case 'reasoning-delta': reasoning += event.text; break;
            case 'tool-call': toolCalls.push(event.call); break;
            case 'usage': usage = event.usage; break;
            case 'done': stopReason = event.stopReason; break;
        }
    }
    if (usage === undefined || stopReason === undefined) {
        throw new Error('the stream ended without its usage and done events; the provider broke its contract.');
    }
    return { text, reasoning, toolCalls, usage, stopReason, events };
}
