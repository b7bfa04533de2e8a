import { Disposable, Emitter, Event } from '../common/emitter';
import { BusMessage, BusStore } from './bus-store';
import { isTopicPattern, TOPIC, topicMatches } from './topic-pattern';

export type { BusMessage } from './bus-store';

export const directTopic = (agentId: string): string => `agent/${agentId}`;

/** A message that cannot be published (a bad topic, an empty or oversized text): says what was wrong. */
export class BusMessageError extends Error {
    readonly status = 400;
    constructor(message: string) {
        super(message);
        this.name = 'BusMessageError';
    }
}

/** Messages read by one turn of an agent. */
export interface BusDelivery {
    readonly agentId: string;
    readonly messages: readonly BusMessage[];
    readonly at: number;
}

/** The longest message text the bus takes: a message is a note to another agent, not a file. */
export const MaxBusMessageLength = 32_000;

/**
 * The workspace's message bus: messages on topics and to single agents, persisted in agents.db
 * with a delivery per recipient agent (BusStore), and heard at once by in-process listeners (the
 * UI's event stream). A subscriber may use `*` for every topic or a prefix ending in `/*`.
 *
 * Invariants:
 * - A message is committed, with a pending delivery to each recipient (the direct recipient, or the
 *   agents whose definitions subscribe to its topic, never the sender), before any listener hears
 *   it, so one sent while an agent is busy, or before a restart, is read on its next turn.
 * - `deliver` hands an agent each pending message once, to one task's turn; `acknowledge` and
 *   `redeliver` settle those deliveries when that task goes on or stops.
 */
export class MessageBus {
    protected readonly listeners = new Set<{ readonly pattern: string; readonly listener: (message: BusMessage) => void }>();
    protected readonly deliveries = new Emitter<BusDelivery>();
    /** Messages handed to an agent's turn (`deliver`), with when: what the delivery-latency metrics measure. */
    readonly onDelivery: Event<BusDelivery> = this.deliveries.event;

    /** `subscribersOf` gives the agents whose definitions subscribe to a topic. */
    constructor(
        protected readonly store: BusStore,
        protected readonly subscribersOf: (topic: string) => readonly string[] = () => [],
        protected readonly now: () => number = Date.now,
        protected readonly onListenerError: (error: unknown) => void = () => undefined,
    ) { }

    subscribe(pattern: string, listener: (message: BusMessage) => void): Disposable {
        const entry = { pattern, listener };
        this.listeners.add(entry);
        return { dispose: () => this.listeners.delete(entry) };
    }

    publish(topic: string, from: string, text: string, to?: string): BusMessage {
        if (!TOPIC.test(topic) || topic.length > 128) {
            throw new BusMessageError(`"${topic}" is not a topic: use letters, digits, ".", "_" or "-", in parts separated by "/" (for example "reviews" or "build/web"), at most 128 characters.`);
        }
        if (typeof text !== 'string' || text.trim() === '') {
            throw new BusMessageError('The message is empty: write what the recipients should read.');
        }
        if (text.length > MaxBusMessageLength) {
            throw new BusMessageError(`The message has ${text.length} characters, more than the bus takes (${MaxBusMessageLength}); put the details in a file and send its path.`);
        }
        const recipients = to !== undefined ? [to] : this.subscribersOf(topic).filter(agentId => agentId !== from);
        const message = this.store.insert({ topic, from, text, at: this.now(), ...(to !== undefined ? { to } : {}), recipients });
        for (const { pattern, listener } of [...this.listeners]) {
            if (topicMatches(pattern, topic)) {
                try {
                    listener(message);
                } catch (error) {
                    this.onListenerError(error);
                }
            }
        }
        return message;
    }

    /** A direct message, delivered to `to` and published on `agent/<to>`. */
    send(from: string, to: string, text: string): BusMessage {
        return this.publish(directTopic(to), from, text, to);
    }

    /** Hands the agent its unread messages for a turn of `taskId` (each message once). */
    deliver(agentId: string, taskId?: number): BusMessage[] {
        const at = this.now();
        const messages = this.store.deliver(agentId, taskId, at);
        if (messages.length > 0) {
            this.deliveries.fire({ agentId, messages, at });
        }
        return messages;
    }

    /** The agent's messages no turn has read yet. */
    pending(agentId: string): readonly BusMessage[] {
        return this.store.pending(agentId);
    }

    /** `taskId` went on past the turns that read its messages. */
    acknowledge(agentId: string, taskId: number): void {
        this.store.acknowledge(agentId, taskId, this.now());
    }

    /** `taskId` stopped before it went on: what its turns read is the agent's to read again. */
    redeliver(agentId: string, taskId: number): void {
        this.store.redeliver(agentId, taskId);
    }

    /** At start: deliveries to tasks a dead backend was running are pending again. */
    recoverInterrupted(): number {
        return this.store.redeliver();
    }

    /** The latest messages, or those after `afterId`, on the topics `topic` matches (default all), oldest first. */
    recent(limit?: number, query: { readonly topic?: string; readonly afterId?: number } = {}): BusMessage[] {
        if (query.topic !== undefined && !isTopicPattern(query.topic)) {
            throw new BusMessageError(`"${query.topic.slice(0, 80)}" is not a topic to follow: use a topic ("reviews"), a prefix ending in "/*" ("build/*") or "*" (all).`);
        }
        return this.store.recent(limit, query);
    }

    dispose(): void {
        this.listeners.clear();
        this.deliveries.dispose();
    }
}
