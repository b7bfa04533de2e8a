import * as React from '@theia/core/shared/react';
import { codicon, ReactWidget } from '@theia/core/lib/browser';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { AgentActivityModel } from './agent-activity-model';
import { AgentCard } from './agent-card';
import type { AgentSnapshot } from '../common/orchestrator-protocol';
import { StudioViews } from '@coditect/studio-platform/common';

/** The Agents panel's view: one card per agent of `AgentActivityModel`, live. */
@injectable()
export class AgentActivityWidget extends ReactWidget {
    static readonly ID = StudioViews.agentActivity;
    static readonly LABEL = nls.localize('coditect/agent-activity/view-title', 'Agents');

    @inject(AgentActivityModel) readonly model: AgentActivityModel;

    @postConstruct()
    protected init(): void {
        this.id = AgentActivityWidget.ID;
        this.title.label = AgentActivityWidget.LABEL;
        this.title.caption = nls.localize('coditect/agent-activity/view-caption', 'Agent Activity: what every agent is doing now');
        this.title.iconClass = codicon('hubot');
        this.title.closable = true;
        this.addClass(StudioViews.agentActivity);
        this.toDispose.push(this.model);
        this.toDispose.push(this.model.onDidChange(() => this.update()));
    }

    protected render(): React.ReactNode {
        const model = this.model;
        if (model.error) {
            return <div className='theia-widget-noInfo'>{nls.localize('coditect/agent-activity/load-failed', 'The agents could not be loaded: {0}', model.error)}</div>;
        }
        if (!model.agents.length) {
            return <div className='theia-widget-noInfo'>{nls.localize('coditect/agent-activity/no-agents',
                'No agents yet. Agents are defined by the files in .coditect/agents/ of the workspace.')}</div>;
        }
        const card = (agent: AgentSnapshot) => <AgentCard key={agent.id} agent={agent}
            onRevealTask={taskId => model.revealTask(taskId)} onRevealAgent={agentId => model.revealAgent(agentId)} onSubmitTask={agentId => model.submitTaskTo(agentId)}
            canSetKey={model.canSetKey} onSetKey={agentId => model.setKey(agentId)} />;
        const roleAgents = model.agents.filter(agent => agent.process === 'on-demand');
        // The role agents after the others, under a heading: one job each, a process only while they work.
        return <div className='coditect-agent-cards'>
            {model.agents.filter(agent => agent.process !== 'on-demand').map(card)}
            {roleAgents.length > 0 && <div className='coditect-agent-group' title={nls.localize('coditect/agent-activity/role-agents-tooltip',
                'Agents with one job each. Each starts its process for a task and stops it when idle.')}>
                {nls.localize('coditect/agent-activity/role-agents', 'Role agents')}
            </div>}
            {roleAgents.map(card)}
        </div>;
    }
}
