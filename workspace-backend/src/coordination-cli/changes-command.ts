import { ExitCode, integerOption } from '../cli/cli-command';
import { ApiPath, ChangesAnswer, ChangeSetSummary } from './api-types';
import { agentId } from './command-arguments';
import { CoordinationCommand, jsonText } from './coordination-command';
import { shortened } from './text-format';

export interface ChangesArgs {
    readonly agent?: string;
    readonly limit?: number;
    readonly json: boolean;
}

/**
 * `#12 claude "Write notes" 3 file(s) +10 -2 pending`: the task, its agent and title, how much it changed and
 * its review; then the task it was delegated from, what it and its sub-tasks changed together,
 * whether its edits still wait for that review outside the workspace, and its commits.
 */
export function formatChangeSet(set: ChangeSetSummary): string {
    const notes = [
        ...(set.parentTaskId !== undefined ? [`delegated from #${set.parentTaskId}`] : []),
        ...(set.tree ? [`with ${set.tree.subtaskIds.length} sub-task(s) ${set.tree.subtaskIds.map(id => `#${id}`).join(', ')}: ${set.tree.files} file(s) +${set.tree.added} -${set.tree.removed} ${set.tree.review} in all`] : []),
        ...(set.apply === 'waiting' ? ['waiting for review (not in the workspace yet)'] : []),
        ...(set.commits?.length ? [`${set.commits.length} commit(s)`] : []),
        ...(set.overlapsWith.length > 0 ? [`overlaps ${set.overlapsWith.map(id => `#${id}`).join(', ')}`] : []),
    ];
    return `#${set.taskId} ${set.agentId} "${shortened(set.title, 60)}" ${set.files.length} file(s) +${set.added} -${set.removed} ${set.review}`
        + (notes.length > 0 ? `, ${notes.join(', ')}` : '');
}

export const changesCommand: CoordinationCommand<ChangesArgs> = {
    name: 'changes',
    summary: 'List what the agents\' tasks changed, and the review of each change set.',
    help: `Usage: coditect changes [--agent <id>] [--limit <n>] [--json]

Lists the tasks' change sets, newest first: the task, its agent and title, how many files it
changed with the lines added and removed, and its review (pending, accepted, rejected,
partly-accepted). Review them in the studio's Changes view.

Options:
  --agent <id>   Only this agent's change sets
  --limit <n>    At most this many (the studio's default: 100)
`,
    options: { agent: { type: 'string' }, limit: { type: 'string' } },
    parse(values) {
        const agent = values.agent === undefined ? undefined : agentId(values.agent as string, 'coditect changes --agent claude');
        return { agent, limit: integerOption(values, 'limit'), json: values.json === true };
    },
    async run({ agent, limit, json }, studio, print) {
        const answer = await studio.get<ChangesAnswer>(ApiPath.changes, { query: { agent, limit } });
        if (json) {
            print(jsonText(answer));
        } else if (answer.changeSets.length === 0) {
            print('No change sets: no task has changed a workspace file yet.');
        } else {
            answer.changeSets.forEach(set => print(formatChangeSet(set)));
        }
        return ExitCode.ok;
    },
};
