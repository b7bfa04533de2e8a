import * as React from '@theia/core/shared/react';
import { codicon, ReactWidget } from '@theia/core/lib/browser';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { TaskQueueModel } from './task-queue-model';
import { TaskSection } from './task-table';
import { WorkflowRunsSection } from './workflow-runs';
import { StudioViews } from '@coditect/studio-platform/common';

const K = 'coditect/agent-activity/';

/** The Task Queue's view: the submit form and the running, queued and finished tasks of `TaskQueueModel`. */
@injectable()
export class TaskQueueWidget extends ReactWidget {
    static readonly ID = StudioViews.taskQueue;
    static readonly LABEL = nls.localize('coditect/agent-activity/task-queue-title', 'Task Queue');

    @inject(TaskQueueModel) readonly model: TaskQueueModel;

    @postConstruct()
    protected init(): void {
        this.id = TaskQueueWidget.ID;
        this.title.label = TaskQueueWidget.LABEL;
        this.title.caption = nls.localize('coditect/agent-activity/task-queue-caption', 'Task Queue: every agent\'s queued, running and finished tasks');
        this.title.iconClass = codicon('list-ordered');
        this.title.closable = true;
        this.addClass(StudioViews.taskQueue);
        this.toDispose.push(this.model);
        this.toDispose.push(this.model.onDidChange(() => this.update()));
    }

    /** Preselects an agent in the submit form (from an agent card's "Submit task…"). */
    focusSubmit(agentId: string): void {
        this.model.updateDraft({ agentId });
        requestAnimationFrame(() => this.node.querySelector<HTMLTextAreaElement>('.coditect-task-prompt')?.focus());
    }

    protected render(): React.ReactNode {
        const model = this.model;
        return <div className='coditect-task-queue-body'>
            {this.renderSubmit()}
            <WorkflowRunsSection runs={model.workflowRuns} model={model} />
            <TaskSection title={nls.localize(`${K}running`, 'Running')} tasks={model.running} className='coditect-tasks-running' model={model} />
            <TaskSection title={nls.localize(`${K}queued-section`, 'Queued')} tasks={model.queued} className='coditect-tasks-queued' model={model} />
            <TaskSection title={nls.localize(`${K}finished`, 'Finished')} tasks={model.finished} className='coditect-tasks-finished' model={model} />
        </div>;
    }

    protected renderSubmit(): React.ReactNode {
        const model = this.model;
        const draft = model.draft;
        return <form className='coditect-task-submit' onSubmit={e => { e.preventDefault(); void model.submit(); }}>
            <select className='theia-select coditect-task-agent' value={model.draftAgentId} title={nls.localize(`${K}agent-tooltip`, 'The agent that will do the task')}
                onChange={e => model.updateDraft({ agentId: e.currentTarget.value })}>
                {model.agents.map(a => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
            <textarea className='theia-input coditect-task-prompt' rows={2} placeholder={nls.localize(`${K}prompt-placeholder`, 'Describe the task…')} value={draft.prompt}
                onChange={e => model.updateDraft({ prompt: e.currentTarget.value })}
                onKeyDown={e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void model.submit(); } }} />
            <label className='coditect-task-priority' title={nls.localize(`${K}priority-tooltip`, 'Higher runs first; equal priorities run in order')}>{nls.localize(`${K}priority`, 'Priority')}
                <input className='theia-input' type='number' value={draft.priority}
                    onChange={e => model.updateDraft({ priority: Number(e.currentTarget.value) || 0 })} />
            </label>
            <label className='coditect-task-budget-input' title={nls.localize(`${K}budget-input-tooltip`,
                'Optional: what the task and every task it delegates may spend together, in USD; past it the studio cancels them all')}>{nls.localize(`${K}budget`, 'Budget $')}
                <input className='theia-input' type='text' inputMode='decimal' placeholder={nls.localize(`${K}budget-none`, 'none')} value={draft.budgetUsd}
                    onChange={e => model.updateDraft({ budgetUsd: e.currentTarget.value })} />
            </label>
            <button className='theia-button' type='submit' disabled={!model.canSubmit}>{nls.localize(`${K}submit`, 'Submit')}</button>
        </form>;
    }
}
