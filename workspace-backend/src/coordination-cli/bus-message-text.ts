import { BusMessage } from './api-types';
import { clockTime } from './text-format';

/** `#7 10:41:02 gemini -> reviews: text`; a direct message names its recipient, a published one its topic. */
export function formatBusMessage(message: BusMessage): string {
    // Continuation lines are indented so every message starts a line with its #id.
    const text = message.text.replace(/\n/g, '\n    ');
    return `#${message.id} ${clockTime(message.at)} ${message.from} -> ${message.to ?? message.topic}: ${text}`;
}

/** `Sent message #5 to gemini.`, or `Published #6 on reviews to claude, gemini.`, or to no agent when nobody subscribes. */
export function formatSent(message: BusMessage): string {
    if (message.to !== undefined) {
        return `Sent message #${message.id} to ${message.to}.`;
    }
    const to = message.recipients.length > 0 ? message.recipients.join(', ') : `no agent (nobody subscribes to ${message.topic})`;
    return `Published #${message.id} on ${message.topic} to ${to}.`;
}
