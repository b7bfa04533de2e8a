import type { CheckpointInfo } from '../common/change-review-protocol';

export const RestoreConfirmation = Symbol('RestoreConfirmation');
/** Asks the person whether to put the workspace (or `path`) back as it was at the checkpoint. */
export interface RestoreConfirmation {
    confirm(checkpoint: Pick<CheckpointInfo, 'id' | 'label'>, path: string | undefined): Promise<boolean>;
}
