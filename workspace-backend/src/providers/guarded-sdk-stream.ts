import type { IdleGuard } from './idle-guard';
import { ErrorContext, fromStainlessError, idleError, StainlessErrorClasses } from './sdk-error-mapping';

/**
 * The events of one streaming call of a Stainless SDK (Anthropic, OpenAI), with the failure
 * handling every such provider needs in one place:
 *  - `open` gets the guard's signal, so silence (idle-guard.ts) and the caller's abort both stop it;
 *  - every event restarts the idle clock;
 *  - whatever the call or the reading throws becomes a ProviderError (a failure before the
 *    response started is `network`, after it a broken stream), an idle abort `malformed-stream`,
 *    and a caller's abort the signal's reason;
 *  - the SDKs end iteration quietly when aborted, so after the last event we check why it ended.
 * It only ends normally when the body ended; whether the vendor's stream was whole (its
 * terminal event arrived) is for the caller to check, since each protocol proves it differently.
 */
export async function* guardedSdkStream<T>(
    open: (signal: AbortSignal) => Promise<AsyncIterable<T>>, guard: IdleGuard, classes: StainlessErrorClasses, context: ErrorContext
): AsyncGenerator<T> {
    let events: AsyncIterable<T>;
    try {
        events = await open(guard.signal);
    } catch (error) {
        throw guard.timedOut ? idleError(context, guard.idleMs) : fromStainlessError(error, classes, context, false);
    }
    try {
        for await (const event of events) {
            guard.touch();
            yield event;
        }
    } catch (error) {
        throw guard.timedOut ? idleError(context, guard.idleMs) : fromStainlessError(error, classes, context, true);
    }
    if (guard.timedOut) {
        throw idleError(context, guard.idleMs);
    }
    if (context.signal?.aborted) {
        throw fromStainlessError(undefined, classes, context, true);
    }
}
