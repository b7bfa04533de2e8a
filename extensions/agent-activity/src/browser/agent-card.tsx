import * as React from '@theia/core/shared/react';
import { codicon } from '@theia/core/lib/browser';
import { nls } from '@theia/core/lib/common/nls';
import { AgentStateLabels } from '../common/agent-state-labels';
import { AgentSnapshot } from '../common/orchestrator-protocol';
import { AgentLabels } from './agent-labels';

const K = 'coditect/agent-activity/';

export interface AgentCardProps {
    readonly agent: AgentSnapshot;
    onRevealTask(taskId: number): void;
    onRevealAgent(agentId: string): void;
    onSubmitTask(agentId: string): void;
    /** Whether this person may set provider keys (an admin); others are told to ask one. */
    readonly canSetKey: boolean;
    onSetKey(agentId: string): void;
}

/** One agent, live: state, current task and step, what it waits on, locks held, tokens. */
export function AgentCard({ agent, onRevealTask, onRevealAgent, onSubmitTask, canSetKey, onSetKey }: AgentCardProps): React.ReactElement {
    const task = agent.currentTask;
    return <div className={`coditect-agent-card coditect-agent-${agent.state}`} data-agent-id={agent.id}>
        <div className='coditect-agent-header'>
            <span className={codicon('hubot')} />
            <span className='coditect-agent-name'>{agent.name}</span>
            <span className={`coditect-agent-state coditect-state-${agent.state}`} title={nls.localize(`${K}state-since`, 'since {0}', AgentLabels.time(agent.stateSince))}>
                <span className={AgentStateLabels.iconClass(agent.state)} /> {AgentStateLabels.name(agent.state)}
            </span>
        </div>
        <div className='coditect-agent-model'>{agent.vendor} · {agent.model}</div>
        {agent.description && !task && <div className='coditect-agent-description'>{agent.description}</div>}
        {task && <div className='coditect-agent-task' title={`${task.title}\n${nls.localize(`${K}task-tooltip`, '(click: show it on the Session Timeline)')}`}
            onClick={() => onRevealTask(task.id)}>
            {nls.localize(`${K}current-task`, 'Task #{0} · step {1}: {2}', task.id, task.step, AgentLabels.shorten(task.title, 70))}
            {task.attempt > 1 ? nls.localize(`${K}attempt`, ' · attempt {0}', task.attempt) : ''}
        </div>}
        {agent.waitingOn && <div className='coditect-agent-waiting'><span className={codicon('watch')} /> {agent.waitingOn.message}</div>}
        {agent.locksHeld.length > 0 && <div className='coditect-agent-locks'>
            <span className={codicon('lock')} /> {agent.locksHeld.map(l => `${l.path || nls.localize(`${K}workspace`, '(workspace)')}${l.mode === 'shared' ? nls.localize(`${K}read`, ' (read)') : ''}`).join(', ')}
        </div>}
        {agent.state === 'needs-key' && <NeedsKey agent={agent} canSetKey={canSetKey} onSetKey={onSetKey} />}
        {agent.state === 'error' && agent.lastError && <div className='coditect-agent-error'><span className={codicon('error')} /> {agent.lastError}</div>}
        {agent.definitionError && <div className='coditect-agent-error'><span className={codicon('warning')} /> {agent.definitionFile}: {agent.definitionError}</div>}
        <div className='coditect-agent-footer'>
            <span title={nls.localize(`${K}tokens-tooltip`, 'Tokens used by this agent')}>{nls.localize(`${K}tokens`, '{0} tokens', AgentLabels.tokens(agent.tokensUsed))}</span>
            <span title={nls.localize(`${K}queued-tooltip`, 'Tasks waiting in its queue')}>{nls.localize(`${K}queued`, '{0} queued', agent.queued)}</span>
            {agent.restarts > 0 && <span title={nls.localize(`${K}restarts-tooltip`, 'Restarts after a crash or hang')}>{nls.localize(`${K}restarts`, '{0} restarts', agent.restarts)}</span>}
            <a className='coditect-agent-timeline' title={nls.localize(`${K}timeline-tooltip`, '{0}\'s events on the Session Timeline', agent.name)}
                onClick={() => onRevealAgent(agent.id)}><span className={codicon('history')} /> {nls.localize(`${K}timeline`, 'Timeline')}</a>
            <a className='coditect-agent-submit' onClick={() => onSubmitTask(agent.id)}>{nls.localize(`${K}submit-task`, 'Submit task…')}</a>
        </div>
    </div>;
}

/** Why the agent needs a key, and the way to give it one: the button for an admin, whom to ask for anyone else. */
function NeedsKey({ agent, canSetKey, onSetKey }: Pick<AgentCardProps, 'agent' | 'canSetKey' | 'onSetKey'>): React.ReactElement {
    return <div className='coditect-agent-key-needed' title={agent.lastError}>
        <span className='coditect-agent-key-reason'>
            <span className={codicon('key')} /> {AgentLabels.firstSentence(agent.lastError ?? nls.localize(`${K}key-missing`, '{0} is not set.', agent.keyVariable))}
        </span>
        {canSetKey
            ? <button className='theia-button coditect-agent-add-key' onClick={() => onSetKey(agent.id)}>{nls.localize(`${K}add-key`, 'Add key')}</button>
            : <div className='coditect-agent-ask-admin'>{nls.localize(`${K}ask-admin`, 'A workspace admin can add the key ({0}).', agent.keyVariable)}</div>}
    </div>;
}
