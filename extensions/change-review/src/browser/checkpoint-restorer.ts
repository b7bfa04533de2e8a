import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { ProgressService } from '@theia/core/lib/common/progress-service';
import { QuickInputService, QuickPickItem } from '@theia/core/lib/common/quick-pick-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ChangeReviewService, CheckpointInfo, CheckpointRestoreResult } from '../common/change-review-protocol';
import { ChangeLabels } from './change-labels';
import { RestoreConfirmation } from './restore-confirmation';

const K = 'coditect/change-review/';
const messageOf = (error: unknown) => error instanceof Error ? error.message : String(error);

/**
 * Puts the workspace, or one file, back as it was at a checkpoint: asks first (saying what is put
 * back and that it can be undone), shows progress, then says what was restored with an Undo
 * action (which restores the checkpoint the restore made of the moment before it), and names
 * every file it could not put back and why.
 */
@injectable()
export class CheckpointRestorer {

    @inject(ChangeReviewService) protected readonly service: ChangeReviewService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(ProgressService) protected readonly progress: ProgressService;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(RestoreConfirmation) protected readonly confirmation: RestoreConfirmation;

    /** Lets the person pick any checkpoint, newest first, and restores the workspace to it. */
    async pickAndRestore(): Promise<void> {
        let checkpoints: CheckpointInfo[];
        try {
            checkpoints = await this.service.checkpoints();
        } catch (error) {
            this.messages.error(nls.localize(`${K}checkpoints-failed`, 'Could not read the checkpoints: {0}', messageOf(error)));
            return;
        }
        const available = checkpoints.filter(c => c.available);
        if (available.length === 0) {
            this.messages.info(nls.localize(`${K}no-checkpoints`, 'There is no checkpoint to restore yet: one is made before each task starts.'));
            return;
        }
        const picked = await this.quickInput.pick<QuickPickItem & { checkpoint: CheckpointInfo }>(available.map(checkpoint => ({
            label: `$(${checkpoint.kind === 'task' ? 'history' : 'discard'}) ${checkpoint.label}`,
            description: `#${checkpoint.id}`, detail: new Date(checkpoint.at).toLocaleString(), checkpoint,
        })), { placeHolder: nls.localize(`${K}pick-checkpoint`, 'Put the workspace back as it was at…'), matchOnDetail: true });
        if (picked) {
            await this.restore(picked.checkpoint);
        }
    }

    /** Restores the workspace, or `path`, to how it was before the task first started. */
    async restoreBeforeTask(taskId: number, path?: string): Promise<void> {
        let checkpoint: CheckpointInfo | undefined;
        try {
            checkpoint = (await this.service.checkpoints()).find(c => c.kind === 'task' && c.taskId === taskId);
        } catch (error) {
            this.messages.error(nls.localize(`${K}checkpoints-failed`, 'Could not read the checkpoints: {0}', messageOf(error)));
            return;
        }
        if (!checkpoint || !checkpoint.available) {
            this.messages.info(nls.localize(`${K}no-task-checkpoint`, 'Task #{0} has no checkpoint to restore: it started before the studio kept the workspace\'s history. Reject its changes instead.', taskId));
            return;
        }
        await this.restore(checkpoint, path);
    }

    /** `undo` restores without asking: the person just asked for it from the restore's own message. */
    async restore(checkpoint: Pick<CheckpointInfo, 'id' | 'label'>, path?: string, undo = false): Promise<void> {
        const what = path ?? nls.localize(`${K}the-workspace`, 'the workspace');
        if (!undo && !await this.confirmation.confirm(checkpoint, path)) {
            return;
        }
        let result: CheckpointRestoreResult;
        try {
            result = await this.progress.withProgress(nls.localize(`${K}restoring`, 'Restoring {0} to checkpoint #{1}…', what, checkpoint.id), 'window',
                () => this.service.restoreCheckpoint({ checkpointId: checkpoint.id, path }));
        } catch (error) {
            this.messages.error(ChangeLabels.escapeMarkdown(nls.localize(`${K}restore-failed`, 'Could not restore {0}: {1}', what, messageOf(error))));
            return;
        }
        await this.report(checkpoint, path, result, undo);
    }

    protected async report(checkpoint: Pick<CheckpointInfo, 'id' | 'label'>, path: string | undefined, result: CheckpointRestoreResult, undone: boolean): Promise<void> {
        const putBack = result.files.filter(f => f.outcome === 'restored' || f.outcome === 'deleted').length;
        const missed = result.files.filter(f => f.outcome === 'skipped' || f.outcome === 'failed');
        if (missed.length > 0) {
            this.messages.warn(ChangeLabels.escapeMarkdown(nls.localize(`${K}restore-missed`, 'Not put back: {0}',
                missed.map(f => `${f.path} (${f.reason ?? f.outcome})`).join('; '))));
        }
        if (result.files.length === 0) {
            this.messages.info(nls.localize(`${K}restore-nothing`, 'Nothing to put back: {0} is as it was at checkpoint #{1}.', path ?? nls.localize(`${K}the-workspace`, 'the workspace'), checkpoint.id));
            return;
        }
        const undo = nls.localize(`${K}undo`, 'Undo');
        const text = undone
            ? nls.localize(`${K}restore-undone`, 'Undone: {0} file(s) put back as they were before the restore.', putBack)
            : nls.localize(`${K}restore-done`, 'Restored {0} file(s) to checkpoint #{1}.', putBack, checkpoint.id);
        if (await this.messages.info(text, ...(undone ? [] : [undo])) === undo) {
            await this.restore({ id: result.undoCheckpointId, label: '' }, path, true);
        }
    }
}
