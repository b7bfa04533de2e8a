import * as React from '@theia/core/shared/react';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { nls } from '@theia/core/lib/common/nls';
import { AgentSnapshot } from '../common/welcome-agents-protocol';
import { AgentStateLabels } from '@coditect/agent-activity/common';
import { AgentKeyAction } from './welcome-model';

export interface WelcomeAgentListProps {
    readonly agents: readonly AgentSnapshot[];
    readonly error: string | undefined;
    keyAction(agent: AgentSnapshot): AgentKeyAction | undefined;
    addKey(agentId: string): void;
}

/** The agents, one row each: name, vendor and model, state with its codicon, and what to do about a missing key. */
export function WelcomeAgentList({ agents, error, keyAction, addKey }: WelcomeAgentListProps): React.ReactElement {
    if (error) {
        return <p className='coditect-welcome-note'>{nls.localize('coditect/welcome/agents-unreadable', 'The agents could not be read: {0}', error)}</p>;
    }
    if (agents.length === 0) {
        return <p className='coditect-welcome-note'>{nls.localize('coditect/welcome/agents-loading', 'Reading the agents…')}</p>;
    }
    return <ul className='coditect-welcome-agents'>
        {agents.map(agent => {
            const state = agent.state;
            const action = keyAction(agent);
            return <li key={agent.id} className={`coditect-welcome-agent coditect-welcome-state-${state}`} data-agent-id={agent.id}>
                <span className='coditect-welcome-agent-name'>{agent.name}</span>
                <span className='coditect-welcome-agent-model'>{`${agent.vendor} · ${agent.model}`}</span>
                <span className='coditect-welcome-agent-state' title={agent.lastError ?? ''}>
                    <i className={AgentStateLabels.iconClass(state)} />{AgentStateLabels.name(state)}
                </span>
                {action === 'add-key' && <button className='theia-button coditect-welcome-add-key' onClick={() => addKey(agent.id)}>
                    <i className={codicon('key')} />{nls.localize('coditect/welcome/add-key', 'Add key')}
                </button>}
                {action === 'ask-admin' && <span className='coditect-welcome-ask-admin'>
                    {nls.localize('coditect/welcome/ask-admin', 'A workspace admin can add this key')}
                </span>}
            </li>;
        })}
    </ul>;
}
