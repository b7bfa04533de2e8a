import { Command } from '@theia/core/lib/common/command';

export namespace SessionTimelineCommands {
    const category = 'CODITECT';
    const categoryKey = 'coditect/category';
    const localized = (command: Command, key: string) => Command.toLocalizedCommand(command, `coditect/session-timeline/${key}`, categoryKey);
    export const SHOW: Command = localized({ id: 'coditect.timeline.show', category, label: 'Show Session Timeline' }, 'show');
    export const IMPORT: Command = localized({ id: 'coditect.timeline.import', category, label: 'Import Agent Transcript…' }, 'import');
    /** Called by other views with `{ taskId: number }` (the activity panel, the task queue, the cost dashboard); prompts for a number from the palette. */
    export const REVEAL_TASK: Command = localized({ id: 'coditect.timeline.revealTask', category, label: 'Find Task on Session Timeline…' }, 'reveal-task');
    /** `{ agentId: string }`: the live session, narrowed to that agent's lane. */
    export const REVEAL_AGENT: Command = localized({ id: 'coditect.timeline.revealAgent', category, label: 'Find Agent on Session Timeline…' }, 'reveal-agent');
    export const SHOW_WORKSPACE_AT: Command = localized({ id: 'coditect.timeline.showWorkspaceAt', category, label: 'Show the Workspace at This Point of the Timeline' }, 'show-workspace-at');
    export const OPEN_DIFF: Command = { id: 'coditect.timeline.openDiff' };
    export const OPEN_FILE_AT: Command = { id: 'coditect.timeline.openFileAt' };
}
