import type { AuthoredChange } from './checkpoints';
import type { ChangeSets } from './change-sets';
import type { WorkspaceJournal } from './workspace-journal';
import { logFor } from '../telemetry/logger';

/**
 * An agent's command's changes go into its task's change set, as the journal found them (the
 * content before is the journal's, so whatever wrote the file last is what the task changed it
 * from). A change seen while commands of several tasks ran goes into each of their sets: the
 * studio cannot tell them apart, and the overlap flags show it. Files too large for the journal
 * to keep are left out (the timeline still records the change, with who made it).
 */
export function recordCommandChanges(changes: ChangeSets, journal: Pick<WorkspaceJournal, 'content'>, titleOf: (taskId: number) => string | undefined): (observed: readonly AuthoredChange[]) => void {
    return observed => {
        const renamedFrom = renamesIn(observed);
        for (const change of observed) {
            if (change.author.kind !== 'agent-command' || !change.author.commands) {
                continue;
            }
            const before = journal.content(change.before);
            const after = journal.content(change.after);
            if (before === 'not-kept' || after === 'not-kept') {
                continue;
            }
            const tasks = new Map(change.author.commands.flatMap(c => (c.taskId === undefined ? [] : [[c.taskId, c.agentId] as const])));
            for (const [taskId, agentId] of tasks) {
                try {
                    changes.record({
                        taskId, agentId, title: titleOf(taskId) ?? `task #${taskId}`, path: change.path, before, after, origin: 'command', at: change.at,
                        ...(renamedFrom.has(change.path) ? { renamedFrom: renamedFrom.get(change.path) } : {}),
                    });
                } catch (error) {
                    logFor('changes').error(`recording task #${taskId}'s command change of ${change.path} failed: ${(error as Error).message}`);
                }
            }
        }
    };
}

/** Files a command created with the content of a file it deleted in the same moment: created path → deleted path. */
function renamesIn(observed: readonly AuthoredChange[]): Map<string, string> {
    const deletedBySha = new Map<string, string>();
    for (const change of observed) {
        if (change.author.kind === 'agent-command' && change.after === null && change.before !== null) {
            deletedBySha.set(change.before, change.path);
        }
    }
    const renames = new Map<string, string>();
    for (const change of observed) {
        const from = change.before === null && change.after !== null ? deletedBySha.get(change.after) : undefined;
        if (change.author.kind === 'agent-command' && from !== undefined) {
            renames.set(change.path, from);
            deletedBySha.delete(change.after!);
        }
    }
    return renames;
}
