import type { Vendor } from './model-provider';
import { adviceFor, kindForStatus, parseRetryAfter, ProviderError, ProviderErrorKind } from './provider-error';

const VendorNames: Readonly<Record<Vendor, string>> = {
    anthropic: 'Anthropic', google: 'Gemini', openai: 'OpenAI', moonshot: 'Moonshot',
};

export interface ErrorContext {
    readonly vendor: Vendor;
    readonly keyVariable: string;
    /** The key in use, masked out of every message. */
    readonly apiKey: string;
    readonly signal?: AbortSignal;
}

/** Builds the ProviderError with the project's message shape: what happened, what the vendor said, what to do. */
export function providerError(
    kind: ProviderErrorKind, context: ErrorContext, what: string,
    details: { status?: number; retryAfterMs?: number; vendorMessage?: string; transportMessage?: string } = {}
): ProviderError {
    const vendor = VendorNames[context.vendor];
    const status = details.status !== undefined ? ` (${details.status})` : '';
    const head = kind === 'auth'
        ? `${context.keyVariable} was rejected by ${vendor}${status}`
        : `${vendor} ${what}${status}`;
    const said = details.vendorMessage ? `; ${vendor} said: ${truncate(details.vendorMessage.replace(/\.$/, ''), 300)}` : '';
    const cause = details.transportMessage ? `; cause: ${truncate(details.transportMessage, 300)}` : '';
    return new ProviderError(kind, `${head}${said}${cause}; ${adviceFor(kind, context.keyVariable, details.retryAfterMs)}.`, {
        vendor: context.vendor, status: details.status, retryAfterMs: details.retryAfterMs,
        keyVariable: kind === 'auth' ? context.keyVariable : undefined,
    }, [context.apiKey]);
}

const statusWhat: Readonly<Record<ProviderErrorKind, string>> = {
    'rate-limit': 'rate limit reached',
    'overloaded': 'is overloaded',
    'auth': 'rejected the key',
    'server': 'server error',
    'network': 'could not be reached',
    'malformed-stream': 'stream broke off',
    'bad-request': 'refused the request',
};

/** Maps an HTTP failure to a ProviderError; `retryAfterMs` only for the kinds that mean "wait". */
export function fromHttpStatus(context: ErrorContext, status: number, vendorMessage: string | undefined, retryAfterMs: number | undefined): ProviderError {
    const kind = kindForStatus(status);
    const wait = kind === 'rate-limit' || kind === 'overloaded';
    return providerError(kind, context, statusWhat[kind], { status, vendorMessage, retryAfterMs: wait ? retryAfterMs : undefined });
}

/** The shape shared by the Anthropic and OpenAI SDKs' errors (both Stainless-generated). */
interface StainlessApiErrorLike {
    readonly status?: number;
    readonly headers?: Headers;
    readonly error?: unknown;
    readonly message: string;
}

/** The subset of an SDK module's error classes the mapper needs. */
export interface StainlessErrorClasses {
    readonly APIError: abstract new (...args: never[]) => Error;
    readonly APIConnectionError: abstract new (...args: never[]) => Error;
    readonly APIUserAbortError: abstract new (...args: never[]) => Error;
}

/** An in-stream error event's type (Anthropic `{"type":"error","error":{"type":"overloaded_error"}}`) to a kind. */
function kindForErrorType(type: string | undefined): ProviderErrorKind {
    switch (type) {
        case 'overloaded_error': return 'overloaded';
        case 'rate_limit_error': return 'rate-limit';
        case 'authentication_error': case 'permission_error': return 'auth';
        case 'invalid_request_error': case 'not_found_error': case 'request_too_large': return 'bad-request';
        default: return 'server';
    }
}

/**
 * OpenAI's error codes (the Responses API's `error` event and `response.error.code`, also sent by
 * Chat Completions) to a kind; undefined for codes that say nothing we act on (then the type decides).
 * The refusals (invalid input, image problems, policy violations) are about what we sent: retrying
 * the same request cannot help, so they are `bad-request`.
 */
