import { CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';
import { StudioSession, StudioViewModel } from '@coditect/studio-platform/browser';
import { AgentSnapshot, OrchestratorService, TaskInfo, WorkflowRunInfo } from '../common/orchestrator-protocol';
import { OrchestratorWatcher } from './orchestrator-watcher';

/** The submit form's fields. An empty `agentId` means the first agent. */
export interface TaskDraft {
    readonly agentId: string;
    readonly prompt: string;
    readonly priority: number;
    /** USD for the task and what it delegates, as typed; empty: no budget of its own. */
    readonly budgetUsd: string;
}

/**
 * What the Task Queue shows and does: the tasks by state (queued ones in the order they will
 * run), the submit form's draft, and submit, cancel and re-prioritise, offered only where the
 * session's policy would allow them (the backend checks again).
 */
@injectable()
export class TaskQueueModel extends StudioViewModel {

    @inject(OrchestratorWatcher) protected readonly watcher: OrchestratorWatcher;
    @inject(OrchestratorService) protected readonly service: OrchestratorService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(CommandService) protected readonly commands: CommandService;
    @inject(StudioSession) protected readonly session: StudioSession;

    protected _draft: TaskDraft = { agentId: '', prompt: '', priority: 0, budgetUsd: '' };

    @postConstruct()
    protected init(): void {
        this.fireOn(this.session.onDidChange);
        void this.follow(this.watcher);
    }

    get agents(): readonly AgentSnapshot[] { return this.watcher.agents; }
    get draft(): TaskDraft { return this._draft; }
    /** The agent the form submits to: the chosen one, else the first. */
    get draftAgentId(): string { return this._draft.agentId || this.agents[0]?.id || ''; }
    get canSubmit(): boolean { return !!this.draftAgentId && !!this._draft.prompt.trim(); }

    /** Every task the studio shows, whatever its state (the tree's chains cross the sections). */
    get allTasks(): readonly TaskInfo[] {
        return this.watcher.tasks;
    }

    get running(): TaskInfo[] {
        return this.watcher.tasks.filter(t => t.status === 'running');
    }

    /** In the order they will run: higher priority first, then first come. */
    get queued(): TaskInfo[] {
        return this.watcher.tasks.filter(t => t.status === 'queued').sort((a, b) => b.priority - a.priority || a.enqueuedAt - b.enqueuedAt);
    }

    get finished(): TaskInfo[] {
        return this.watcher.tasks.filter(t => t.status !== 'running' && t.status !== 'queued');
    }

    /** Running workflow runs, then the latest ended ones. */
    get workflowRuns(): readonly WorkflowRunInfo[] {
        return this.watcher.workflowRuns;
    }

    /** The person who started a run may cancel it, an admin any. */
    mayCancelRun(run: WorkflowRunInfo): boolean {
        return run.status === 'running' && this.session.allows('task.cancel', run.startedBy);
    }

    cancelRun(run: WorkflowRunInfo): Promise<void> {
        return this.run(() => this.service.cancelWorkflow(run.id));
    }

    agentName(agentId: string): string {
        return this.agents.find(a => a.id === agentId)?.name ?? agentId;
    }

    /** A developer acts on the tasks they gave, an admin on any. */
    mayCancel(task: TaskInfo): boolean {
        return (task.status === 'queued' || task.status === 'running') && this.session.allows('task.cancel', task.submittedBy);
    }

    mayReprioritise(task: TaskInfo): boolean {
        return task.status === 'queued' && this.session.allows('task.reprioritise', task.submittedBy);
    }

    updateDraft(change: Partial<TaskDraft>): void {
        this._draft = { ...this._draft, ...change };
        this.fire();
    }

    /**
     * Sends the draft and clears its prompt and budget at once, so that what is typed while the
     * backend answers belongs to the next task. A refusal gives the draft back unless a new
     * prompt was typed meanwhile (the error message still names what was wrong).
     */
    async submit(): Promise<void> {
        const agentId = this.draftAgentId;
        const sent = this._draft;
        const prompt = sent.prompt.trim();
        if (!agentId || !prompt) {
            return;
        }
        this.updateDraft({ prompt: '', budgetUsd: '' });
        try {
            const task = await this.service.submitTask(agentId, { prompt, priority: sent.priority, budgetUsd: sent.budgetUsd.trim() || undefined });
            this.messages.info(nls.localize('coditect/agent-activity/queued-task', 'Queued task #{0} for {1}.', task.id, this.agentName(agentId)));
        } catch (error) {
            if (!this._draft.prompt.trim()) {
                this._draft = { ...this._draft, prompt: sent.prompt, budgetUsd: sent.budgetUsd };
            }
            this.showRefusal(error);
        }
        this.fire();
    }

    cancel(task: TaskInfo): Promise<void> {
        return this.run(() => this.service.cancelTask(task.id));
    }

    reprioritise(task: TaskInfo, delta: number): Promise<void> {
        return this.run(() => this.service.reprioritise(task.id, task.priority + delta));
    }

    revealTask(taskId: number): void {
        void runSharedCommand(this.commands, SharedCommands.TIMELINE_REVEAL_TASK, { taskId });
    }

    /** The task's change set in the Changes view. */
    revealChanges(taskId: number): void {
        void runSharedCommand(this.commands, SharedCommands.CHANGES_REVEAL_TASK, { taskId });
    }

    /** Refusals (the backend's words) become an error message; the view is redrawn either way. */
    protected async run(action: () => Promise<unknown>): Promise<void> {
        try {
            await action();
        } catch (error) {
            this.showRefusal(error);
        }
        this.fire();
    }

    protected showRefusal(error: unknown): void {
        this.messages.error(error instanceof Error ? error.message : String(error));
    }
}
