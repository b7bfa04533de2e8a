import { setTimeout as sleep } from 'node:timers/promises';
import { ApiPath, BusMessage, BusMessagesAnswer } from './api-types';
import { StudioClient } from './studio-client';

export const PollIntervalMs = 1000;
/** How many earlier messages a subscription shows first, unless it starts from now. */
export const BacklogSize = 20;
const PageSize = 100;

export interface Subscription {
    /** A topic, `*` for all, or a prefix ending `/*`. */
    readonly topic: string;
    /** Start after the newest message instead of showing the last `BacklogSize` first. */
    readonly fromNow: boolean;
    /** End after this many messages. */
    readonly count?: number;
    /** Ends the subscription (Ctrl+C); the request or wait under way is abandoned. */
    readonly signal: AbortSignal;
    readonly pollIntervalMs?: number;
}

/**
 * Follows a topic by polling, handing each message to `show` once, oldest first. Invariant: `lastId` is
 * the id of the newest message shown (or skipped by --from-now; 0 while the topic has none), and every
 * poll asks only for later ones, so no message is shown twice; a full page is followed at once by the
 * next, so a burst is not left behind.
 * Resolves when `count` messages were shown; rejects with the abort error when `signal` ends it.
 */
export async function followTopic(studio: StudioClient, subscription: Subscription, show: (message: BusMessage) => void): Promise<void> {
    const { topic, count, signal } = subscription;
    // The polls have no time limit of their own: a subscription waits as long as it is left open.
    const poll = async (query: { after?: number; limit: number }) =>
        (await studio.get<BusMessagesAnswer>(ApiPath.busMessages, { query: { topic, ...query }, timeoutMs: null, signal })).messages;
    let shown = 0;
    let lastId = 0;
    /** Shows a page; true once `count` messages were shown. */
    const showAll = (messages: readonly BusMessage[]): boolean => {
        for (const message of messages) {
            if (count !== undefined && shown >= count) {
                return true;
            }
            show(message);
            shown++;
            lastId = Math.max(lastId, message.id);
        }
        return count !== undefined && shown >= count;
    };
    if (subscription.fromNow) {
        lastId = (await poll({ limit: 1 })).at(-1)?.id ?? 0;
    } else if (showAll(await poll({ limit: BacklogSize }))) {
        return;
    }
    for (;;) {
        await sleep(subscription.pollIntervalMs ?? PollIntervalMs, undefined, { signal });
        let page: readonly BusMessage[];
        do {
            // Until a message was seen there is no id to follow: the topic's latest page is then all new, and the API
            // is not asked for `after=0` (its numbers are positive).
            page = await poll(lastId > 0 ? { after: lastId, limit: PageSize } : { limit: PageSize });
            if (showAll(page)) {
                return;
            }
        } while (page.length >= PageSize);
    }
}
