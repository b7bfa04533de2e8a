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

/**
 * The agents whose process always runs (the vendor agents), one row each: name, vendor and model,
 * state with its codicon, and what to do about a missing key. The role agents (processes on
 * demand) share one row after them: they use the same vendors' keys, so the rows above are where
 * a key is added.
 */
export function WelcomeAgentList({ agents, error, keyAction, addKey }: WelcomeAgentListProps): React.ReactElement {
    if (error) {
        return <p className='coditect-welcome-note'>{nls.localize('coditect/welcome/agents-unreadable', 'The agents could not be read: {0}', error)}</p>;
    }
    if (agents.length === 0) {
        return <p className='coditect-welcome-note'>{nls.localize('coditect/welcome/agents-loading', 'Reading the agents…')}</p>;
    }
    const roleAgents = agents.filter(agent => agent.process === 'on-demand');
    return <ul className='coditect-welcome-agents'>
        {agents.filter(agent => agent.process !== 'on-demand').map(agent => {
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
        {roleAgents.length > 0 && <RoleAgentsRow agents={roleAgents} />}
    </ul>;
}

function RoleAgentsRow({ agents }: { readonly agents: readonly AgentSnapshot[] }): React.ReactElement {
    return <li className='coditect-welcome-role-agents'>
        <span className='coditect-welcome-agent-name'>{nls.localize('coditect/welcome/role-agents', 'Role agents')}</span>
        <span className='coditect-welcome-role-agent-list'>
            {agents.map(agent => <span key={agent.id} className={`coditect-welcome-role-agent coditect-welcome-state-${agent.state}`} data-agent-id={agent.id}
                title={`${agent.description ?? ''}\n${agent.vendor} · ${agent.model} · ${AgentStateLabels.name(agent.state)}`.trim()}>
                <i className={AgentStateLabels.iconClass(agent.state)} />@{agent.name}
            </span>)}
        </span>
        <span className='coditect-welcome-role-note'>
            {nls.localize('coditect/welcome/role-agents-note', 'One job each; each starts for a task and uses its vendor\'s key above.')}
        </span>
    </li>;
}
