import { CommandContribution, CommandRegistry, CommandService } from '@theia/core/lib/common/command';
import { MenuContribution, MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { EditorContextMenu, EditorManager } from '@theia/editor/lib/browser';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';
import { ChangeReviewService, LineOrigin } from '../common/change-review-protocol';
import { ChangeReviewCommands } from './change-review-commands';
import { ChangeLabels } from './change-labels';

const K = 'coditect/change-review/';
const messageOf = (error: unknown) => error instanceof Error ? error.message : String(error);

/**
 * "CODITECT: Who Wrote This Line?" in the editor's context menu and the palette: the cursor's line
 * followed back through every state the studio saw of the file, to the task (its change set one
 * click away), the person or the process that last wrote it.
 */
@injectable()
export class LineHistoryContribution implements CommandContribution, MenuContribution {

    @inject(ChangeReviewService) protected readonly service: ChangeReviewService;
    @inject(EditorManager) protected readonly editors: EditorManager;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(CommandService) protected readonly commands: CommandService;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(ChangeReviewCommands.WHO_WROTE_LINE, {
            execute: () => this.showLineOrigin(),
            isEnabled: () => this.editors.currentEditor !== undefined,
        });
    }

    registerMenus(menus: MenuModelRegistry): void {
        menus.registerMenuAction(EditorContextMenu.NAVIGATION, { commandId: ChangeReviewCommands.WHO_WROTE_LINE.id, order: 'z' });
    }

    protected async showLineOrigin(): Promise<void> {
        const editor = this.editors.currentEditor?.editor;
        if (!editor) {
            return;
        }
        const line = editor.cursor.line + 1;
        let path: string | undefined;
        let origins: LineOrigin[] | undefined;
        try {
            path = new URI(await this.service.rootUri()).relative(editor.uri)?.toString();
            if (path === undefined || path === '') {
                this.messages.info(nls.localize(`${K}line-outside`, '{0} is not in the workspace: the studio keeps the history of workspace files only.', editor.uri.path.base));
                return;
            }
            origins = await this.service.lineOrigins(path);
        } catch (error) {
            this.messages.error(nls.localize(`${K}line-failed`, 'Could not follow the line back: {0}', messageOf(error)));
            return;
        }
        const origin = origins?.[line - 1];
        if (!origin) {
            this.messages.info(nls.localize(`${K}line-unknown`, 'The studio has no history of line {0} of {1}: save the file first, or it is not text the studio keeps (binary, or over 1 MiB).', line, path));
            return;
        }
        const show = nls.localize(`${K}show-task-changes`, 'Show Task\'s Changes');
        const text = ChangeLabels.escapeMarkdown(ChangeLabels.lineOrigin(path, line, origin));
        if (await this.messages.info(text, ...(origin.taskId !== undefined ? [show] : [])) === show) {
            await runSharedCommand(this.commands, SharedCommands.CHANGES_REVEAL_TASK, { taskId: origin.taskId! });
        }
    }
}
