import { ExitCode, integerOption } from '../cli/cli-command';
import { ApiPath, TaskInfo, TasksAnswer } from './api-types';
import { agentId } from './command-arguments';
import { CoordinationCommand, jsonText } from './coordination-command';
import { alignedColumns, shortened } from './text-format';

export interface TasksArgs {
    readonly agent?: string;
    readonly limit?: number;
    readonly json: boolean;
}

/** `#12  claude  running  Write the notes`, in the order the studio lists them. */
export function formatTasks(tasks: readonly TaskInfo[]): string[] {
    if (tasks.length === 0) {
        return ['No tasks.'];
    }
    return alignedColumns(tasks.map(task => [`#${task.id}`, task.agentId, task.status, shortened(task.title)]));
}

export const tasksCommand: CoordinationCommand<TasksArgs> = {
    name: 'tasks',
    summary: 'List the agents\' tasks and their state.',
    help: `Usage: coditect tasks [--agent <id>] [--limit <n>] [--json]

Lists the agents' tasks as the studio orders them: number, agent, state (queued, running, done,
failed, cancelled) and title.

Options:
  --agent <id>   Only this agent's tasks (e.g. claude or @claude)
  --limit <n>    At most this many
`,
    options: { agent: { type: 'string' }, limit: { type: 'string' } },
    parse(values) {
        const agent = values.agent === undefined ? undefined : agentId(values.agent as string, 'coditect tasks --agent claude');
        return { agent, limit: integerOption(values, 'limit'), json: values.json === true };
    },
    async run({ agent, limit, json }, studio, print) {
        const answer = await studio.get<TasksAnswer>(ApiPath.tasks, { query: { agent, limit } });
        (json ? [jsonText(answer)] : formatTasks(answer.tasks)).forEach(line => print(line));
        return ExitCode.ok;
    },
};
