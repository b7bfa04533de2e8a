import { nls } from '@theia/core/lib/common/nls';
import { CommandService } from '@theia/core/lib/common/command';
import { ErrorChatResponseContentImpl, MarkdownChatResponseContentImpl, MutableChatRequestModel } from '@theia/ai-chat/lib/common/chat-model';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';
import { workflowStepsLine } from '@coditect/workspace-backend/types';
import { RelayChatAgent } from './relay-chat-agent';
import { parseWorkflowRequest, WorkflowCommandName } from './workflow-request';

export const WorkflowChatAgentId = 'coditect-workflow';

/**
 * The workspace's workflows in Theia's chat: `/workflow code-review src/x.ts` (or `@Workflow …`)
 * starts a run of `.coditect/workflows/code-review.md` in the person's name, through the Task
 * Queue's command, which shows its progress; the chat says what started or why it could not.
 */
export class WorkflowChatAgent extends RelayChatAgent {
    readonly id = WorkflowChatAgentId;
    readonly name = 'Workflow';
    readonly description = nls.localize('coditect/agent-chat/workflow-description',
        'Runs one of the workspace\'s workflows (.coditect/workflows): "/workflow code-review src/x.ts" gives its steps to their agents, one after another or at once.');
    readonly iconClass = 'codicon codicon-type-hierarchy';

    constructor(protected readonly commands: CommandService) {
        super();
    }

    async invoke(request: MutableChatRequestModel): Promise<void> {
        const response = request.response;
        try {
            const asked = parseWorkflowRequest(request.request.text);
            if (asked.kind === 'help') {
                response.response.addContent(new MarkdownChatResponseContentImpl(nls.localize('coditect/agent-chat/workflow-help',
                    'Write `/{0} <workflow> <what it is for>`, such as `/{0} code-review src/cart.ts`. **CODITECT: Run Workflow…** in the command palette lists the workspace\'s workflows.',
                    WorkflowCommandName)));
            } else {
                const run = await runSharedCommand(this.commands, SharedCommands.WORKFLOW_RUN, { name: asked.name, input: asked.input });
                if (run) {
                    response.response.addContent(new MarkdownChatResponseContentImpl(nls.localize('coditect/agent-chat/workflow-started',
                        'Started workflow **{0} #{1}**{2}: {3}. Its steps are your tasks; the Task Queue shows the run as it goes.',
                        run.name, run.id, run.input ? ` for \`${run.input}\`` : '', workflowStepsLine(run.steps))));
                }
            }
        } catch (error) {
            response.response.addContent(new ErrorChatResponseContentImpl(error instanceof Error ? error : new Error(String(error))));
        }
        response.complete();
    }
}
