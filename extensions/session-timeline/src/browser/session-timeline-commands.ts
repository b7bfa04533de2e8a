import { Command } from '@theia/core/lib/common/command';
import { SharedCommands, studioCommand } from '@coditect/studio-platform/common';

export namespace SessionTimelineCommands {
    export const SHOW: Command = studioCommand('session-timeline', 'show', { id: 'coditect.timeline.show', label: 'Show Session Timeline' });
    export const IMPORT: Command = studioCommand('session-timeline', 'import', { id: 'coditect.timeline.import', label: 'Import Agent Transcript…' });
    /** Run by other views (the activity panel, the task queue, the cost dashboard); prompts for a number from the palette. */
    export const REVEAL_TASK = SharedCommands.TIMELINE_REVEAL_TASK;
    export const REVEAL_AGENT = SharedCommands.TIMELINE_REVEAL_AGENT;
    export const SHOW_WORKSPACE_AT: Command = studioCommand('session-timeline', 'show-workspace-at', { id: 'coditect.timeline.showWorkspaceAt', label: 'Show the Workspace at This Point of the Timeline' });
    export const OPEN_DIFF: Command = { id: 'coditect.timeline.openDiff' };
    export const OPEN_FILE_AT: Command = { id: 'coditect.timeline.openFileAt' };
}
