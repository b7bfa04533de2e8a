import { injectable, inject } from '@theia/core/shared/inversify';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { WorkspaceCommands } from '@theia/workspace/lib/browser/workspace-commands';

/** Theia's commands that open, add or close workspace folders: the studio has one folder (studio-workspace-service.ts). */
const FolderChangingCommands = [
    WorkspaceCommands.OPEN_FOLDER, WorkspaceCommands.OPEN_WORKSPACE, WorkspaceCommands.OPEN_RECENT_WORKSPACE, WorkspaceCommands.CLOSE,
    WorkspaceCommands.ADD_FOLDER, WorkspaceCommands.REMOVE_FOLDER, WorkspaceCommands.SAVE_WORKSPACE_AS, WorkspaceCommands.OPEN_WORKSPACE_FILE,
];

/** Takes the folder-changing commands out of the command palette and the menus (menu items without a command are hidden). */
@injectable()
export class SingleRootContribution implements FrontendApplicationContribution {

    @inject(CommandRegistry)
    protected readonly commands: CommandRegistry;

    onStart(): void {
        for (const command of FolderChangingCommands) {
            this.commands.unregisterCommand(command);
        }
    }
}
