import { Command } from '@theia/core/lib/common/command';

export namespace SessionTimelineCommands {
    const category = 'CODITECT';
    export const SHOW: Command = { id: 'coditect.timeline.show', category, label: 'Show Session Timeline' };
    export const IMPORT: Command = { id: 'coditect.timeline.import', category, label: 'Import Agent Transcript…' };
    /** Called by other views with `{ taskId: number }` (the activity panel, the task queue, the cost dashboard); prompts for a number from the palette. */
    export const REVEAL_TASK: Command = { id: 'coditect.timeline.revealTask', category, label: 'Find Task on Session Timeline…' };
    /** `{ agentId: string }`: the live session, narrowed to that agent's lane. */
    export const REVEAL_AGENT: Command = { id: 'coditect.timeline.revealAgent', category, label: 'Find Agent on Session Timeline…' };
    export const SHOW_WORKSPACE_AT: Command = { id: 'coditect.timeline.showWorkspaceAt', category, label: 'Show the Workspace at This Point of the Timeline' };
    export const OPEN_DIFF: Command = { id: 'coditect.timeline.openDiff' };
    export const OPEN_FILE_AT: Command = { id: 'coditect.timeline.openFileAt' };
}
