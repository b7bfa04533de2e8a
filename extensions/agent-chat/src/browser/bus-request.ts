/** What a message to `@Bus` asks for. */
export type BusRequest =
    | { readonly kind: 'send'; readonly to?: string; readonly topic?: string; readonly text: string }
    | { readonly kind: 'show' }
    | { readonly kind: 'help' };

/**
 * Reads a message to `@Bus` (without its `@Bus`): `<agent>: <text>` sends to one agent (its id or
 * name, any case), `topic <topic>: <text>` publishes on a topic, nothing (or `show`) lists the
 * latest messages, and anything else asks for the help. `agents` maps names and ids to ids.
 */
export function parseBusRequest(text: string, agents: readonly { readonly id: string; readonly name: string }[]): BusRequest {
    const trimmed = text.trim();
    if (trimmed === '' || /^show$/i.test(trimmed)) {
        return { kind: 'show' };
    }
    const topic = /^topic\s+([^\s:]+)\s*:\s*([\s\S]+)$/i.exec(trimmed);
    if (topic) {
        return { kind: 'send', topic: topic[1], text: topic[2].trim() };
    }
    const direct = /^@?([\w.-]+)\s*:\s*([\s\S]+)$/.exec(trimmed);
    const agent = direct && agents.find(a => a.id === direct[1].toLowerCase() || a.name.toLowerCase() === direct[1].toLowerCase());
    if (direct && agent) {
        return { kind: 'send', to: agent.id, text: direct[2].trim() };
    }
    return { kind: 'help' };
}
