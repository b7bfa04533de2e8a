/**
 * Whether a subscription `pattern` takes messages on `topic`: the topic itself, `*` for every
 * topic, or a prefix ending in `/*` for the topics below it (`reviews/*` takes `reviews/src`, not
 * `reviews`). The one rule for the bus's listeners and for agents' subscriptions.
 */
export function topicMatches(pattern: string, topic: string): boolean {
    if (pattern === '*' || pattern === topic) {
        return true;
    }
    return pattern.endsWith('/*') && topic.startsWith(pattern.slice(0, -1));
}

/** A topic a message can be published on: no spaces or control characters, no wildcard, at most 128 characters. */
export const TOPIC = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/** A subscription: a topic, `*`, or a topic prefix ending in `/*`. */
export function isTopicPattern(pattern: string): boolean {
    return pattern === '*' || (pattern.length <= 128 && TOPIC.test(pattern.endsWith('/*') ? pattern.slice(0, -2) : pattern));
}
