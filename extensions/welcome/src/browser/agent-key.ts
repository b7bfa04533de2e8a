import { AgentSnapshot } from '../common/welcome-agents-protocol';

/** A key variable named as missing in an agent's error: `ANTHROPIC_API_KEY is not set in …` (providers/provider-config.ts). */
const MissingKeyError = /\b[A-Z][A-Z0-9_]*_KEY is not set\b/;

/**
 * Whether an agent waits for its provider key. The core's `needs-key` state says so; a core
 * without that state reports the same as `error` with a message naming the missing variable.
 * The one place that decides it: when every core has `needs-key`, only its first test stays.
 */
export function needsKey(agent: Pick<AgentSnapshot, 'state' | 'lastError'>): boolean {
    return (agent.state as string) === 'needs-key' || (agent.state === 'error' && MissingKeyError.test(agent.lastError ?? ''));
}

/** What the welcome page offers for an agent without a key: the Add key action, or who can add one. */
export type AgentKeyAction = 'add-key' | 'ask-admin';
