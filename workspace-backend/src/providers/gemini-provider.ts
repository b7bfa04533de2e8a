import { ApiError, FinishReason, GoogleGenAI } from '@google/genai';
import type { Content, GenerateContentParameters, GenerateContentResponse, Part } from '@google/genai';
import type { ConversationMessage, ModelProvider, ModelRequest, ModelStreamEvent, StopReason, ToolCall } from './model-provider';
import { DefaultStreamIdleTimeoutMs, IdleGuard, withIdleGuard } from './idle-guard';
import { parseRetryAfter } from './provider-error';
import { abortReason, causeText, ErrorContext, fromHttpStatus, idleError, providerError } from './sdk-error-mapping';
import { fromGeminiUsage, GeminiUsageFields } from './token-usage';

export interface GeminiProviderOptions {
    readonly apiKey: string;
    readonly keyVariable: string;
    readonly baseUrl?: string;
    readonly maxRetries?: number;
    readonly retryInitialDelayMs?: number;
    readonly idleTimeoutMs?: number;
    readonly fetch?: typeof fetch;
}

/** Passed explicitly so GOOGLE_GEMINI_BASE_URL in the environment cannot redirect us silently. */
export const GeminiDefaultBaseUrl = 'https://generativelanguage.googleapis.com';

/**
 * The statuses the Gemini SDK may retry. Unlike the Stainless SDKs it retries nothing unless
 * told (no `retryOptions`, no retries), and its default list includes 429 and 503, which must
 * reach the orchestrator instead (see provider-error.ts, isWaitStatus). Its retries ignore
 * retry-after and do not cover connection errors ("fetch failed" is not on p-retry's list).
 */
const GeminiRetriedStatuses = [408, 500, 502, 504];

/** Made-up ids carry this prefix, so they are never sent back to Gemini as if it had issued them. */
const LocalCallIdPrefix = 'gemini-call-';

/**
 * Gemini through the Gemini API (`models/{model}:streamGenerateContent?alt=sse`) with
 * function declarations. A stream is whole only when a candidate reported its finishReason.
 */
export class GeminiProvider implements ModelProvider {
    readonly vendor = 'google' as const;
    private readonly client: GoogleGenAI;

    constructor(private readonly options: GeminiProviderOptions) {
        this.client = new GoogleGenAI({
            apiKey: options.apiKey,
            vertexai: false, // explicit: GOOGLE_GENAI_USE_VERTEXAI in the environment would switch endpoints
            httpOptions: {
                baseUrl: options.baseUrl ?? GeminiDefaultBaseUrl,
                retryOptions: {
                    attempts: (options.maxRetries ?? 2) + 1,
                    initialDelay: (options.retryInitialDelayMs ?? 1000) / 1000,
                    maxDelay: 8,
                    httpStatusCodes: GeminiRetriedStatuses,
                },
            },
        });
    }

    stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
        return withIdleGuard(request.signal, this.options.idleTimeoutMs ?? DefaultStreamIdleTimeoutMs, guard => this.streamGuarded(request, guard));
    }

    private async *streamGuarded(request: ModelRequest, guard: IdleGuard): AsyncIterable<ModelStreamEvent> {
        const context: ErrorContext = { vendor: this.vendor, keyVariable: this.options.keyVariable, apiKey: this.options.apiKey, signal: request.signal };
        // The SDK's ApiError drops the response headers; this per-request fetch keeps the last retry-after.
        const seen: { retryAfterMs?: number } = {};
        const inner = this.options.fetch ?? globalThis.fetch;
        const observingFetch: typeof fetch = async (input, init) => {
            const response = await inner(input, init);
            if (!response.ok) {
                seen.retryAfterMs = parseRetryAfter(response.headers);
            }
            return response;
        };
        let chunks: AsyncIterable<GenerateContentResponse>;
        try {
            chunks = await this.client.models.generateContentStream(toGeminiParams({ ...request, signal: guard.signal }, observingFetch));
        } catch (error) {
            throw guard.timedOut ? idleError(context, guard.idleMs) : fromGeminiError(error, context, false, seen.retryAfterMs);
        }

        let finishReason: FinishReason | undefined;
        let usage: GeminiUsageFields | undefined;
        let sawCall = false;
        let callCount = 0;
        try {
            for await (const chunk of chunks) {
                guard.touch();
                // usageMetadata is cumulative; the last one counts.
                if (chunk.usageMetadata) {
                    usage = chunk.usageMetadata;
                }
                const candidate = chunk.candidates?.[0];
                for (const part of candidate?.content?.parts ?? []) {
                    if (part.functionCall) {
                        sawCall = true;
                        const call: ToolCall = {
                            id: part.functionCall.id || `${LocalCallIdPrefix}${++callCount}`,
                            name: part.functionCall.name ?? '',
                            arguments: part.functionCall.args ?? {},
                            ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}),
                        };
                        if (!call.name) {
                            throw providerError('malformed-stream', context, 'sent a function call without a name');
                        }
                        yield { type: 'tool-call', call };
                    } else if (part.text) {
                        yield part.thought ? { type: 'reasoning-delta', text: part.text } : { type: 'text-delta', text: part.text };
                    }
                }
                if (candidate?.finishReason) {
                    finishReason = candidate.finishReason;
                }
            }
        } catch (error) {
            throw guard.timedOut ? idleError(context, guard.idleMs) : fromGeminiError(error, context, true, seen.retryAfterMs);
        }
        if (guard.timedOut) {
            throw idleError(context, guard.idleMs);
        }
        if (request.signal?.aborted) {
            throw abortReason(request.signal);
        }
        if (finishReason === undefined) {
            throw providerError('malformed-stream', context, 'stream ended before a finishReason');
        }
        if (usage === undefined) {
            throw providerError('malformed-stream', context, 'stream ended without usageMetadata');
        }
        yield { type: 'usage', usage: fromGeminiUsage(usage) };
        // Gemini reports STOP for a function-calling turn too; the calls decide.
        yield { type: 'done', stopReason: sawCall ? 'tool-use' : mapFinishReason(finishReason) };
    }
}

