import * as React from '@theia/core/shared/react';
import { codicon, ReactWidget } from '@theia/core/lib/browser';
import { CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { StudioSession } from '@coditect/studio-core/lib/browser/studio-session';
import { OrchestratorService, TaskInfo } from '../common/orchestrator-protocol';
import { AgentActivityCommands } from './agent-activity-commands';
import { AgentLabels } from './agent-labels';
import { OrchestratorWatcher } from './orchestrator-watcher';

/** Queued, running and finished tasks of every agent, with submit, cancel and re-prioritise. */
@injectable()
export class TaskQueueWidget extends ReactWidget {
    static readonly ID = 'coditect-task-queue';
    static readonly LABEL = 'Task Queue';

    @inject(OrchestratorWatcher)
    protected readonly watcher: OrchestratorWatcher;

    @inject(OrchestratorService)
    protected readonly service: OrchestratorService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(CommandService)
    protected readonly commands: CommandService;

    @inject(StudioSession)
    protected readonly session: StudioSession;

    protected draft = { agentId: '', prompt: '', priority: 0 };

    @postConstruct()
    protected init(): void {
        this.id = TaskQueueWidget.ID;
        this.title.label = TaskQueueWidget.LABEL;
        this.title.caption = 'Task Queue: every agent\'s queued, running and finished tasks';
        this.title.iconClass = codicon('list-ordered');
        this.title.closable = true;
        this.addClass('coditect-task-queue');
        this.toDispose.push(this.watcher.onDidChange(() => this.update()));
        this.toDispose.push(this.session.onDidChange(() => this.update()));
        this.watcher.start().then(() => this.update());
    }

    /** Preselects an agent in the submit form (from an agent card's "Submit task…"). */
    focusSubmit(agentId: string): void {
        this.draft = { ...this.draft, agentId };
        this.update();
        requestAnimationFrame(() => this.node.querySelector<HTMLTextAreaElement>('.coditect-task-prompt')?.focus());
    }

    protected render(): React.ReactNode {
        const tasks = this.watcher.tasks;
        const running = tasks.filter(t => t.status === 'running');
        const queued = tasks.filter(t => t.status === 'queued').sort((a, b) => b.priority - a.priority || a.enqueuedAt - b.enqueuedAt);
        const finished = tasks.filter(t => t.status !== 'running' && t.status !== 'queued');
        return <div className='coditect-task-queue-body'>
            {this.renderSubmit()}
            {this.renderSection('Running', running, 'coditect-tasks-running')}
            {this.renderSection('Queued', queued, 'coditect-tasks-queued')}
            {this.renderSection('Finished', finished, 'coditect-tasks-finished')}
        </div>;
    }

    protected renderSubmit(): React.ReactNode {
        const agents = this.watcher.agents;
        const agentId = this.draft.agentId || agents[0]?.id || '';
        return <form className='coditect-task-submit' onSubmit={e => { e.preventDefault(); this.submit(agentId); }}>
            <select className='theia-select coditect-task-agent' value={agentId} title='The agent that will do the task'
                onChange={e => { this.draft = { ...this.draft, agentId: e.currentTarget.value }; this.update(); }}>
                {agents.map(a => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
            <textarea className='theia-input coditect-task-prompt' rows={2} placeholder='Describe the task…' value={this.draft.prompt}
                onChange={e => { this.draft = { ...this.draft, prompt: e.currentTarget.value }; this.update(); }}
                onKeyDown={e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.submit(agentId); } }} />
            <label className='coditect-task-priority' title='Higher runs first; equal priorities run in order'>Priority
                <input className='theia-input' type='number' value={this.draft.priority}
                    onChange={e => { this.draft = { ...this.draft, priority: Number(e.currentTarget.value) || 0 }; this.update(); }} />
            </label>
            <button className='theia-button' type='submit' disabled={!agentId || !this.draft.prompt.trim()}>Submit</button>
        </form>;
    }

    protected renderSection(title: string, tasks: TaskInfo[], className: string): React.ReactNode {
        return <section className={className}>
            <h3>{title} <span className='coditect-count'>{tasks.length}</span></h3>
            {tasks.length === 0 ? <div className='coditect-empty'>None.</div> :
                <table className='coditect-task-table'>
                    <thead><tr><th>#</th><th>Agent</th><th>Task</th><th>Status</th><th>Priority</th><th>Queued at</th><th>Took</th><th>Result</th><th></th></tr></thead>
                    <tbody>{tasks.map(task => this.renderTask(task))}</tbody>
                </table>}
        </section>;
    }

    protected renderTask(task: TaskInfo): React.ReactNode {
        const agent = this.watcher.agents.find(a => a.id === task.agentId);
        const live = task.status === 'queued' || task.status === 'running';
        // Offered only where the policy would allow it: a developer acts on the tasks they gave, an admin on any.
        const mayCancel = live && this.session.allows('task.cancel', task.submittedBy);
        const mayReprioritise = task.status === 'queued' && this.session.allows('task.reprioritise', task.submittedBy);
        const took = task.startedAt !== undefined && task.finishedAt !== undefined ? AgentLabels.duration(task.finishedAt - task.startedAt) : '';
        return <tr key={task.id} className={`coditect-task coditect-task-${task.status}`} data-task-id={task.id}>
            <td className='coditect-task-id'>#{task.id}</td>
            <td className='coditect-task-agent-name'>{agent?.name ?? task.agentId}</td>
            <td className='coditect-task-text' title={task.prompt}>{AgentLabels.shorten(task.title)}</td>
            <td className='coditect-task-status'>{task.status}{task.attempts > 1 ? ` (attempt ${task.attempts})` : ''}</td>
            <td title='Priority'>{task.priority}</td>
            <td>{AgentLabels.time(task.enqueuedAt)}</td>
            <td>{took}</td>
            <td className='coditect-task-outcome' title={AgentLabels.taskOutcome(task)}>{AgentLabels.shorten(AgentLabels.taskOutcome(task), 60)}</td>
            <td className='coditect-task-actions'>
                {task.status !== 'queued' && <a className={`${codicon('history')} coditect-task-timeline`} title='Show on the Session Timeline'
                    onClick={() => this.commands.executeCommand(AgentActivityCommands.TIMELINE_REVEAL_TASK, { taskId: task.id })} />}
                {mayReprioritise && <>
                    <a className={codicon('arrow-up')} title='Raise priority' onClick={() => this.run(() => this.service.reprioritise(task.id, task.priority + 1))} />
                    <a className={codicon('arrow-down')} title='Lower priority' onClick={() => this.run(() => this.service.reprioritise(task.id, task.priority - 1))} />
                </>}
                {mayCancel && <a className={codicon('close')} title='Cancel task' onClick={() => this.run(() => this.service.cancelTask(task.id))} />}
            </td>
        </tr>;
    }

    protected async submit(agentId: string): Promise<void> {
        const prompt = this.draft.prompt.trim();
        if (!agentId || !prompt) {
            return;
        }
        await this.run(async () => {
            const task = await this.service.submitTask(agentId, { prompt, priority: this.draft.priority });
            this.draft = { ...this.draft, prompt: '' };
            this.messages.info(`Queued task #${task.id} for ${this.watcher.agents.find(a => a.id === agentId)?.name ?? agentId}.`);
        });
    }

    protected async run(action: () => Promise<unknown>): Promise<void> {
        try {
            await action();
        } catch (error) {
            this.messages.error(error instanceof Error ? error.message : String(error));
        }
        this.update();
    }
}
