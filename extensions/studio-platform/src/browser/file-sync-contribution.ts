import { FrontendApplicationContribution, open, OpenerService, QuickInputService } from '@theia/core/lib/browser';
import { DiffUris } from '@theia/core/lib/browser/diff-uris';
import { Command, CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import URI from '@theia/core/lib/common/uri';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { studioCommand } from '../common/studio-command';
import { FileConflict, WorkspaceStatusService } from '../common/workspace-status-protocol';
import { WorkspaceStatusClientImpl } from './workspace-status-client-impl';

namespace FileSyncCommands {
    export const SYNC_NOW: Command = studioCommand('studio-platform', 'sync-now', { id: 'coditect.fileSync.syncNow', label: 'Sync Workspace Files Now' });
    export const SHOW_UNSYNCED: Command = studioCommand('studio-platform', 'show-unsynced', { id: 'coditect.fileSync.showUnsynced', label: 'Show Unsynced Files' });
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
        const progress = await this.messages.showProgress({ text: nls.localize('coditect/studio-platform/syncing', 'Syncing workspace files with the store…') });
        try {
            const status = await this.service.syncFilesNow();
            if (!status) {
                this.messages.info(nls.localize('coditect/studio-platform/sync-off', 'File sync is off (STUDIO_FILE_SYNC=off, or no replica store is configured).'));
            } else if (status.pending > 0) {
                this.messages.warn(nls.localize('coditect/studio-platform/sync-pending', '{0} file(s) could not be synced yet{1}. They are retried automatically.', status.pending, status.lastError ? `: ${status.lastError}` : ''));
            } else {
                this.messages.info(nls.localize('coditect/studio-platform/in-sync', 'Workspace files are in sync ({0}).', status.store));
            }
        } catch (error) {
            this.messages.error(nls.localize('coditect/studio-platform/sync-failed', 'Sync failed: {0}', error instanceof Error ? error.message : String(error)));
        } finally {
            progress.cancel();
        }
    }

    protected async showUnsynced(): Promise<void> {
        const [pending, health] = await Promise.all([this.service.unsyncedFiles(), this.service.getHealth()]);
        if (pending.length === 0) {
            this.messages.info(nls.localize('coditect/studio-platform/all-synced', 'Every workspace file is synced.'));
            return;
        }
        const root = new URI(`file://${health.workspaceDir}`);
        const picked = await this.quickInput.showQuickPick(pending.map(p => ({
            label: p.path, description: nls.localize('coditect/studio-platform/unsynced-since', 'since {0}{1}', new Date(p.since).toLocaleTimeString(), p.attempts > 1 ? nls.localize('coditect/studio-platform/attempts', ', {0} attempts', p.attempts) : ''), detail: p.error,
        })), { placeholder: nls.localize('coditect/studio-platform/unsynced-placeholder', '{0} file(s) not yet in the store; pick one to open it', pending.length) });
        if (picked) {
            await open(this.openers, root.resolve(picked.label));
        }
    }

    protected async showConflict(conflict: FileConflict): Promise<void> {
        const compare = nls.localize('coditect/studio-platform/compare', 'Compare');
        const choice = await this.messages.warn(conflict.message, compare);
        if (choice === compare) {
            const { workspaceDir } = await this.service.getHealth();
            const root = new URI(`file://${workspaceDir}`);
            await open(this.openers, DiffUris.encode(root.resolve(conflict.remoteCopy), root.resolve(conflict.path), nls.localize('coditect/studio-platform/conflict-diff-title', '{0}: store ↔ local', conflict.path)));
        }
    }
}
