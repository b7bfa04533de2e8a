import { maskSecrets } from '../policy/secrets';
import type { Vendor } from './model-provider';

/**
 * What went wrong, in the terms the orchestrator acts on:
 *  - `rate-limit`, `overloaded`: wait (`retryAfterMs` when the vendor said how long) and try again;
 *    the agent shows as `waiting (rate limit)`. The SDKs are told not to retry these themselves.
 *  - `auth`: the key is missing or rejected; `keyVariable` names the variable to fix.
 *  - `server`, `network`: the SDK already retried (bounded); the orchestrator may retry later.
 *  - `malformed-stream`: the stream was cut or unparseable; the turn is lost, retry it whole.
 *  - `bad-request`: our request was refused (4xx); retrying the same request will not help.
 */
export type ProviderErrorKind = 'rate-limit' | 'overloaded' | 'auth' | 'server' | 'network' | 'malformed-stream' | 'bad-request';

export interface ProviderErrorOptions {
    readonly vendor: Vendor;
    readonly status?: number;
    readonly retryAfterMs?: number;
    readonly keyVariable?: string;
}

/**
 * The one error type providers throw. Invariant: `message` never contains an API key; every
 * message is built through `maskSecrets`, and the vendor SDK's error is not kept as `cause`
 * (its message may echo the key, e.g. OpenAI's "Incorrect API key provided: ...").
 */
export class ProviderError extends Error {
    readonly vendor: Vendor;
    readonly status?: number;
    readonly retryAfterMs?: number;
    readonly keyVariable?: string;

    constructor(readonly kind: ProviderErrorKind, message: string, options: ProviderErrorOptions, secrets: readonly string[] = []) {
        super(maskSecrets(message, secrets));
        this.name = 'ProviderError';
        this.vendor = options.vendor;
        this.status = options.status;
        this.retryAfterMs = options.retryAfterMs;
        this.keyVariable = options.keyVariable;
    }

    /** True when the right reaction is to wait and send the same request again. */
    get isWait(): boolean {
        return this.kind === 'rate-limit' || this.kind === 'overloaded';
    }
}


/** Milliseconds from `retry-after-ms`, or `retry-after` (seconds or an HTTP date); undefined when absent or unusable. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now: number = Date.now()): number | undefined {
    if (!headers) {
        return undefined;
    }
    const ms = headers.get('retry-after-ms');
    if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) {
        return Math.round(Number(ms));
    }
    const value = headers.get('retry-after');
    if (value === null || value.trim() === '') {
        return undefined;
    }
    const seconds = Number(value);
    if (Number.isFinite(seconds)) {
        return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
    }
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The HTTP statuses that mean "wait", which the SDKs must not retry on their own: 429 (rate
 * limit), 529 (Anthropic overloaded) and 503 (Gemini's and OpenAI's "overloaded, try later").
 */
export function isWaitStatus(status: number): boolean {
    return status === 429 || status === 529 || status === 503;
}

export function kindForStatus(status: number): ProviderErrorKind {
    if (status === 429) {
        return 'rate-limit';
    }
    if (status === 529 || status === 503) {
        return 'overloaded';
    }
    if (status === 401 || status === 403) {
        return 'auth';
    }
    if (status >= 500) {
        return 'server';
    }
    return 'bad-request';
}

/** What to tell the user to do, per kind; appended to every provider error message. */
export function adviceFor(kind: ProviderErrorKind, keyVariable: string, retryAfterMs?: number): string {
    switch (kind) {
        case 'rate-limit':
        case 'overloaded':
            return retryAfterMs !== undefined ? `wait ${Math.ceil(retryAfterMs / 1000)} s and retry` : 'wait and retry';
        case 'auth':
            return `set a valid key in ${keyVariable}`;
        case 'server':
            return 'the vendor failed after retries; retry later or check the vendor status page';
        case 'network':
            return 'check the network and the configured base URL';
        case 'malformed-stream':
            return 'the turn was lost; retry it';
        case 'bad-request':
            return 'the request was refused; check the model name and the conversation sent';
    }
}
