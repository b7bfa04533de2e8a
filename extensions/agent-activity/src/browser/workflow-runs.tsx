import * as React from '@theia/core/shared/react';
import { codicon } from '@theia/core/lib/browser';
import { nls } from '@theia/core/lib/common/nls';
import { stepsRunTogether, WorkflowRunInfo } from '../common/orchestrator-protocol';
import { AgentLabels } from './agent-labels';
import type { TaskQueueModel } from './task-queue-model';
import { WorkflowLabels } from './workflow-labels';

const K = 'coditect/agent-activity/';

/** The Task Queue's workflow runs: each run's steps in order with their state ("+" between steps that start together); a step with a task links to it on the timeline. */
export function WorkflowRunsSection({ runs, model }: { readonly runs: readonly WorkflowRunInfo[]; readonly model: TaskQueueModel }): React.ReactElement | null {
    if (runs.length === 0) {
        return null;
    }
    return <section className='coditect-workflow-runs'>
        <h3>{nls.localize(`${K}workflows`, 'Workflows')} <span className='coditect-count'>{runs.filter(r => r.status === 'running').length}</span></h3>
        {runs.map(run => <div key={run.id} className={`coditect-workflow-run coditect-workflow-${run.status}`} data-run-id={run.id}>
            <div className='coditect-workflow-run-header'>
                <i className={codicon('type-hierarchy')} />
                <span className='coditect-workflow-run-title'>{WorkflowLabels.runTitle(run)}</span>
                <span className='coditect-workflow-run-status' title={run.error}>{run.status === 'running' ? WorkflowLabels.progress(run) : run.status}</span>
                <span className='coditect-workflow-run-time'>{AgentLabels.time(run.startedAt)}</span>
                {model.mayCancelRun(run) && <a className={codicon('close')} title={nls.localize(`${K}cancel-workflow-run`, 'Cancel this run (its unfinished steps are cancelled)')}
                    onClick={() => model.cancelRun(run)} />}
            </div>
            <ol className='coditect-workflow-steps'>
                {run.steps.map((step, i) => <li key={step.id} className={`coditect-workflow-step coditect-workflow-step-${step.status}${i > 0 && stepsRunTogether(run.steps[i - 1], step) ? ' coditect-workflow-step-beside' : ''}`} data-step={step.id}
                    title={step.summary ?? step.error ?? (step.after.length > 0 ? nls.localize(`${K}step-after`, 'After {0}', step.after.join(', ')) : '')}>
                    <i className={codicon(WorkflowLabels.stepIcon[step.status])} />
                    <span className='coditect-workflow-step-id'>{step.id}</span>
                    <span className='coditect-workflow-step-agent'>{model.agentName(step.agent)}</span>
                    {step.taskId !== undefined && <a className='coditect-workflow-step-task' title={nls.localize(`${K}show-on-timeline`, 'Show on the Session Timeline')}
                        onClick={() => model.revealTask(step.taskId!)}>#{step.taskId}</a>}
                </li>)}
            </ol>
            {run.error && <div className='coditect-workflow-run-error'>{run.error}</div>}
        </div>)}
    </section>;
}
