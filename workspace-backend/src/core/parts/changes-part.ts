import { ChangeSets, InvalidReviewError } from '../../changes/change-sets';
import type { Orchestrator } from '../../orchestrator/orchestrator';
import type { CoreParts, CorePartOf } from '../core-context';
import { lockedReviewWriter } from '../review-writer';

/**
 * Every task's change set (changes/): recorded from the agents' writes, reviewed by people.
 * Declared after the locks (a review writes under a lock) and before the agents, whose start
 * hands it their writes (`recordChangesFrom`) before any task runs.
 */
export const ChangesPart: CorePartOf<'changes'> = {
    id: 'changes', label: 'Change sets', needs: ['databases', 'locks'],
    start(_context, parts) {
        const writer = lockedReviewWriter(parts.get('locks').manager, {
            watcher: () => parts.find('file-changes'),
            timeline: () => parts.find('timeline')?.timeline,
        });
        return new ChangeSets({
            db: parts.get('databases').get('sessions'), writer,
            taskStatuses: (from, to) => parts.find('orchestrator')?.taskStatusesBetween(from, to) ?? new Map(),
            submitFollowUp: ({ agentId, prompt, title, submittedBy }) => {
                const orchestrator = parts.find('orchestrator');
                if (!orchestrator) {
                    throw new InvalidReviewError('The agents are not running (see the studio\'s health), so a comment cannot go back to one; try again once they are.');
                }
                return orchestrator.submitTask(agentId, { prompt, title, submittedBy }).id;
            },
        });
    },
    stop: changes => changes.dispose(),
};

/** The agents' file-tool writes go into their task's change set, in the write (its capture is part of the write's time). */
export function recordChangesFrom(parts: CoreParts, orchestrator: Orchestrator): void {
    const changes = parts.find('changes');
    if (!changes) {
        return;
    }
    orchestrator.onFileEdit(edit => {
        if (edit.taskId === undefined) {
            return;
        }
        try {
            changes.record({
                taskId: edit.taskId, agentId: edit.agentId, title: orchestrator.getTask(edit.taskId)?.title ?? `task #${edit.taskId}`,
                path: edit.path, before: edit.before, after: edit.after, origin: 'tool', at: edit.at,
            });
        } catch (error) {
            // The write itself landed; only its record is missing, which the change set cannot show.
            console.error(`[changes] recording task #${edit.taskId}'s change of ${edit.path} failed: ${(error as Error).message}`);
        }
    });
}
