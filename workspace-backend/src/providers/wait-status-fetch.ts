import { isWaitStatus } from './provider-error';

type Fetch = typeof fetch;

/**
 * Wraps `fetch` for the Anthropic and OpenAI SDKs (both Stainless-generated), so that they do
 * NOT retry "wait" responses (429, 529, 503) while still retrying 5xx and connection errors.
 *
 * Why: their retry loop retries 429 by default, sleeping for retry-after itself; the agent
 * would then hang silently inside the SDK instead of showing `waiting (rate limit)`. Their
 * retry decision is private, but both obey the `x-should-retry` response header first, so we
 * add `x-should-retry: false` to those responses. Everything else passes through untouched.
 */
export function noRetryOnWaitStatus(inner: Fetch = globalThis.fetch): Fetch {
    return async (input, init) => {
        const response = await inner(input, init);
        if (!isWaitStatus(response.status)) {
            return response;
        }
        const headers = new Headers(response.headers);
        headers.set('x-should-retry', 'false');
        return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    };
}