function mapFinishReason(reason: FinishReason): StopReason {
    switch (reason) {
        case FinishReason.STOP: return 'end';
        case FinishReason.MAX_TOKENS: return 'max-tokens';
        default: return 'other';
    }
}

/** Gemini's error body: `{ error: { code, message, status, details: [{ '@type': '...RetryInfo', retryDelay: '37s' }] } }`. */
interface GeminiErrorBody {
    error?: { message?: string; status?: string; details?: Array<{ '@type'?: string; retryDelay?: string; reason?: string }> };
}

function parseGeminiErrorBody(message: string): GeminiErrorBody | undefined {
    // The SDK puts the JSON body in the message, after "got status: X. " for in-stream errors.
    const start = message.indexOf('{');
    if (start < 0) {
        return undefined;
    }
    try {
        return JSON.parse(message.slice(start)) as GeminiErrorBody;
    } catch {
        return undefined;
    }
}

/** RetryInfo's `retryDelay` ("37s", "1.5s") in milliseconds. */
function retryDelayOf(body: GeminiErrorBody | undefined): number | undefined {
    const delay = body?.error?.details?.find(detail => detail['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
    const match = delay ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
    return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

function fromGeminiError(error: unknown, context: ErrorContext, streaming: boolean, headerRetryAfterMs: number | undefined): Error {
    if (context.signal?.aborted) {
        return abortReason(context.signal);
    }
    if (error instanceof ApiError) {
        const body = parseGeminiErrorBody(error.message);
        const vendorMessage = body?.error?.message ?? error.message;
        // The Gemini API answers a bad key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID, not with 401.
        if (body?.error?.details?.some(detail => detail.reason === 'API_KEY_INVALID') || body?.error?.status === 'UNAUTHENTICATED') {
            return providerError('auth', context, 'rejected the key', { status: error.status, vendorMessage });
        }
        // Gemini states the wait in the body (RetryInfo); a retry-after header, when a proxy adds one, counts too.
        return fromHttpStatus(context, error.status, vendorMessage, retryDelayOf(body) ?? headerRetryAfterMs);
    }
    const message = error instanceof Error ? `${error.message}${causeText(error)}` : String(error);
    return streaming
        ? providerError('malformed-stream', context, 'stream broke off', { transportMessage: message })
        : providerError('network', context, 'could not be reached', { transportMessage: message });
}

export function toGeminiParams(request: ModelRequest, fetchForRequest?: typeof fetch): GenerateContentParameters {
    return {
        model: request.model,
        contents: request.messages.map(toGeminiContent),
        config: {
            ...(request.system ? { systemInstruction: request.system } : {}),
            ...(request.maxTokens !== undefined ? { maxOutputTokens: request.maxTokens } : {}),
            ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
            ...(request.tools.length > 0 ? {
                tools: [{
                    functionDeclarations: request.tools.map(tool => ({
                        name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters,
                    })),
                }],
            } : {}),
            // We run the tools ourselves; the SDK must not call anything on its own.
            automaticFunctionCalling: { disable: true },
            ...(request.signal ? { abortSignal: request.signal } : {}),
            ...(fetchForRequest ? { httpOptions: { fetch: fetchForRequest } } : {}),
        },
    };
}

function toGeminiContent(message: ConversationMessage): Content {
    switch (message.role) {
        case 'user':
            return { role: 'user', parts: [{ text: message.text }] };
        case 'assistant': {
            const parts: Part[] = [];
            if (message.text) {
                parts.push({ text: message.text });
            }
            for (const call of message.toolCalls) {
                parts.push({
                    functionCall: { ...(call.id.startsWith(LocalCallIdPrefix) ? {} : { id: call.id }), name: call.name, args: call.arguments },
                    ...(call.signature ? { thoughtSignature: call.signature } : {}),
                });
            }
            return { role: 'model', parts };
        }
        case 'tool':
            return {
                role: 'user',
                parts: message.results.map(result => ({
                    functionResponse: {
                        ...(result.callId.startsWith(LocalCallIdPrefix) ? {} : { id: result.callId }),
                        name: result.name,
                        // Gemini wants an object; "output" / "error" are the keys its documentation uses.
                        response: result.isError ? { error: result.content } : { output: result.content },
                    },
                })),
            };
    }
}
