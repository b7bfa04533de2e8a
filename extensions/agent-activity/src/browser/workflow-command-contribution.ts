import { QuickInputService, QuickPickItem } from '@theia/core/lib/browser';
import { CommandContribution, CommandRegistry, CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { OrchestratorService, WorkflowDefinition, WorkflowRunInfo, workflowStepsLine } from '../common/orchestrator-protocol';
import { SharedCommands } from '@coditect/studio-platform/common';
import { AgentActivityCommands } from './agent-activity-commands';
import { OrchestratorWatcher } from './orchestrator-watcher';
import { WorkflowLabels } from './workflow-labels';

const K = 'coditect/agent-activity/';

/**
 * "CODITECT: Run Workflow…" (SharedCommands.WORKFLOW_RUN: pick one of the workspace's workflows, say what it is for) and
 * "CODITECT: Cancel Workflow Run…". A run's progress shows in the Task Queue and the timeline.
 */
@injectable()
export class WorkflowCommandContribution implements CommandContribution {

    @inject(OrchestratorService) protected readonly service: OrchestratorService;
    @inject(OrchestratorWatcher) protected readonly watcher: OrchestratorWatcher;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(CommandService) protected readonly commands: CommandService;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(SharedCommands.WORKFLOW_RUN, {
            // Asked by another view (the chat), the run and a refusal are that view's to show: it answers the run or rejects with the backend's words.
            execute: (asked?: typeof SharedCommands.WORKFLOW_RUN.argument) => asked ? this.service.startWorkflow(asked.name, asked.input) : this.runFromPalette(),
        });
        registry.registerCommand(AgentActivityCommands.CANCEL_WORKFLOW, { execute: () => this.cancel() });
    }

    /** The person picks a workflow and says what it is for; refusals are shown as messages. */
    async runFromPalette(): Promise<WorkflowRunInfo | undefined> {
        try {
            const workflow = await this.pickWorkflow();
            if (workflow === undefined) {
                return undefined;
            }
            const forWhat = await this.quickInput.input({
                prompt: nls.localize(`${K}workflow-input`, 'What is {0} for? Its steps get this as their input.', workflow),
                placeHolder: nls.localize(`${K}workflow-input-placeholder`, 'Such as src/cart.ts, or a sentence (may be empty)'),
            });
            return forWhat === undefined ? undefined : await this.start(workflow, forWhat);
        } catch (error) {
            this.messages.error(error instanceof Error ? error.message : String(error));
            return undefined;
        }
    }

    /** Starts a run and says so, with the way to the Task Queue, where it shows. */
    async start(name: string, input: string): Promise<WorkflowRunInfo> {
        const run = await this.service.startWorkflow(name, input);
        const show = nls.localize(`${K}show-task-queue`, 'Show Task Queue');
        this.messages.info(nls.localize(`${K}workflow-started`, 'Started workflow {0} #{1}: {2}.', run.name, run.id, workflowStepsLine(run.steps)), show)
            .then(choice => choice === show && this.commands.executeCommand(AgentActivityCommands.SHOW_TASKS.id));
        return run;
    }

    protected async pickWorkflow(): Promise<string | undefined> {
        const { workflows, problems } = await this.service.workflows();
        for (const problem of problems) {
            this.messages.warn(nls.localize(`${K}workflow-problem`, 'A workflow cannot run: {0}', problem));
        }
        if (workflows.length === 0) {
            this.messages.info(nls.localize(`${K}no-workflows`, 'This workspace has no workflow to run: add .coditect/workflows/<name>.md with its steps in the front matter (see the README).'));
            return undefined;
        }
        const picked = await this.quickInput.showQuickPick(workflows.map((w: WorkflowDefinition): QuickPickItem & { name: string } => ({
            label: w.name, description: w.description, detail: workflowStepsLine(w.steps), name: w.name,
        })), { placeholder: nls.localize(`${K}pick-workflow`, 'Which workflow should run?'), matchOnDescription: true });
        return picked?.name;
    }

    protected async cancel(): Promise<void> {
        await this.watcher.refresh();
        const running = this.watcher.workflowRuns.filter(r => r.status === 'running');
        if (running.length === 0) {
            this.messages.info(nls.localize(`${K}no-running-workflows`, 'No workflow is running.'));
            return;
        }
        const picked = await this.quickInput.showQuickPick(running.map(r => ({ label: WorkflowLabels.runTitle(r), description: WorkflowLabels.progress(r), detail: workflowStepsLine(r.steps), runId: r.id })),
            { placeholder: nls.localize(`${K}pick-workflow-run`, 'Cancel which run? Its unfinished steps are cancelled.') });
        if (!picked) {
            return;
        }
        try {
            await this.service.cancelWorkflow(picked.runId);
        } catch (error) {
            this.messages.error(error instanceof Error ? error.message : String(error));
        }
    }
}
