import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import { nls } from '@theia/core/lib/common/nls';
import { injectable } from '@theia/core/shared/inversify';
import type { CheckpointInfo } from '../common/change-review-protocol';
import { RestoreConfirmation } from './restore-confirmation';

const K = 'coditect/change-review/';

/** The confirmation as Theia's dialog: what is put back, and that it can be undone. */
@injectable()
export class RestoreConfirmationDialog implements RestoreConfirmation {
    async confirm(checkpoint: Pick<CheckpointInfo, 'id' | 'label'>, path: string | undefined): Promise<boolean> {
        return !!await new ConfirmDialog({
            title: nls.localize(`${K}restore-title`, 'Restore Checkpoint'),
            msg: path
                ? nls.localize(`${K}restore-file-confirm`, 'Restore {0} to checkpoint #{1}, "{2}"? It goes back to how it was then (deleted if it did not exist). You can undo this.',
                    path, checkpoint.id, checkpoint.label)
                : nls.localize(`${K}restore-confirm`, 'Restore the workspace to checkpoint #{0}, "{1}"? Every file changed since goes back to how it was then; files created since are deleted. You can undo this.',
                    checkpoint.id, checkpoint.label),
            ok: nls.localize(`${K}restore`, 'Restore'),
        }).open();
    }
}
