import { Command } from '@theia/core/lib/common/command';

export namespace AgentActivityCommands {
    const category = 'CODITECT';
    const localized = (command: Command, key: string) => Command.toLocalizedCommand(command, `coditect/agent-activity/${key}`, 'coditect/category');
    export const SHOW_AGENTS: Command = localized({ id: 'coditect.agents.show', category, label: 'Show Agent Activity' }, 'show-agents');
    export const SHOW_TASKS: Command = localized({ id: 'coditect.tasks.show', category, label: 'Show Task Queue' }, 'show-tasks');
    export const SUBMIT_TASK: Command = localized({ id: 'coditect.tasks.submit', category, label: 'Submit Task to Agent…' }, 'submit-task-command');
    /** The session timeline's (extensions/session-timeline), called by id: extensions do not import each other. */
    export const TIMELINE_REVEAL_TASK = 'coditect.timeline.revealTask';
    export const TIMELINE_REVEAL_AGENT = 'coditect.timeline.revealAgent';
}
