import * as React from '@theia/core/shared/react';
import { codicon, ReactWidget } from '@theia/core/lib/browser';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { AgentActivityModel } from './agent-activity-model';
import { AgentCard } from './agent-card';
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
        return <div className='coditect-agent-cards'>{model.agents.map(agent => <AgentCard key={agent.id} agent={agent}
            onRevealTask={taskId => model.revealTask(taskId)} onRevealAgent={agentId => model.revealAgent(agentId)} onSubmitTask={agentId => model.submitTaskTo(agentId)}
            canSetKey={model.canSetKey} onSetKey={agentId => model.setKey(agentId)} />)}</div>;
    }
}
