import { AgentState } from './orchestrator-protocol';

/** How an agent's state reads wherever it is shown (the agent cards, the welcome page): its codicon, in CSS classes, and its words. */
export namespace AgentStateLabels {
    const Icon: Record<AgentState, string> = {
        idle: 'codicon-circle-outline',
        loading: 'codicon-loading codicon-modifier-spin',
        executing: 'codicon-play-circle',
        waiting: 'codicon-watch',
        'needs-key': 'codicon-key',
        error: 'codicon-error',
        paused: 'codicon-debug-pause',
        stopped: 'codicon-circle-slash',
    };

    /** The CSS classes of the state's codicon ("codicon codicon-key"). */
    export function iconClass(state: AgentState): string {
        return `codicon ${Icon[state] ?? 'codicon-question'}`;
    }

    /** A state as words: `needs-key` reads "needs key". */
    export function name(state: AgentState): string {
        return state.replace('-', ' ');
    }
}
