import type { ReviewWriter, Reviewer } from '../changes/change-sets';
import type { WorkspaceJournal } from '../changes/workspace-journal';
import type { WorkspaceChangeWatcher } from '../file-changes/workspace-change-watcher';
import type { LockManager } from '../locks/lock-manager';
import { GuardedFileWriter } from '../orchestrator/guarded-file-writer';
import type { SessionTimeline } from '../timeline/session-timeline';

/** How long a review waits for a file an agent is writing (its lock) before it gives up and says who holds it. */
const ReviewLockWaitMs = 10_000;

/**
 * A review's writes in the studio: through the guarded writer, so under an exclusive lock held as
 * the reviewer (an agent mid-write finishes first; one holding the file longer makes the review
 * wait, then fail naming it). The workspace watcher is told it is the reviewer's own change, the
 * timeline records it as the reviewer's file edit, and the workspace journal notes the content.
 */
export function lockedReviewWriter(locks: LockManager, doing: 'review' | 'restore', sinks: {
    readonly watcher: () => Pick<WorkspaceChangeWatcher, 'claim'> | undefined;
    readonly timeline: () => Pick<SessionTimeline, 'recordFileEdit'> | undefined;
    readonly journal: () => Pick<WorkspaceJournal, 'wrote'> | undefined;
}): ReviewWriter {
    const writer = new GuardedFileWriter(locks, 0,
        write => {
            const at = Date.now();
            sinks.journal()?.wrote(write.path, write.written, { by: `${write.owner.displayName} (${doing})` }, at);
            sinks.timeline()?.recordFileEdit({ path: write.path, before: write.before, after: write.after, by: write.owner.displayName, at });
        },
        (relative, owner) => sinks.watcher()?.claim(relative, { kind: 'editor', by: owner.displayName }, true));
    return {
        async replace(path, next, reviewer: Reviewer) {
            await writer.apply(path, { kind: 'replace', next }, { owner: { id: reviewer.id, kind: 'human', displayName: reviewer.displayName }, waitMs: ReviewLockWaitMs });
        },
    };
}
