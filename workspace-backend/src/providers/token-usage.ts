/**
 * One convention for token usage across vendors, so the cost ledger never double counts.
 *
 * The convention (the invariants every normaliser below keeps):
 *  - `inputTokens` are the prompt tokens billed at the full input price: cached reads and
 *    cache writes are NOT included; they are in `cacheReadTokens` and `cacheWriteTokens`.
 *  - `outputTokens` are all generated tokens billed at the output price, reasoning INCLUDED.
 *    `reasoningTokens` is a breakdown of `outputTokens` (never add it again).
 *  - So the request's total is `inputTokens + cacheReadTokens + cacheWriteTokens + outputTokens`
 *    (see `totalTokens`), and each part is priced once.
 *
 * What each vendor reports, and why the arithmetic below follows (checked in the SDKs' types):
 *  - Anthropic (`Usage`, `MessageDeltaUsage`): `input_tokens` already excludes
 *    `cache_read_input_tokens` and `cache_creation_input_tokens`; `output_tokens` is "the
 *    inclusive, authoritative total", `output_tokens_details.thinking_tokens` is a part of it.
 *    Streaming: `message_start` carries the input side, `message_delta` cumulative counts.
 *  - OpenAI chat completions (`CompletionUsage`): `prompt_tokens` INCLUDES
 *    `prompt_tokens_details.cached_tokens` (and `cache_write_tokens`, written to cache during
 *    this request); `completion_tokens` INCLUDES `completion_tokens_details.reasoning_tokens`.
 *  - OpenAI Responses (`ResponseUsage`): the same convention under other names: `input_tokens`
 *    INCLUDES `input_tokens_details.cached_tokens` and `.cache_write_tokens`; `output_tokens`
 *    INCLUDES `output_tokens_details.reasoning_tokens` (`total_tokens` = input + output).
 *  - Moonshot (OpenAI-compatible): same as OpenAI, but reports cache hits as `cached_tokens`
 *    at the top level of `usage` (a part of `prompt_tokens`); we accept either place.
 *  - Gemini (`GenerateContentResponseUsageMetadata`): `promptTokenCount` INCLUDES
 *    `cachedContentTokenCount`; `thoughtsTokenCount` is NOT part of `candidatesTokenCount`
 *    (`totalTokenCount` = prompt + candidates + toolUsePrompt + thoughts), and thoughts are
 *    billed as output, so output = candidates + thoughts. `toolUsePromptTokenCount` (results of
 *    server-side tools fed back to the model) is billed as input. Gemini has no per-request
 *    cache write (explicit caches are created and billed separately), so cacheWrite = 0.
 */
export interface TokenUsage {
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly cacheReadTokens: number;
    readonly cacheWriteTokens: number;
    readonly reasoningTokens: number;
}

export const zeroUsage: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

/** Every token of the request exactly once. */
export function totalTokens(usage: TokenUsage): number {
    return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens;
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
    return {
        inputTokens: a.inputTokens + b.inputTokens,
        outputTokens: a.outputTokens + b.outputTokens,
        cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
        cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
        reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    };
}

const n = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export interface AnthropicUsageFields {
    input_tokens?: number | null;
    output_tokens?: number | null;
    cache_read_input_tokens?: number | null;
    cache_creation_input_tokens?: number | null;
    output_tokens_details?: { thinking_tokens?: number | null } | null;
}

export function fromAnthropicUsage(usage: AnthropicUsageFields): TokenUsage {
    return {
        inputTokens: n(usage.input_tokens),
        outputTokens: n(usage.output_tokens),
        cacheReadTokens: n(usage.cache_read_input_tokens),
        cacheWriteTokens: n(usage.cache_creation_input_tokens),
        reasoningTokens: n(usage.output_tokens_details?.thinking_tokens),
    };
}

export interface OpenAIUsageFields {
    prompt_tokens?: number | null;
    completion_tokens?: number | null;
    /** Moonshot's place for cache hits. */
    cached_tokens?: number | null;
    prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
    completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export function fromOpenAIUsage(usage: OpenAIUsageFields): TokenUsage {
    return fromInclusiveCounts(
        usage.prompt_tokens, usage.prompt_tokens_details?.cached_tokens ?? usage.cached_tokens, usage.prompt_tokens_details?.cache_write_tokens,
        usage.completion_tokens, usage.completion_tokens_details?.reasoning_tokens);
}

export interface ResponsesUsageFields {
    input_tokens?: number | null;
    output_tokens?: number | null;
    input_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
    output_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export function fromResponsesUsage(usage: ResponsesUsageFields): TokenUsage {
    return fromInclusiveCounts(
        usage.input_tokens, usage.input_tokens_details?.cached_tokens, usage.input_tokens_details?.cache_write_tokens,
        usage.output_tokens, usage.output_tokens_details?.reasoning_tokens);
}

/** OpenAI's convention (both APIs): the input count includes cache reads and writes, the output count includes reasoning. */
function fromInclusiveCounts(
    input: number | null | undefined, cacheReadIn: number | null | undefined, cacheWriteIn: number | null | undefined,
    output: number | null | undefined, reasoning: number | null | undefined
): TokenUsage {
    const cacheRead = n(cacheReadIn);
    const cacheWrite = n(cacheWriteIn);
    return {
        // Clamped: a vendor reporting more cached than input tokens must not yield negative input.
        inputTokens: Math.max(0, n(input) - cacheRead - cacheWrite),
        outputTokens: n(output),
        cacheReadTokens: cacheRead,
        cacheWriteTokens: cacheWrite,
        reasoningTokens: n(reasoning),
    };
}

export interface GeminiUsageFields {
    promptTokenCount?: number;
    cachedContentTokenCount?: number;
    candidatesTokenCount?: number;
    thoughtsTokenCount?: number;
    toolUsePromptTokenCount?: number;
}

export function fromGeminiUsage(usage: GeminiUsageFields): TokenUsage {
    const cacheRead = n(usage.cachedContentTokenCount);
    return {
        inputTokens: Math.max(0, n(usage.promptTokenCount) - cacheRead) + n(usage.toolUsePromptTokenCount),
        outputTokens: n(usage.candidatesTokenCount) + n(usage.thoughtsTokenCount),
        cacheReadTokens: cacheRead,
        cacheWriteTokens: 0,
        reasoningTokens: n(usage.thoughtsTokenCount),
    };
}
