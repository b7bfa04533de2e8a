import { FrontendApplicationContribution, open, OpenerService, QuickInputService } from '@theia/core/lib/browser';
import { DiffUris } from '@theia/core/lib/browser/diff-uris';
import { Command, CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { FileConflict, WorkspaceStatusService } from '../common/workspace-status-protocol';
import { WorkspaceStatusClientImpl } from './workspace-status-client-impl';

export namespace FileSyncCommands {
    const category = 'CODITECT';
    export const SYNC_NOW: Command = { id: 'coditect.fileSync.syncNow', category, label: 'Sync Workspace Files Now' };
    export const SHOW_UNSYNCED: Command = { id: 'coditect.fileSync.showUnsynced', category, label: 'Show Unsynced Files' };
}

/** Workspace file sync in the IDE: sync now, what is not synced yet, and conflicts as they happen. */
@injectable()
export class FileSyncContribution implements CommandContribution, FrontendApplicationContribution {

    @inject(WorkspaceStatusService) protected readonly service: WorkspaceStatusService;
    @inject(WorkspaceStatusClientImpl) protected readonly client: WorkspaceStatusClientImpl;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(OpenerService) protected readonly openers: OpenerService;

    onStart(): void {
        this.client.onDidConflict(conflict => this.showConflict(conflict));
    }

    registerCommands(commands: CommandRegistry): void {
        commands.registerCommand(FileSyncCommands.SYNC_NOW, { execute: () => this.syncNow() });
        commands.registerCommand(FileSyncCommands.SHOW_UNSYNCED, { execute: () => this.showUnsynced() });
    }

    protected async syncNow(): Promise<void> {
        const progress = await this.messages.showProgress({ text: 'Syncing workspace files with the store…' });
        try {
            const status = await this.service.syncFilesNow();
            if (!status) {
                this.messages.info('File sync is off (STUDIO_FILE_SYNC=off, or no replica store is configured).');
            } else if (status.pending > 0) {
                this.messages.warn(`${status.pending} file(s) could not be synced yet${status.lastError ? `: ${status.lastError}` : ''}. They are retried automatically.`);
            } else {
                this.messages.info(`Workspace files are in sync (${status.store}).`);
            }
        } catch (error) {
            this.messages.error(`Sync failed: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
            progress.cancel();
        }
    }

    protected async showUnsynced(): Promise<void> {
        const [pending, health] = await Promise.all([this.service.unsyncedFiles(), this.service.getHealth()]);
        if (pending.length === 0) {
            this.messages.info('Every workspace file is synced.');
            return;
        }
        const root = new URI(`file://${health.workspaceDir}`);
        const picked = await this.quickInput.showQuickPick(pending.map(p => ({
            label: p.path, description: `since ${new Date(p.since).toLocaleTimeString()}${p.attempts > 1 ? `, ${p.attempts} attempts` : ''}`, detail: p.error,
        })), { placeholder: `${pending.length} file(s) not yet in the store; pick one to open it` });
        if (picked) {
            await open(this.openers, root.resolve(picked.label));
        }
    }

    protected async showConflict(conflict: FileConflict): Promise<void> {
        const choice = await this.messages.warn(conflict.message, 'Compare');
        if (choice === 'Compare') {
            const { workspaceDir } = await this.service.getHealth();
            const root = new URI(`file://${workspaceDir}`);
            await open(this.openers, DiffUris.encode(root.resolve(conflict.remoteCopy), root.resolve(conflict.path), `${conflict.path}: store ↔ local`));
        }
    }
}
