import { AgentSnapshot } from '../common/welcome-agents-protocol';

/** Whether an agent waits for its provider key (the core's `needs-key`: none is set, or its vendor refused it). */
export function needsKey(agent: Pick<AgentSnapshot, 'state'>): boolean {
    return agent.state === 'needs-key';
}

/** What the welcome page offers for an agent without a key: the Add key action, or who can add one. */
export type AgentKeyAction = 'add-key' | 'ask-admin';
