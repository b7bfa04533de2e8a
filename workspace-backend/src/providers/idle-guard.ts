/**
 * Bounds the silence of a stream: if nothing arrives for `idleMs` (from the request until the
 * headers, then between events), the request is aborted and `timedOut` is set, so the provider
 * reports `malformed-stream` instead of waiting. Without it a connection that stays open but
 * stops sending would hang the agent: the Stainless SDKs only time out after 10 minutes and
 * the Gemini SDK never does.
 *
 * The default is generous because reasoning models can think for minutes before their first
 * token and Chat Completions sends no keep-alive meanwhile (Anthropic sends `ping` events).
 */
export const DefaultStreamIdleTimeoutMs = 300_000;

export class IdleGuard {
    private readonly controller = new AbortController();
    private timer: NodeJS.Timeout | undefined;
    private timedOutFlag = false;
    /** Aborts when the caller aborts or the stream goes idle; give this to the SDK. */
    readonly signal: AbortSignal;

    constructor(callerSignal: AbortSignal | undefined, readonly idleMs: number = DefaultStreamIdleTimeoutMs) {
        this.signal = callerSignal ? AbortSignal.any([callerSignal, this.controller.signal]) : this.controller.signal;
        this.touch();
    }

    get timedOut(): boolean {
        return this.timedOutFlag;
    }

    /** Something arrived: restart the clock. */
    touch(): void {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
            this.timedOutFlag = true;
            this.controller.abort(new Error(`no data for ${this.idleMs} ms`));
        }, this.idleMs);
        this.timer.unref();
    }

    dispose(): void {
        clearTimeout(this.timer);
    }
}

/**
 * Runs a provider's stream under an idle guard that lives exactly as long as the stream: created
 * before the request is sent, disposed however the consumer stops (end, error, or break).
 */
export async function* withIdleGuard<T>(signal: AbortSignal | undefined, idleMs: number, body: (guard: IdleGuard) => AsyncIterable<T>): AsyncIterable<T> {
    const guard = new IdleGuard(signal, idleMs);
    try {
        yield* body(guard);
    } finally {
        guard.dispose();
    }
}
