import Anthropic, { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { ConversationMessage, ModelProvider, ModelRequest, ModelStreamEvent, StopReason, ToolCall } from './model-provider';
import { guardedSdkStream } from './guarded-sdk-stream';
import { DefaultStreamIdleTimeoutMs, IdleGuard, withIdleGuard } from './idle-guard';
import { ErrorContext, parseToolArguments, providerError } from './sdk-error-mapping';
import { AnthropicUsageFields, fromAnthropicUsage } from './token-usage';
import { noRetryOnWaitStatus } from './wait-status-fetch';

export interface AnthropicProviderOptions {
    readonly apiKey: string;
    readonly keyVariable: string;
    readonly baseUrl?: string;
    readonly maxRetries?: number;
    readonly idleTimeoutMs?: number;
    /** Only for tests that need to observe or break the transport. */
    readonly fetch?: typeof fetch;
}

/** The Anthropic API's default; passed explicitly so ANTHROPIC_BASE_URL in the environment cannot redirect us silently. */
export const AnthropicDefaultBaseUrl = 'https://api.anthropic.com';

/** Anthropic requires max_tokens; used when the request gives none. */
export const AnthropicDefaultMaxTokens = 8192;

/**
 * Claude through the Messages API, streamed (`stream: true`), with client tools.
 * The raw events are consumed here (not the SDK's MessageStream helper) so that every
 * event, the usage merge and the "did the stream finish" check are visible in one place.
 */
export class AnthropicProvider implements ModelProvider {
    readonly vendor = 'anthropic' as const;
    private readonly client: Anthropic;

    constructor(private readonly options: AnthropicProviderOptions) {
        this.client = new Anthropic({
            apiKey: options.apiKey,
            baseURL: options.baseUrl ?? AnthropicDefaultBaseUrl,
            maxRetries: options.maxRetries ?? 2,
            fetch: noRetryOnWaitStatus(options.fetch),
        });
    }

    stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
        return withIdleGuard(request.signal, this.options.idleTimeoutMs ?? DefaultStreamIdleTimeoutMs, guard => this.streamGuarded(request, guard));
    }

    private async *streamGuarded(request: ModelRequest, guard: IdleGuard): AsyncIterable<ModelStreamEvent> {
        const context: ErrorContext = { vendor: this.vendor, keyVariable: this.options.keyVariable, apiKey: this.options.apiKey, signal: request.signal };
        const classes = { APIError, APIConnectionError, APIUserAbortError };
        const events = guardedSdkStream(signal => this.client.messages.create(toAnthropicParams(request), { signal }), guard, classes, context);

        // Per content block index: the tool call being assembled from input_json_delta fragments.
        const toolBlocks = new Map<number, { id: string; name: string; json: string }>();
        let startUsage: AnthropicUsageFields = {};
        let finalUsage: AnthropicUsageFields | undefined;
        let stopReason: StopReason = 'other';
        let stopped = false;
        for await (const event of events) {
            switch (event.type) {
                case 'message_start':
                    startUsage = event.message.usage;
                    break;
                case 'content_block_start':
                    if (event.content_block.type === 'tool_use') {
                        toolBlocks.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: '' });
                    } else if (event.content_block.type === 'text' && event.content_block.text) {
                        yield { type: 'text-delta', text: event.content_block.text };
                    }
                    break;
                case 'content_block_delta':
                    if (event.delta.type === 'text_delta') {
                        yield { type: 'text-delta', text: event.delta.text };
                    } else if (event.delta.type === 'input_json_delta') {
                        const block = toolBlocks.get(event.index);
                        if (!block) {
                            throw providerError('malformed-stream', context, `sent tool input for content block ${event.index}, which is not a tool_use block`);
                        }
                        block.json += event.delta.partial_json;
                    }
                    break;
                case 'content_block_stop': {
                    const block = toolBlocks.get(event.index);
                    if (block) {
                        toolBlocks.delete(event.index);
                        const call: ToolCall = { id: block.id, name: block.name, arguments: parseToolArguments(block.json, context, block.name) };
                        yield { type: 'tool-call', call };
                    }
                    break;
                }
                case 'message_delta':
                    // message_delta counts are cumulative; fields it leaves null keep message_start's values.
                    finalUsage = mergeUsage(startUsage, event.usage);
                    stopReason = mapStopReason(event.delta.stop_reason);
                    break;
                case 'message_stop':
                    stopped = true;
                    break;
            }
        }
        // The SDK ends iteration quietly when the body ends; only message_stop proves the turn is whole.
        if (!stopped || finalUsage === undefined || toolBlocks.size > 0) {
            throw providerError('malformed-stream', context, 'stream ended before message_stop');
        }
        yield { type: 'usage', usage: fromAnthropicUsage(finalUsage) };
        yield { type: 'done', stopReason };
    }
}

function mergeUsage(start: AnthropicUsageFields, delta: AnthropicUsageFields): AnthropicUsageFields {
    return {
        input_tokens: delta.input_tokens ?? start.input_tokens,
        output_tokens: delta.output_tokens ?? start.output_tokens,
        cache_read_input_tokens: delta.cache_read_input_tokens ?? start.cache_read_input_tokens,
        cache_creation_input_tokens: delta.cache_creation_input_tokens ?? start.cache_creation_input_tokens,
        output_tokens_details: delta.output_tokens_details ?? start.output_tokens_details,
    };
}

function mapStopReason(reason: string | null): StopReason {
    switch (reason) {
        case 'end_turn': case 'stop_sequence': return 'end';
        case 'tool_use': return 'tool-use';
        case 'max_tokens': case 'model_context_window_exceeded': return 'max-tokens';
        default: return 'other';
    }
}

export function toAnthropicParams(request: ModelRequest): Anthropic.Messages.MessageCreateParamsStreaming {
    return {
        model: request.model,
        max_tokens: request.maxTokens ?? AnthropicDefaultMaxTokens,
        ...(request.system ? { system: request.system } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        messages: request.messages.map(toAnthropicMessage),
        ...(request.tools.length > 0 ? {
            tools: request.tools.map(tool => ({
                name: tool.name, description: tool.description,
                input_schema: tool.parameters as Anthropic.Messages.Tool.InputSchema,
            })),
        } : {}),
        // An agent re-sends its growing conversation every turn: cache the prefix (reads cost a tenth).
        cache_control: { type: 'ephemeral' },
        stream: true,
    };
}

function toAnthropicMessage(message: ConversationMessage): Anthropic.Messages.MessageParam {
    switch (message.role) {
        case 'user':
            return { role: 'user', content: message.text };
        case 'assistant':
            return {
                role: 'assistant',
                content: [
                    // Anthropic rejects empty text blocks; a pure tool-call turn has none.
                    ...(message.text ? [{ type: 'text' as const, text: message.text }] : []),
                    ...message.toolCalls.map(call => ({ type: 'tool_use' as const, id: call.id, name: call.name, input: call.arguments })),
                ],
            };
        case 'tool':
            return {
                role: 'user',
                content: message.results.map(result => ({
                    type: 'tool_result' as const, tool_use_id: result.callId, content: result.content,
                    ...(result.isError ? { is_error: true } : {}),
                })),
            };
    }
}
