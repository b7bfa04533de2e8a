import { Command } from '@theia/core/lib/common/command';
import { studioCommand } from '@coditect/studio-platform/common';

export namespace AgentActivityCommands {
    export const SHOW_AGENTS: Command = studioCommand('agent-activity', 'show-agents', { id: 'coditect.agents.show', label: 'Show Agent Activity' });
    export const SHOW_TASKS: Command = studioCommand('agent-activity', 'show-tasks', { id: 'coditect.tasks.show', label: 'Show Task Queue' });
    /** Admins: forgets a key set in the studio (setting one is SharedCommands.PROVIDER_KEY_SET, which other views run too). */
    export const REMOVE_PROVIDER_KEY: Command = studioCommand('agent-activity', 'remove-provider-key', { id: 'coditect.agents.removeProviderKey', label: 'Remove Provider Key…' });
    export const SUBMIT_TASK: Command = studioCommand('agent-activity', 'submit-task-command', { id: 'coditect.tasks.submit', label: 'Submit Task to Agent…' });
    export const CANCEL_WORKFLOW: Command = studioCommand('agent-activity', 'cancel-workflow', { id: 'coditect.workflows.cancel', label: 'Cancel Workflow Run…' });
}
