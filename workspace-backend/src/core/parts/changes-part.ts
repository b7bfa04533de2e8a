import { ChangeSets, InvalidReviewError } from '../../changes/change-sets';
import { recordCommandChanges } from '../../changes/command-changes';
import { commandCommits } from '../../changes/command-commits';
import { flagReadEdits } from '../../changes/read-edits';
import type { Disposable } from '../../common/emitter';
import { CommandObserver, gitIdentityOf } from '../../orchestrator/command-runner';
import type { Orchestrator } from '../../orchestrator/orchestrator';
import type { CoreParts, CorePartOf } from '../core-context';
import { lockedReviewWriter } from '../review-writer';
import { captureToolWrite } from '../tool-write-capture';
import { agentIdOf } from '../../policy/principal';
import { logFor } from '../../telemetry/logger';

/**
 * Every task's change set (changes/): recorded from the agents' writes (their tools') and the
 * journal's changes (their commands'), reviewed by people. Declared after the locks (a review
 * writes under a lock) and the checkpoints (their journal), before the agents, whose start hands
 * it their writes (`recordChangesFrom`) before any task runs.
 */
export const ChangesPart: CorePartOf<'changes'> = {
    id: 'changes', label: 'Change sets', needs: ['databases', 'locks'],
    start(_context, parts) {
        const checkpoints = parts.find('checkpoints');
        const writer = lockedReviewWriter(parts.get('locks').manager, 'review', {
            watcher: () => parts.find('file-changes'),
            timeline: () => parts.find('timeline')?.timeline,
            journal: () => checkpoints?.journal,
        });
        const changes = new ChangeSets({
            db: parts.get('databases').get('sessions'), writer,
            taskStatuses: (from, to) => parts.find('orchestrator')?.taskStatusesBetween(from, to) ?? new Map(),
            delegation: taskIds => parts.find('orchestrator')?.tasksOfTrees(taskIds) ?? [],
            submitFollowUp: ({ agentId, prompt, title, submittedBy }) => {
                const orchestrator = parts.find('orchestrator');
                if (!orchestrator) {
                    throw new InvalidReviewError('The agents are not running (see the studio\'s health), so a comment cannot go back to one; try again once they are.');
                }
                return orchestrator.submitTask(agentId, { prompt, title, submittedBy }).id;
            },
        });
        if (checkpoints) {
            const recordCommands = recordCommandChanges(changes, checkpoints.journal, taskId => parts.find('orchestrator')?.getTask(taskId)?.title);
            const flagEdits = flagReadEdits(changes, checkpoints.journal);
            journalFeeds.set(changes, checkpoints.onObserved(observed => {
                recordCommands(observed);
                flagEdits(observed);
            }));
        }
        return changes;
    },
    // After the checkpoints, whose stop notes the watcher's last changes (the agents' last commands').
    stopsAfter: ['checkpoints'],
    stop: changes => {
        journalFeeds.get(changes)?.dispose();
        changes.dispose();
    },
};

/** Each change sets' subscription to the journal's changes (commands' changes, people's edits), ended at its stop. */
const journalFeeds = new WeakMap<ChangeSets, Disposable>();

/**
 * The agents' file-tool writes go into the journal and their task's change set, in the write (its
 * capture is part of the write's time), their reads into the change sets' reads (to flag a
 * person's later edit of what they read); each task's first start marks a checkpoint.
 */
export function recordChangesFrom(parts: CoreParts, orchestrator: Orchestrator): void {
    const checkpoints = parts.find('checkpoints');
    if (checkpoints) {
        orchestrator.onEvent(event => {
            if (event.type === 'task' && event.change === 'started') {
                const { id, title, agentId, startedAt } = event.task;
                checkpoints.markTask({ id, title, agentId, startedAt: startedAt ?? Date.now() });
            }
        });
    }
    const changes = parts.find('changes');
    orchestrator.onFileRead(read => {
        try {
            changes?.recordRead(read);
        } catch (error) {
            logFor('changes').error(`noting task #${read.taskId}'s read of ${read.path} failed: ${(error as Error).message}`);
        }
    });
    orchestrator.onFileEdit(edit => captureToolWrite({ changes, journal: checkpoints?.journal }, edit,
        edit.taskId === undefined ? '' : orchestrator.getTask(edit.taskId)?.title ?? `task #${edit.taskId}`));
}

/**
 * The git commits of the agents' commands, for the orchestrator's command runner: HEAD of the
 * workspace's repository before and after each command of a task, the commits between (the
 * agent's own, as its git identity says) into the task's change set (changes/command-commits.ts).
 * Undefined without change sets.
 */
export function recordCommitsOfCommands(parts: CoreParts, workspaceDir: string): CommandObserver | undefined {
    const changes = parts.find('changes');
    if (!changes) {
        return undefined;
    }
    const around = commandCommits({ workspaceDir, changes, titleOf: taskId => parts.find('orchestrator')?.getTask(taskId)?.title });
    const nothing = async () => undefined;
    return {
        before: async ({ owner, taskId }) => (taskId === undefined ? nothing : around({
            taskId, agentId: agentIdOf(owner.id), committerEmail: gitIdentityOf(owner).GIT_COMMITTER_EMAIL,
        })),
    };
}
