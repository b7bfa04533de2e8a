import { Command } from '@theia/core/lib/common/command';
import { SharedCommands, studioCommand } from '@coditect/studio-platform/common';

export namespace ChangeReviewCommands {
    export const SHOW: Command = studioCommand('change-review', 'show', { id: 'coditect.changes.show', label: 'Show Changes' });
    export const WHO_WROTE_LINE: Command = studioCommand('change-review', 'who-wrote-line', { id: 'coditect.changes.whoWroteLine', label: 'Who Wrote This Line?' });
    export const RESTORE_CHECKPOINT: Command = studioCommand('change-review', 'restore-checkpoint', { id: 'coditect.changes.restoreCheckpoint', label: 'Restore Checkpoint…', iconClass: 'codicon codicon-history' });
    /** Run by other views (the activity panel, the task queue, the chat, the timeline); prompts for a number from the palette. */
    export const REVEAL_TASK = SharedCommands.CHANGES_REVEAL_TASK;
    export const OPEN_DIFF = SharedCommands.CHANGES_OPEN_DIFF;
}
