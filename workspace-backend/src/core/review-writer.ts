import type { ReviewWriter, Reviewer } from '../changes/change-sets';
import { writeTogether } from '../changes/write-together';
import { readTextIfPresent } from '../common/read-text-if-present';
import type { WorkspaceJournal } from '../changes/workspace-journal';
import type { WorkspaceChangeWatcher } from '../file-changes/workspace-change-watcher';
import type { LockManager } from '../locks/lock-manager';
import type { LockInfo, LockOwner } from '../locks/lock-types';
import { GuardedFileWriter } from '../orchestrator/guarded-file-writer';
import type { SessionTimeline } from '../timeline/session-timeline';

/** How long a review waits for a file an agent is writing (its lock) before it gives up and says who holds it. */
const ReviewLockWaitMs = 10_000;

/**
 * A review's writes in the studio: through the guarded writer, so under an exclusive lock held as
 * the reviewer (an agent mid-write finishes first; one holding the file longer makes the review
 * wait, then fail naming it). The workspace watcher is told it is the reviewer's own change, the
 * timeline records it as the reviewer's file edit, and the workspace journal notes the content.
 *
 * `replaceTogether` (a waiting change set landing) takes the exclusive locks of all its files
 * first, in path order (two reviews never hold one each of the other's), and keeps them while it
 * reads every file and writes them; each write then uses the held lock.
 */
export function lockedReviewWriter(locks: LockManager, doing: 'review' | 'restore', sinks: {
    readonly watcher: () => Pick<WorkspaceChangeWatcher, 'claim'> | undefined;
    readonly timeline: () => Pick<SessionTimeline, 'recordFileEdit'> | undefined;
    readonly journal: () => Pick<WorkspaceJournal, 'wrote'> | undefined;
}): ReviewWriter {
    const writer = new GuardedFileWriter(locks, 0,
        write => {
            const at = Date.now();
            // A landing names the task whose change it writes, so a line's history leads to it.
            sinks.journal()?.wrote(write.path, write.written, { by: `${write.owner.displayName} (${doing})`, ...(write.taskId !== undefined ? { taskId: write.taskId } : {}) }, at);
            sinks.timeline()?.recordFileEdit({ path: write.path, before: write.before, after: write.after, by: write.owner.displayName, at });
        },
        (relative, owner) => sinks.watcher()?.claim(relative, { kind: 'editor', by: owner.displayName }, true));
    const ownerOf = (reviewer: Reviewer): LockOwner => ({ id: reviewer.id, kind: 'human', displayName: reviewer.displayName });
    return {
        async replace(path, next, reviewer) {
            await writer.apply(path, { kind: 'replace', next }, { owner: ownerOf(reviewer), waitMs: ReviewLockWaitMs });
        },
        async replaceTogether(paths, next, reviewer, taskId) {
            const owner = ownerOf(reviewer);
            const held: LockInfo[] = [];
            try {
                for (const path of [...paths].sort()) {
                    held.push(await locks.acquire({ path, mode: 'exclusive', owner, waitMs: ReviewLockWaitMs }));
                }
                await writeTogether(paths, next, {
                    read: path => readTextIfPresent(locks.paths.absolute(path)),
                    write: async (path, content) => {
                        await writer.apply(path, { kind: 'replace', next: () => ({ content }) }, { owner, taskId, waitMs: ReviewLockWaitMs });
                    },
                });
            } finally {
                for (const lock of held) {
                    try {
                        locks.release(lock.id, owner);
                    } catch {
                        // Revoked meanwhile: nothing to release.
                    }
                }
            }
        },
    };
}
