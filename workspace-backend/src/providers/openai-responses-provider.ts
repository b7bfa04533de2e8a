import type OpenAI from 'openai';
import type { ModelProvider, ModelRequest, ModelStreamEvent, StopReason } from './model-provider';
import { guardedSdkStream } from './guarded-sdk-stream';
import { DefaultStreamIdleTimeoutMs, IdleGuard, withIdleGuard } from './idle-guard';
import { createOpenAIClient, OpenAIClientOptions, OpenAIErrorClasses } from './openai-client';
import { toResponsesParams } from './openai-responses-params';
import { ResponsesFunctionCalls } from './responses-function-calls';
import { ErrorContext, fromStreamErrorBody, providerError } from './sdk-error-mapping';
import { fromResponsesUsage } from './token-usage';

/**
 * OpenAI (Codex) through the Responses API, streamed, with function tools. The Responses API
 * rather than Chat Completions because OpenAI serves its codex models (gpt-5-codex, ...) only
 * there. Moonshot speaks only Chat Completions (openai-chat-provider.ts).
 *
 * A stream is whole only when `response.completed` (or `response.incomplete`, which still
 * carries usage) arrived: OpenAI sends no `[DONE]` here, so a body that just ends is a broken
 * stream. `response.failed` and the `error` event are the vendor saying the turn failed.
 * Tool calls are emitted after the terminal event, complete, as the other providers do.
 */
export class OpenAIResponsesProvider implements ModelProvider {
    readonly vendor = 'openai' as const;
    private readonly client: OpenAI;

    constructor(private readonly options: Omit<OpenAIClientOptions, 'vendor'>) {
        this.client = createOpenAIClient({ ...options, vendor: 'openai' });
    }

    stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
        return withIdleGuard(request.signal, this.options.idleTimeoutMs ?? DefaultStreamIdleTimeoutMs, guard => this.streamGuarded(request, guard));
    }

    private async *streamGuarded(request: ModelRequest, guard: IdleGuard): AsyncIterable<ModelStreamEvent> {
        const context: ErrorContext = { vendor: this.vendor, keyVariable: this.options.keyVariable, apiKey: this.options.apiKey, signal: request.signal };
        // The SDK turns the `error` event into an APIError without a status; guardedSdkStream maps it (fromStreamErrorBody).
        const events = guardedSdkStream(signal => this.client.responses.create(toResponsesParams(request), { signal }), guard, OpenAIErrorClasses, context);
        const calls = new ResponsesFunctionCalls(context);
        // One turn may hold several messages (or reasoning summary parts); keep them apart as paragraphs.
        const text = new Paragraphs();
        const reasoning = new Paragraphs();
        let final: { readonly response: OpenAI.Responses.Response; readonly incomplete: boolean } | undefined;
        for await (const event of events) {
            switch (event.type) {
                // A refusal is the model's whole answer; shown as text rather than an empty turn.
                case 'response.output_text.delta':
                case 'response.refusal.delta':
                    yield { type: 'text-delta', text: text.next(`${event.item_id}/${event.content_index}`, event.delta) };
                    break;
                case 'response.reasoning_summary_text.delta':
                    yield { type: 'reasoning-delta', text: reasoning.next(`${event.item_id}/${event.summary_index}`, event.delta) };
                    break;
                case 'response.reasoning_text.delta':
                    yield { type: 'reasoning-delta', text: reasoning.next(`${event.item_id}/${event.content_index}`, event.delta) };
                    break;
                case 'response.output_item.added':
                case 'response.output_item.done':
                    if (event.item.type === 'function_call') {
                        calls.item(event.output_index, event.item, event.type === 'response.output_item.done');
                    }
                    break;
                case 'response.function_call_arguments.delta':
                    calls.argumentsDelta(event.output_index, event.delta);
                    break;
                case 'response.function_call_arguments.done':
                    calls.finish(event.output_index, event.arguments);
                    break;
                case 'response.failed':
                    throw fromStreamErrorBody(context, event.response.error ?? { code: 'server_error' }, 'the response failed without saying why');
                case 'response.completed':
                case 'response.incomplete':
                    final = { response: event.response, incomplete: event.type === 'response.incomplete' };
                    break;
            }
            if (final) {
                break; // terminal: nothing the turn needs comes after it
            }
        }
        if (final === undefined) {
            throw providerError('malformed-stream', context, 'stream ended before response.completed');
        }
        const { response, incomplete } = final;
        if (!response.usage) {
            throw providerError('malformed-stream', context, `sent response.${incomplete ? 'incomplete' : 'completed'} without usage`);
        }
        const toolCalls = calls.complete(incomplete);
        for (const call of toolCalls) {
            yield { type: 'tool-call', call };
        }
        yield { type: 'usage', usage: fromResponsesUsage(response.usage) };
        yield { type: 'done', stopReason: stopReasonOf(response, incomplete, toolCalls.length > 0) };
    }
}

function stopReasonOf(response: OpenAI.Responses.Response, incomplete: boolean, calledTools: boolean): StopReason {
    if (incomplete) {
        return response.incomplete_details?.reason === 'max_output_tokens' ? 'max-tokens' : 'other';
    }
    // Responses has no finish reason: a completed response that called functions waits for their outputs.
    return calledTools ? 'tool-use' : 'end';
}

/** Deltas of several parts (output items, content parts, summary parts) as one text, a blank line between parts. */
class Paragraphs {
    private part: string | undefined;

    next(part: string, delta: string): string {
        const separator = this.part !== undefined && this.part !== part ? '\n\n' : '';
        this.part = part;
        return separator + delta;
    }
}
