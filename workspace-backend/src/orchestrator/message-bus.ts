import { Disposable } from '../common/emitter';

export interface BusMessage {
    readonly id: number;
    /** `agent/<id>` for a direct message, else any topic name (`build`, `reviews`, ...). */
    readonly topic: string;
    /** An agent id, or `user`/`system`. */
    readonly from: string;
    readonly text: string;
    readonly at: number;
    /** Set for direct messages: the recipient agent. */
    readonly to?: string;
}

export const directTopic = (agentId: string): string => `agent/${agentId}`;

/**
 * Publish/subscribe over topics, in process and synchronous (a publish returns after every
 * subscriber has run), with one inbox per agent for direct messages. A subscriber may use
 * `*` for every topic or a prefix ending in `/*`.
 *
 * Invariant: a direct message to an agent is kept in its inbox until the agent's loop takes it
 * (`drainInbox`), so one sent while the agent is busy is read on its next model turn.
 */
export class MessageBus {
    protected readonly subscribers = new Map<string, Set<(message: BusMessage) => void>>();
    protected readonly inboxes = new Map<string, BusMessage[]>();
    protected nextId = 1;

    constructor(protected readonly now: () => number = Date.now, protected readonly onListenerError: (error: unknown) => void = () => undefined) { }

    subscribe(topic: string, listener: (message: BusMessage) => void): Disposable {
        let set = this.subscribers.get(topic);
        if (!set) {
            set = new Set();
            this.subscribers.set(topic, set);
        }
        set.add(listener);
        return { dispose: () => set.delete(listener) };
    }

    publish(topic: string, from: string, text: string, to?: string): BusMessage {
        const message: BusMessage = { id: this.nextId++, topic, from, text, at: this.now(), to };
        if (to !== undefined) {
            const inbox = this.inboxes.get(to) ?? [];
            inbox.push(message);
            this.inboxes.set(to, inbox);
        }
        this.deliver(topic, message);
        const slash = topic.lastIndexOf('/');
        if (slash > 0) {
            this.deliver(`${topic.slice(0, slash)}/*`, message);
        }
        if (topic !== '*') {
            this.deliver('*', message);
        }
        return message;
    }

    /** A direct message, kept in the recipient's inbox and published on `agent/<to>`. */
    send(from: string, to: string, text: string): BusMessage {
        return this.publish(directTopic(to), from, text, to);
    }

    /** Takes the agent's unread direct messages. */
    drainInbox(agentId: string): BusMessage[] {
        const inbox = this.inboxes.get(agentId) ?? [];
        this.inboxes.delete(agentId);
        return inbox;
    }

    peekInbox(agentId: string): readonly BusMessage[] {
        return this.inboxes.get(agentId) ?? [];
    }

    dispose(): void {
        this.subscribers.clear();
        this.inboxes.clear();
    }

    protected deliver(topic: string, message: BusMessage): void {
        for (const listener of [...this.subscribers.get(topic) ?? []]) {
            try {
                listener(message);
            } catch (error) {
                this.onListenerError(error);
            }
        }
    }
}
