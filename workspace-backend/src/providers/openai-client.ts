import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { StainlessErrorClasses } from './sdk-error-mapping';
import { noRetryOnWaitStatus } from './wait-status-fetch';

/** What both OpenAI providers (Chat Completions, Responses) need to reach their endpoint. */
export interface OpenAIClientOptions {
    /** 'openai' for Codex, 'moonshot' for Kimi (Chat Completions only): different endpoints and quirks. */
    readonly vendor: 'openai' | 'moonshot';
    readonly apiKey: string;
    readonly keyVariable: string;
    readonly baseUrl?: string;
    readonly maxRetries?: number;
    readonly idleTimeoutMs?: number;
    readonly fetch?: typeof fetch;
}

/** Passed explicitly so OPENAI_BASE_URL in the environment cannot redirect us silently. */
export const OpenAIDefaultBaseUrl = 'https://api.openai.com/v1';
export const MoonshotDefaultBaseUrl = 'https://api.moonshot.ai/v1';

export const OpenAIErrorClasses: StainlessErrorClasses = { APIError, APIConnectionError, APIUserAbortError };

/**
 * The OpenAI SDK client both providers use. Invariants: the SDK retries 5xx and connection
 * errors at most `maxRetries` times but never a "wait" status (noRetryOnWaitStatus), and
 * nothing but `options` configures it (no OPENAI_* variable is read from the environment).
 */
export function createOpenAIClient(options: OpenAIClientOptions): OpenAI {
    return new OpenAI({
        apiKey: options.apiKey,
        baseURL: options.baseUrl ?? (options.vendor === 'moonshot' ? MoonshotDefaultBaseUrl : OpenAIDefaultBaseUrl),
        // Explicit nulls: the SDK would otherwise read OPENAI_ORG_ID / OPENAI_PROJECT_ID and send them to Moonshot too.
        organization: null,
        project: null,
        maxRetries: options.maxRetries ?? 2,
        fetch: noRetryOnWaitStatus(options.fetch),
    });
}
