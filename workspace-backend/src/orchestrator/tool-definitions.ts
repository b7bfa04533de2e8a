import type { ToolDefinition } from '../providers/model-provider';
import type { ToolName } from './agent-definition';

const object = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', properties, required });
const str = (description: string) => ({ type: 'string', description });
const int = (description: string) => ({ type: 'integer', description });

/** What the model sees of each tool. Paths are workspace-relative. */
export const ToolDefinitions: Readonly<Record<ToolName, ToolDefinition>> = {
    list_files: {
        name: 'list_files', description: 'List files and folders under a workspace folder (recursively, .git and node_modules skipped). Folders end with /.',
        parameters: object({ path: str('Folder, workspace-relative; default the root.'), max_entries: int('At most this many entries (default 200).') }, []),
    },
    read_file: {
        name: 'read_file', description: 'Read a text file of the workspace.',
        parameters: object({ path: str('File, workspace-relative.') }, ['path']),
    },
    search: {
        name: 'search', description: 'Search file contents with a regular expression (ripgrep). Returns path:line:text lines.',
        parameters: object({ pattern: str('Regular expression.'), path: str('Folder or file to search; default the root.'), glob: str('Only files matching this glob, e.g. *.ts'), max_results: int('Default 100.') }, ['pattern']),
    },
    edit_file: {
        name: 'edit_file', description: 'Replace an exact piece of text in a file. old_text must occur exactly once (unless replace_all). Waits for the file\'s lock if another agent holds it.',
        parameters: object({ path: str('File, workspace-relative.'), old_text: str('The exact current text.'), new_text: str('Its replacement.'), replace_all: { type: 'boolean' } }, ['path', 'old_text', 'new_text']),
    },
    write_file: {
        name: 'write_file', description: 'Create or overwrite a file with the given content. Waits for the file\'s lock if another agent holds it.',
        parameters: object({ path: str('File, workspace-relative.'), content: str('The whole new content.') }, ['path', 'content']),
    },
    run_command: {
        name: 'run_command', description: 'Run a shell command in the workspace. Output is capped; the command is killed at its time limit.',
        parameters: object({ command: str('A sh command line.'), cwd: str('Workspace-relative folder; default the root.'), timeout_ms: int('Default the agent\'s command limit.') }, ['command']),
    },
    send_message: {
        name: 'send_message', description: 'Send a message to another agent (by id), or publish it on a topic. The recipient reads it on its next turn.',
        parameters: object({ to: str('An agent id, e.g. gemini.'), topic: str('Instead of to: a topic name.'), text: str('The message.') }, ['text']),
    },
    delegate: {
        name: 'delegate',
        description: 'Hand sub-tasks to other agents and wait for their results (their finish summaries): one with agent and prompt, '
            + 'or several at once with tasks, which run in parallel; wait "all" (default) for every one, or "first" for the first that finishes '
            + '(the others are then cancelled).',
        parameters: object({
            agent: str('The agent id, e.g. codex (for one sub-task).'),
            prompt: str('What it should do, self-contained (for one sub-task).'),
            tasks: { type: 'array', description: 'Several sub-tasks, run in parallel.', items: object({ agent: str('The agent id.'), prompt: str('What it should do, self-contained.') }, ['agent', 'prompt']) },
            wait: { type: 'string', enum: ['all', 'first'], description: 'Wait for all the sub-tasks (default) or for the first that finishes.' },
            priority: int('Default 0; higher runs first.'),
        }, []),
    },
    read_timeline: {
        name: 'read_timeline',
        description: 'Read the session timeline: what agents and people did in this or earlier studio runs (tasks, edits, chat, messages, workflows). '
            + 'One line per event: #seq time [agent] kind (task): summary. Default: the previous session, the events that tell its story.',
        parameters: object({
            session: str('"previous" (default), "current", "list" (the sessions), or a session id from the list.'),
            agent: str('Only this agent\'s events (its id, e.g. claude).'),
            path: str('Only events about this file or folder.'),
            task: int('Only this task\'s events.'),
            kinds: { type: 'array', items: { type: 'string' }, description: 'Event kinds, e.g. ["task","file-edit"]; ["all"] for every kind.' },
            from: int('Start at this position among the matching events (the last line says where the next page starts).'),
            limit: int('At most this many events (default 100, at most 300).'),
        }, []),
    },
    finish: {
        name: 'finish', description: 'End the task with a short summary of what was done.',
        parameters: object({ summary: str('What you did, for the user.') }, ['summary']),
    },
};
