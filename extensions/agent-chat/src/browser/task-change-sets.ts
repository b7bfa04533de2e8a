import { ChangeSetElement, ChangeSetImpl } from '@theia/ai-chat/lib/common/change-set';
import type { MutableChatRequestModel } from '@theia/ai-chat/lib/common/chat-model';
import { CommandService } from '@theia/core/lib/common/command';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';

/**
 * Puts a finished task's change set on its chat request, where Theia's chat shows it below the
 * input. The Changes view builds the elements (SharedCommands.CHANGES_CHAT_ELEMENTS), so the chat
 * has no connection of its own to the change sets.
 */
@injectable()
export class TaskChangeSets {

    @inject(CommandService) protected readonly commands: CommandService;

    async attach(request: MutableChatRequestModel, taskId: number): Promise<void> {
        // The elements are @theia/ai-chat ChangeSetElements: the command's contract (shared-commands.ts).
        const elements = (await runSharedCommand(this.commands, SharedCommands.CHANGES_CHAT_ELEMENTS, { taskId })) as ChangeSetElement[] | undefined;
        if (!elements || elements.length === 0) {
            return;
        }
        const changeSet = new ChangeSetImpl(elements);
        changeSet.setTitle(nls.localize('coditect/agent-chat/change-set-title', 'Changes of task #{0}', taskId));
        request.changeSet = changeSet;
    }
}
