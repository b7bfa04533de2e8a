import type OpenAI from 'openai';
import type { ConversationMessage, ModelProvider, ModelRequest, ModelStreamEvent, StopReason, ToolCall } from './model-provider';
import { guardedSdkStream } from './guarded-sdk-stream';
import { DefaultStreamIdleTimeoutMs, IdleGuard, withIdleGuard } from './idle-guard';
import { createOpenAIClient, OpenAIClientOptions, OpenAIErrorClasses } from './openai-client';
import { ErrorContext, parseToolArguments, providerError } from './sdk-error-mapping';
import { fromOpenAIUsage, OpenAIUsageFields } from './token-usage';

type ChunkUsage = OpenAIUsageFields;

/**
 * Moonshot (Kimi) through Chat Completions, streamed, with function tools; also OpenAI when an
 * agent asks for `"api": "chat-completions"` (OpenAI-compatible gateways that lack the
 * Responses API). OpenAI itself goes through the Responses API by default
 * (openai-responses-provider.ts): its codex models are served only there.
 *
 * A stream is whole only when a choice finished (finish_reason) and usage arrived (we ask
 * for it with stream_options.include_usage; Moonshot puts it in the finishing choice instead).
 * The SDK hides whether `data: [DONE]` came, so those two are our proof of completeness.
 */
export class OpenAIChatProvider implements ModelProvider {
    readonly vendor: 'openai' | 'moonshot';
    private readonly client: OpenAI;

    constructor(private readonly options: OpenAIClientOptions) {
        this.vendor = options.vendor;
        this.client = createOpenAIClient(options);
    }

    stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
        return withIdleGuard(request.signal, this.options.idleTimeoutMs ?? DefaultStreamIdleTimeoutMs, guard => this.streamGuarded(request, guard));
    }

    private async *streamGuarded(request: ModelRequest, guard: IdleGuard): AsyncIterable<ModelStreamEvent> {
        const context: ErrorContext = { vendor: this.vendor, keyVariable: this.options.keyVariable, apiKey: this.options.apiKey, signal: request.signal };
        const chunks = guardedSdkStream(signal => this.client.chat.completions.create(toChatParams(request, this.vendor), { signal }), guard, OpenAIErrorClasses, context);

        // Tool calls arrive as fragments keyed by index: the first carries id and name, later ones argument text.
        const calls = new Map<number, { id: string; name: string; json: string }>();
        let finishReason: string | undefined;
        let usage: ChunkUsage | undefined;
        for await (const chunk of chunks) {
            if (chunk.usage) {
                usage = chunk.usage;
            }
            for (const choice of chunk.choices ?? []) {
                if (choice.index !== 0) {
                    continue; // we ask for one choice (n defaults to 1)
                }
                const delta = choice.delta as (typeof choice.delta & { reasoning_content?: string | null }) | undefined;
                if (delta?.reasoning_content) {
                    yield { type: 'reasoning-delta', text: delta.reasoning_content };
                }
                if (delta?.content) {
                    yield { type: 'text-delta', text: delta.content };
                }
                for (const fragment of delta?.tool_calls ?? []) {
                    let call = calls.get(fragment.index);
                    if (!call) {
                        call = { id: fragment.id ?? '', name: fragment.function?.name ?? '', json: '' };
                        calls.set(fragment.index, call);
                    } else {
                        call.id ||= fragment.id ?? '';
                        call.name ||= fragment.function?.name ?? '';
                    }
                    call.json += fragment.function?.arguments ?? '';
                }
                const choiceUsage = (choice as { usage?: ChunkUsage }).usage;
                if (choiceUsage) {
                    usage = choiceUsage; // Moonshot's place for it
                }
                if (choice.finish_reason) {
                    finishReason = choice.finish_reason;
                }
            }
        }
        if (finishReason === undefined) {
            throw providerError('malformed-stream', context, 'stream ended before a finish_reason');
        }
        if (usage === undefined) {
            throw providerError('malformed-stream', context, 'stream ended without its usage chunk');
        }
        for (const [index, call] of [...calls.entries()].sort(([a], [b]) => a - b)) {
            if (!call.id || !call.name) {
                throw providerError('malformed-stream', context, `sent tool call #${index} without an id or a name`);
            }
            const complete: ToolCall = { id: call.id, name: call.name, arguments: parseToolArguments(call.json, context, call.name) };
            yield { type: 'tool-call', call: complete };
        }
        yield { type: 'usage', usage: fromOpenAIUsage(usage) };
        yield { type: 'done', stopReason: mapFinishReason(finishReason) };
    }
}

function mapFinishReason(reason: string): StopReason {
    switch (reason) {
        case 'stop': return 'end';
        case 'tool_calls': case 'function_call': return 'tool-use';
        case 'length': return 'max-tokens';
        default: return 'other';
    }
}

export function toChatParams(request: ModelRequest, vendor: 'openai' | 'moonshot'): OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming {
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [];
    if (request.system) {
        messages.push({ role: 'system', content: request.system });
    }
    for (const message of request.messages) {
        messages.push(...toChatMessages(message, vendor));
    }
    return {
        model: request.model,
        messages,
        ...(request.tools.length > 0 ? {
            tools: request.tools.map(tool => ({
                type: 'function' as const,
                function: { name: tool.name, description: tool.description, parameters: tool.parameters },
            })),
        } : {}),
        // OpenAI's reasoning models refuse max_tokens and want max_completion_tokens; Moonshot documents max_tokens.
        ...(request.maxTokens !== undefined ? (vendor === 'openai' ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }) : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        stream: true,
        stream_options: { include_usage: true },
    };
}

function toChatMessages(message: ConversationMessage, vendor: 'openai' | 'moonshot'): OpenAI.Chat.Completions.ChatCompletionMessageParam[] {
    switch (message.role) {
        case 'user':
            return [{ role: 'user', content: message.text }];
        case 'assistant': {
            const assistant: OpenAI.Chat.Completions.ChatCompletionAssistantMessageParam & { reasoning_content?: string } = {
                role: 'assistant',
                content: message.text || null,
                ...(message.toolCalls.length > 0 ? {
                    tool_calls: message.toolCalls.map(call => ({
                        id: call.id, type: 'function' as const,
                        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
                    })),
                } : {}),
            };
            // Kimi's thinking models refuse a tool-calling history whose reasoning was dropped.
            if (vendor === 'moonshot' && message.reasoning) {
                assistant.reasoning_content = message.reasoning;
            }
            return [assistant];
        }
        case 'tool':
            // Chat Completions has no error flag on tool results; say it in the content.
            return message.results.map(result => ({
                role: 'tool' as const, tool_call_id: result.callId,
                content: result.isError ? `Error: ${result.content}` : result.content,
            }));
    }
}
