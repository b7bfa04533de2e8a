import { ExitCode } from '../cli/cli-command';
import { ApiPath, TaskInfo } from './api-types';
import { agentId, wholeNumberOption, wordsText } from './command-arguments';
import { CoordinationCommand, jsonText } from './coordination-command';

export interface TaskArgs {
    readonly agent: string;
    readonly prompt: string;
    readonly priority?: number;
    /** USD, as typed: the studio checks the amount. */
    readonly budgetUsd?: string;
    readonly json: boolean;
}

const example = 'coditect task @claude Write the release notes';

/** `Queued task #12 for claude.`, with its budget when it has one. */
export function formatQueued(task: TaskInfo): string {
    const budget = task.budgetUsd ? ` It and the tasks it delegates may spend $${task.budgetUsd} together.` : '';
    return `Queued task #${task.id} for ${task.agentId}.${budget}`;
}

export const taskCommand: CoordinationCommand<TaskArgs> = {
    name: 'task',
    summary: 'Give an agent a task.',
    positionals: true,
    help: `Usage: coditect task @<agent> <prompt...> [--priority <n>] [--budget <usd>] [--json]

Queues a task for the agent (the @ is optional), in your name; the words after the agent are its
prompt. Quote the prompt or put it after -- when it has characters the shell or coditect would read
(coditect task @claude -- --fix the flaky test).

Options:
  --priority <n>   Higher runs first among the agent's queued tasks (a whole number)
  --budget <usd>   What the task and every task it delegates may spend together (2.5); past it the
                   studio cancels them all, saying so
`,
    options: { priority: { type: 'string' }, budget: { type: 'string' } },
    parse(values, positionals) {
        const [agent, ...words] = positionals;
        return {
            agent: agentId(agent, example), prompt: wordsText(words, 'what the task is', example),
            priority: wholeNumberOption(values, 'priority'), json: values.json === true,
            ...(typeof values.budget === 'string' ? { budgetUsd: values.budget } : {}),
        };
    },
    async run({ json, ...request }, studio, print) {
        const task = await studio.post<TaskInfo>(ApiPath.tasks, request);
        print(json ? jsonText(task) : formatQueued(task));
        return ExitCode.ok;
    },
};
