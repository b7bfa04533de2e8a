import * as React from '@theia/core/shared/react';
import { codicon } from '@theia/core/lib/browser';
import { nls } from '@theia/core/lib/common/nls';
import { TaskInfo } from '../common/orchestrator-protocol';
import { AgentLabels } from './agent-labels';
import type { TaskQueueModel } from './task-queue-model';
import { taskTree } from './task-tree';

const K = 'coditect/agent-activity/';

export interface TaskSectionProps {
    readonly title: string;
    readonly tasks: readonly TaskInfo[];
    readonly className: string;
    readonly model: TaskQueueModel;
}

/** A titled table of tasks (running, queued or finished), with each task's actions. */
export function TaskSection({ title, tasks, className, model }: TaskSectionProps): React.ReactElement {
    return <section className={className}>
        <h3>{title} <span className='coditect-count'>{tasks.length}</span></h3>
        {tasks.length === 0 ? <div className='coditect-empty'>{nls.localize(`${K}none`, 'None.')}</div> :
            <table className='coditect-task-table'>
                <thead><tr>
                    <th>#</th><th>{nls.localize(`${K}agent`, 'Agent')}</th><th>{nls.localize(`${K}task`, 'Task')}</th><th>{nls.localize(`${K}status`, 'Status')}</th>
                    <th>{nls.localize(`${K}priority`, 'Priority')}</th><th>{nls.localize(`${K}queued-at`, 'Queued at')}</th><th>{nls.localize(`${K}took`, 'Took')}</th>
                    <th>{nls.localize(`${K}result`, 'Result')}</th><th></th>
                </tr></thead>
                <tbody>{taskTree(tasks, model.allTasks).map(({ task, depth }) => <TaskRow key={task.id} task={task} depth={depth} model={model} />)}</tbody>
            </table>}
    </section>;
}

function TaskRow({ task, depth, model }: { readonly task: TaskInfo; readonly depth: number; readonly model: TaskQueueModel }): React.ReactElement {
    const took = task.startedAt !== undefined && task.finishedAt !== undefined ? AgentLabels.duration(task.finishedAt - task.startedAt) : '';
    return <tr className={`coditect-task coditect-task-${task.status}`} data-task-id={task.id}>
        <td className='coditect-task-id'>#{task.id}</td>
        <td className='coditect-task-agent-name'>{model.agentName(task.agentId)}</td>
        <td className='coditect-task-text' title={task.prompt} style={depth > 0 ? { paddingLeft: `${depth * 16}px` } : undefined}>
            {task.parentTaskId !== undefined && <span className='coditect-task-parent' title={nls.localize(`${K}delegated-by`, 'Delegated by task #{0}', task.parentTaskId)}>
                <i className={codicon('type-hierarchy-sub')} />#{task.parentTaskId}{' '}
            </span>}
            {AgentLabels.shorten(task.title)}
            {task.budgetUsd !== undefined && <span className='coditect-task-budget' title={nls.localize(`${K}budget-tooltip`,
                'What this task and every task it delegates may spend together; past it they are all cancelled')}> <i className={codicon('credit-card')} />${task.budgetUsd}</span>}
        </td>
        <td className='coditect-task-status'>{task.status}{task.attempts > 1 ? nls.localize(`${K}attempt-suffix`, ' (attempt {0})', task.attempts) : ''}</td>
        <td title={nls.localize(`${K}priority`, 'Priority')}>{task.priority}</td>
        <td>{AgentLabels.time(task.enqueuedAt)}</td>
        <td>{took}</td>
        <td className='coditect-task-outcome' title={AgentLabels.taskOutcome(task)}><span>{AgentLabels.shorten(AgentLabels.taskOutcome(task), 60)}</span></td>
        <td className='coditect-task-actions'>
            {task.status !== 'queued' && <a className={`${codicon('history')} coditect-task-timeline`} title={nls.localize(`${K}show-on-timeline`, 'Show on the Session Timeline')}
                onClick={() => model.revealTask(task.id)} />}
            {task.status !== 'queued' && <a className={`${codicon('git-compare')} coditect-task-changes`} title={nls.localize(`${K}show-changes`, 'Show the files it changed, to review them')}
                onClick={() => model.revealChanges(task.id)} />}
            {model.mayReprioritise(task) && <>
                <a className={codicon('arrow-up')} title={nls.localize(`${K}raise-priority`, 'Raise priority')} onClick={() => model.reprioritise(task, 1)} />
                <a className={codicon('arrow-down')} title={nls.localize(`${K}lower-priority`, 'Lower priority')} onClick={() => model.reprioritise(task, -1)} />
            </>}
            {model.mayCancel(task) && <a className={codicon('close')} title={nls.localize(`${K}cancel-task`, 'Cancel task')} onClick={() => model.cancel(task)} />}
        </td>
    </tr>;
}
