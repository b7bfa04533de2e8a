import { Command } from '@theia/core/lib/common/command';

export namespace AgentActivityCommands {
    const category = 'CODITECT';
    export const SHOW_AGENTS: Command = { id: 'coditect.agents.show', category, label: 'Show Agent Activity' };
    export const SHOW_TASKS: Command = { id: 'coditect.tasks.show', category, label: 'Show Task Queue' };
    export const SUBMIT_TASK: Command = { id: 'coditect.tasks.submit', category, label: 'Submit Task to Agent…' };
    /** The session timeline's (extensions/session-timeline), called by id: extensions do not import each other. */
    export const TIMELINE_REVEAL_TASK = 'coditect.timeline.revealTask';
    export const TIMELINE_REVEAL_AGENT = 'coditect.timeline.revealAgent';
}
