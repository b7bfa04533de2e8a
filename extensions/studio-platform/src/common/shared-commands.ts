import type { Command, CommandService } from '@theia/core/lib/common/command';
import type { WorkflowRunInfo } from '@coditect/workspace-backend/types';
import { studioCommand } from './studio-command';

/**
 * A command that one extension contributes and others run. `Arg` is the argument it is run with;
 * the owner registers the command, the others run it with `runSharedCommand`, which checks the
 * argument's type at compile time. Extensions share these, never each other's code.
 */
export interface SharedCommand<Arg, Result = unknown> extends Command {
    /** Never set: carries `Arg` for the compiler. */
    readonly argument?: Arg;
    /** Never set: carries what the command answers for the compiler. */
    readonly result?: Result;
}

function shared<Arg, Result = unknown>(command: Command): SharedCommand<Arg, Result> {
    return command;
}

/** The commands that extensions run across their boundaries; each id is written here and only here. */
export namespace SharedCommands {
    /** The SQL console's (sql-console): opens a console on a database, by name (the status tooltip's links); without one, asks. */
    export const SQL_CONSOLE_OPEN_DATABASE = shared<string | undefined>(studioCommand('sql-console', 'open-database',
        { id: 'coditect.sqlConsole.openDatabase', label: 'Open SQL Console on Database…' }));
    /** The session timeline's: finds a task on the timeline (the activity panel, the task queue, the cost dashboard); from the palette, asks for its number. */
    export const TIMELINE_REVEAL_TASK = shared<{ readonly taskId: number } | undefined>(studioCommand('session-timeline', 'reveal-task',
        { id: 'coditect.timeline.revealTask', label: 'Find Task on Session Timeline…' }));
    /** The session timeline's: the live session, narrowed to that agent's lane. */
    export const TIMELINE_REVEAL_AGENT = shared<{ readonly agentId: string } | undefined>(studioCommand('session-timeline', 'reveal-agent',
        { id: 'coditect.timeline.revealAgent', label: 'Find Agent on Session Timeline…' }));
    /**
     * The agent activity panel's (agent-activity): asks an admin for an agent's provider key (the welcome page, the
     * panel, the palette) and hands it to the backend, which keeps it; without an agent, asks which vendor. Disabled
     * for a user who may not manage keys, so a caller can show "ask an admin" instead.
     */
    export const PROVIDER_KEY_SET = shared<{ readonly agentId: string } | undefined>(studioCommand('agent-activity', 'set-provider-key',
        { id: 'coditect.agents.setProviderKey', label: 'Set Provider Key…' }));
    /** The Changes view's (change-review): shows a task's change set (the activity panel, the task queue, the chat, the timeline); from the palette, asks for its number. */
    export const CHANGES_REVEAL_TASK = shared<{ readonly taskId: number } | undefined>(studioCommand('change-review', 'reveal-task',
        { id: 'coditect.changes.revealTask', label: 'Show Task\'s Changes…' }));
    /** The Changes view's: opens one file of a task's change set in the diff editor, before the task against after it. */
    export const CHANGES_OPEN_DIFF = shared<{ readonly taskId: number; readonly path: string }>(studioCommand('change-review', 'open-diff',
        { id: 'coditect.changes.openDiff', label: 'Open Change Diff' }));
    /**
     * Source control's (source-control): the changes of a commit of the workspace's repository (the Changes view's
     * commits of a task), a diff of the file with its parent, or a pick of its files; from the palette, asks which of
     * the latest commits.
     */
    export const GIT_OPEN_COMMIT = shared<{ readonly sha: string } | undefined>(studioCommand('source-control', 'open-commit',
        { id: 'coditect.git.openCommit', label: 'Open Commit\'s Changes…' }));
    /**
     * The Changes view's, for the chat (agent-chat): a finished task's files as elements of Theia's chat
     * change set (`ChangeSetElement` of @theia/ai-chat), following reviews; empty when it changed none.
     * No label: not a palette command.
     */
    export const CHANGES_CHAT_ELEMENTS = shared<{ readonly taskId: number }, readonly object[]>({ id: 'coditect.changes.chatElements' });
    /**
     * The Task Queue's (agent-activity): starts a run of a workspace workflow (the chat's `/workflow`); from the
     * palette, asks which and what for. Answers the run, or undefined when none started (the person was told why).
     */
    export const WORKFLOW_RUN = shared<{ readonly name: string; readonly input: string } | undefined, WorkflowRunInfo | undefined>(studioCommand('agent-activity', 'run-workflow',
        { id: 'coditect.workflows.run', label: 'Run Workflow…' }));
}

/** Runs a shared command with its argument; the command's owner may be missing (it then rejects, as any unknown command). */
export function runSharedCommand<Arg, Result>(commands: CommandService, command: SharedCommand<Arg, Result>, arg: Arg): Promise<Result | undefined> {
    return commands.executeCommand<Result>(command.id, arg);
}
