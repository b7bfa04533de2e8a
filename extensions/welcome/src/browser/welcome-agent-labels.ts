import { nls } from '@theia/core/lib/common/nls';
import type { AgentState } from '@coditect/agent-activity/common';
import { AgentSnapshot } from '../common/welcome-agents-protocol';

type ShownState = AgentState;

/** The codicon of each state, as the agent activity panel shows it; a missing key is a key. */
const StateIcon: Record<ShownState, string> = {
    idle: 'circle-outline',
    loading: 'loading',
    executing: 'play-circle',
    waiting: 'watch',
    error: 'error',
    paused: 'debug-pause',
    stopped: 'circle-slash',
    'needs-key': 'key',
};

/** How an agent's state reads on the welcome page: its name and codicon. */
export namespace WelcomeAgentLabels {
    export function shownState(agent: Pick<AgentSnapshot, 'state'>): ShownState {
        return agent.state;
    }

    export function stateLabel(state: ShownState): string {
        return state === 'needs-key' ? nls.localize('coditect/welcome/state-needs-key', 'needs key') : state;
    }

    export function stateIcon(state: ShownState): string {
        return StateIcon[state] ?? 'question';
    }
}
