import { AbstractViewContribution, QuickInputService } from '@theia/core/lib/browser';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { OrchestratorService } from '../common/orchestrator-protocol';
import { AgentActivityCommands } from './agent-activity-commands';
import { OrchestratorWatcher } from './orchestrator-watcher';
import { TaskQueueWidget } from './task-queue-widget';

/** "Task Queue" in the View menu; "CODITECT: Show Task Queue" and "CODITECT: Submit Task to Agent…" in the palette. */
@injectable()
export class TaskQueueViewContribution extends AbstractViewContribution<TaskQueueWidget> {

    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(OrchestratorWatcher) protected readonly watcher: OrchestratorWatcher;
    @inject(OrchestratorService) protected readonly service: OrchestratorService;
    @inject(MessageService) protected readonly messages: MessageService;

    constructor() {
        super({
            widgetId: TaskQueueWidget.ID,
            widgetName: TaskQueueWidget.LABEL,
            defaultWidgetOptions: { area: 'bottom' },
            toggleCommandId: 'coditect.tasks.toggle',
        });
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        commands.registerCommand(AgentActivityCommands.SHOW_TASKS, { execute: () => this.openView({ activate: true, reveal: true }) });
        commands.registerCommand(AgentActivityCommands.SUBMIT_TASK, {
            execute: (agentId?: unknown) => typeof agentId === 'string' ? this.submitInView(agentId) : this.submitFromPalette(),
        });
    }

    protected async submitInView(agentId: string): Promise<void> {
        (await this.openView({ activate: true, reveal: true })).focusSubmit(agentId);
    }

    /** Pick an agent, type the task, done: no view needed. */
    protected async submitFromPalette(): Promise<void> {
        await this.watcher.start();
        const picked = await this.quickInput.showQuickPick(this.watcher.agents.map(a => ({ label: a.name, description: `${a.state} · ${nls.localize('coditect/agent-activity/queued', '{0} queued', a.queued)}`, id: a.id })),
            { placeholder: nls.localize('coditect/agent-activity/pick-agent', 'Which agent should do the task?') });
        if (!picked) {
            return;
        }
        const prompt = await this.quickInput.input({
            prompt: nls.localize('coditect/agent-activity/task-for', 'Task for {0}', picked.label), placeHolder: nls.localize('coditect/agent-activity/describe', 'Describe the task'),
            validateInput: async v => v.trim() ? undefined : nls.localize('coditect/agent-activity/describe-required', 'Describe the task.'),
        });
        if (!prompt?.trim()) {
            return;
        }
        try {
            const task = await this.service.submitTask(picked.id, { prompt: prompt.trim() });
            this.messages.info(nls.localize('coditect/agent-activity/queued-task', 'Queued task #{0} for {1}.', task.id, picked.label));
        } catch (error) {
            this.messages.error(error instanceof Error ? error.message : String(error));
        }
    }
}
