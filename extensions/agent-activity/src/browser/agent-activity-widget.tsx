import * as React from '@theia/core/shared/react';
import { codicon, ReactWidget } from '@theia/core/lib/browser';
import { CommandService } from '@theia/core/lib/common/command';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { AgentSnapshot } from '../common/orchestrator-protocol';
import { AgentActivityCommands } from './agent-activity-commands';
import { AgentLabels } from './agent-labels';
import { OrchestratorWatcher } from './orchestrator-watcher';

/** One card per agent, live: state, current task and step, what it waits on, locks held, tokens. */
@injectable()
export class AgentActivityWidget extends ReactWidget {
    static readonly ID = 'coditect-agent-activity';
    static readonly LABEL = 'Agents';

    @inject(OrchestratorWatcher)
    protected readonly watcher: OrchestratorWatcher;

    @inject(CommandService)
    protected readonly commands: CommandService;

    @postConstruct()
    protected init(): void {
        this.id = AgentActivityWidget.ID;
        this.title.label = AgentActivityWidget.LABEL;
        this.title.caption = 'Agent Activity: what every agent is doing now';
        this.title.iconClass = codicon('hubot');
        this.title.closable = true;
        this.addClass('coditect-agent-activity');
        this.toDispose.push(this.watcher.onDidChange(() => this.update()));
        this.watcher.start().then(() => this.update());
    }

    protected render(): React.ReactNode {
        if (this.watcher.error) {
            return <div className='theia-widget-noInfo'>The agents could not be loaded: {this.watcher.error}</div>;
        }
        if (!this.watcher.agents.length) {
            return <div className='theia-widget-noInfo'>No agents yet. Agents are defined by the files in .coditect/agents/ of the workspace.</div>;
        }
        return <div className='coditect-agent-cards'>{this.watcher.agents.map(agent => this.renderCard(agent))}</div>;
    }

    protected renderCard(agent: AgentSnapshot): React.ReactNode {
        const task = agent.currentTask;
        return <div key={agent.id} className={`coditect-agent-card coditect-agent-${agent.state}`} data-agent-id={agent.id}>
            <div className='coditect-agent-header'>
                <span className={codicon('hubot')} />
                <span className='coditect-agent-name'>{agent.name}</span>
                <span className={`coditect-agent-state coditect-state-${agent.state}`} title={`since ${AgentLabels.time(agent.stateSince)}`}>
                    <span className={`codicon ${AgentLabels.stateIcon[agent.state]}`} /> {agent.state}
                </span>
            </div>
            <div className='coditect-agent-model'>{agent.vendor} · {agent.model}</div>
            {task && <div className='coditect-agent-task' title={`${task.title}\n(click: show it on the Session Timeline)`}
                onClick={() => this.commands.executeCommand(AgentActivityCommands.TIMELINE_REVEAL_TASK, { taskId: task.id })}>
                Task #{task.id} · step {task.step}: {AgentLabels.shorten(task.title, 70)}{task.attempt > 1 ? ` · attempt ${task.attempt}` : ''}
            </div>}
            {agent.waitingOn && <div className='coditect-agent-waiting'><span className={codicon('watch')} /> {agent.waitingOn.message}</div>}
            {agent.locksHeld.length > 0 && <div className='coditect-agent-locks'>
                <span className={codicon('lock')} /> {agent.locksHeld.map(l => `${l.path || '(workspace)'}${l.mode === 'shared' ? ' (read)' : ''}`).join(', ')}
            </div>}
            {agent.state === 'error' && agent.lastError && <div className='coditect-agent-error'><span className={codicon('error')} /> {agent.lastError}</div>}
            {agent.definitionError && <div className='coditect-agent-error'><span className={codicon('warning')} /> {agent.definitionFile}: {agent.definitionError}</div>}
            <div className='coditect-agent-footer'>
                <span title='Tokens used by this agent'>{AgentLabels.tokens(agent.tokensUsed)} tokens</span>
                <span title='Tasks waiting in its queue'>{agent.queued} queued</span>
                {agent.restarts > 0 && <span title='Restarts after a crash or hang'>{agent.restarts} restarts</span>}
                <a className='coditect-agent-timeline' title={`${agent.name}'s events on the Session Timeline`}
                    onClick={() => this.commands.executeCommand(AgentActivityCommands.TIMELINE_REVEAL_AGENT, { agentId: agent.id })}><span className={codicon('history')} /> Timeline</a>
                <a className='coditect-agent-submit' onClick={() => this.commands.executeCommand(AgentActivityCommands.SUBMIT_TASK.id, agent.id)}>Submit task…</a>
            </div>
        </div>;
    }
}
