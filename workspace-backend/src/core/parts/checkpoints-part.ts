import { Checkpoints } from '../../changes/checkpoints';
import { resolveHistoryConfig } from '../../changes/history-config';
import { WorkspaceJournal } from '../../changes/workspace-journal';
import { ChangeAuthor, describeAuthor } from '../../file-changes/change-author';
import type { StateMaker } from '../../changes/workspace-journal-repository';
import type { CorePartOf } from '../core-context';
import { lockedReviewWriter } from '../review-writer';
import { logFor } from '../../telemetry/logger';

/**
 * The workspace journal and its checkpoints (changes/): a start first notes what changed while
 * the studio was stopped, then every change the watcher sees. Needs the watcher: without it the
 * journal would miss changes and a restore would put back the wrong content, so it is down too.
 * Declared before the change sets, which take the agents' commands' changes from it.
 */
export const CheckpointsPart: CorePartOf<'checkpoints'> = {
    id: 'checkpoints', label: 'Checkpoints', needs: ['databases', 'locks', 'file-changes'],
    startingDetail: 'noting what changed in the workspace since the studio last ran',
    async start(_context, parts) {
        const watcher = parts.get('file-changes');
        const history = resolveHistoryConfig();
        const journal = new WorkspaceJournal({ db: parts.get('databases').get('sessions'), workspaceDir: watcher.root, rules: watcher.rules, maxKeptBytes: history.maxKeptBytes });
        await journal.scan();
        const checkpoints = new Checkpoints({
            db: parts.get('databases').get('sessions'), journal,
            writer: lockedReviewWriter(parts.get('locks').manager, 'restore', {
                watcher: () => watcher, timeline: () => parts.find('timeline')?.timeline, journal: () => journal,
            }),
            note: (text, data) => parts.find('timeline')?.timeline.record({ kind: 'note', data: { text, ...data } }),
            changes: listener => watcher.onAttributed(batch => listener(batch.map(change => ({ ...change, ...makerOf(change.author) })))),
            retentionMs: history.retentionMs,
        });
        await checkpoints.prune().catch(error => logFor('checkpoints').error(`pruning the workspace history failed: ${(error as Error).message}`));
        return checkpoints;
    },
    // After the watcher's stop, whose last changes it notes.
    stopsAfter: ['file-changes'],
    async stop(checkpoints) {
        await checkpoints.journal.settled();
        checkpoints.dispose();
    },
};

/** The watcher's author in the journal's words, with the task when one task's commands made it. */
function makerOf(author: ChangeAuthor): StateMaker {
    const tasks = author.kind === 'agent-command' ? [...new Set(author.commands.flatMap(c => (c.taskId === undefined ? [] : [c.taskId])))] : [];
    return { by: describeAuthor(author), ...(tasks.length === 1 ? { taskId: tasks[0] } : {}) };
}