function kindForErrorCode(code: string | undefined): ProviderErrorKind | undefined {
    if (code === 'rate_limit_exceeded') {
        return 'rate-limit';
    }
    if (code === 'server_error' || code === 'vector_store_timeout') {
        return 'server';
    }
    if (code === 'invalid_api_key') {
        return 'auth';
    }
    if (code && /^(invalid_|image_|context_length_|empty_image|failed_to_download_|unsupported_|data_residency_)|_policy(_violation)?$/.test(code)) {
        return 'bad-request';
    }
    return undefined;
}

/**
 * An error reported inside a 200 stream, in any of the shapes the vendors use: Anthropic's
 * `{type:'error', error:{type, message}}`, Chat Completions' `{error:{message, type, code}}`
 * (the SDK hands over the inner object), the Responses API's `error` event `{type:'error',
 * code, message}` and its failed response's `error: {code, message}`.
 */
export function fromStreamErrorBody(context: ErrorContext, body: unknown, fallbackMessage?: string): ProviderError {
    const outer = body as { error?: unknown } | null | undefined;
    const inner = (typeof outer?.error === 'object' && outer.error !== null ? outer.error : outer) as { type?: unknown; code?: unknown } | null | undefined;
    const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
    const kind = kindForErrorCode(text(inner?.code)) ?? kindForErrorType(text(inner?.type));
    return providerError(kind, context, `reported an error inside the stream (${kind})`, { vendorMessage: vendorMessageOf(body) ?? fallbackMessage });
}

function vendorMessageOf(error: unknown): string | undefined {
    const body = error as { error?: { message?: unknown }; message?: unknown } | undefined;
    const message = body?.error?.message ?? body?.message;
    return typeof message === 'string' ? message : undefined;
}

/**
 * Maps whatever an Anthropic/OpenAI SDK call or its stream threw. `streaming` says whether the
 * response had already started: a transport failure then means a cut stream, not an unreachable host.
 * An abort is returned as the signal's reason, never as a ProviderError.
 */
export function fromStainlessError(error: unknown, classes: StainlessErrorClasses, context: ErrorContext, streaming: boolean): Error {
    if (error instanceof ProviderError) {
        return error;
    }
    if (context.signal?.aborted) {
        return abortReason(context.signal);
    }
    if (error instanceof classes.APIUserAbortError) {
        return error;
    }
    if (error instanceof classes.APIConnectionError) {
        return streaming
            ? providerError('malformed-stream', context, 'stream broke off', { transportMessage: `${error.message}${causeText(error)}` })
            : providerError('network', context, 'could not be reached', { transportMessage: `${error.message}${causeText(error)}` });
    }
    if (error instanceof classes.APIError) {
        const apiError = error as unknown as StainlessApiErrorLike;
        if (typeof apiError.status === 'number') {
            return fromHttpStatus(context, apiError.status, vendorMessageOf(apiError.error) ?? apiError.message, parseRetryAfter(apiError.headers));
        }
        // No status: an error event inside a 200 stream.
        return fromStreamErrorBody(context, apiError.error, apiError.message);
    }
    // Anything else thrown while reading the body (undici's "terminated", a SyntaxError from bad JSON) is a broken stream.
    const message = error instanceof Error ? `${error.message}${causeText(error)}` : String(error);
    return streaming
        ? providerError('malformed-stream', context, 'stream broke off', { transportMessage: message })
        : providerError('network', context, 'could not be reached', { transportMessage: message });
}

/** The stream went silent (see idle-guard.ts). */
export function idleError(context: ErrorContext, idleMs: number): ProviderError {
    return providerError('malformed-stream', context, `sent nothing for ${idleMs} ms; the stream was abandoned`);
}

export function abortReason(signal: AbortSignal): Error {
    return signal.reason instanceof Error ? signal.reason : new DOMException('The model request was aborted.', 'AbortError');
}

export function causeText(error: Error): string {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? ` (${cause.message})` : '';
}

function truncate(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Parses a tool call's streamed JSON arguments; the empty string is "no arguments". */
export function parseToolArguments(json: string, context: ErrorContext, toolName: string): Record<string, unknown> {
    if (json.trim() === '') {
        return {};
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(json);
    } catch {
        throw providerError('malformed-stream', context, `sent arguments for tool ${toolName} that are not valid JSON`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw providerError('malformed-stream', context, `sent arguments for tool ${toolName} that are not a JSON object`);
    }
    return parsed as Record<string, unknown>;
}
