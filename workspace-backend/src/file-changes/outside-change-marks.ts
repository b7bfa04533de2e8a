import type { LockManager } from '../locks/lock-manager';
import type { LockInfo } from '../locks/lock-types';
import { pathsOverlap } from '../policy/workspace-paths';
import { AttributedChange } from './change-batcher';
import { describeAuthor } from './change-author';

/**
 * Marks the locks whose paths were changed by someone other than their holder: a terminal, git,
 * or an agent's command other than the holder's. The studio's own writers (the IDE, the agents'
 * tools) are guarded by the locks and cannot do it, so their changes are never marks.
 * Invariant: a lock is marked at most once per pass, with its first outside change.
 */
export function markOutsideChanges(locks: Pick<LockManager, 'list' | 'markChangedOutside'>, changes: readonly AttributedChange[]): LockInfo[] {
    const live = locks.list();
    if (live.length === 0) {
        return [];
    }
    const marked: LockInfo[] = [];
    const done = new Set<string>();
    for (const change of changes) {
        const author = change.author;
        if (author.kind === 'editor' || author.kind === 'agent-tool') {
            continue;
        }
        const changers = author.kind === 'agent-command' ? new Set(author.commands.map(c => `agent:${c.agentId}`)) : new Set<string>();
        for (const lock of live) {
            if (done.has(lock.id) || changers.has(lock.owner.id) || !pathsOverlap(lock.path, change.path)) {
                continue;
            }
            done.add(lock.id);
            const result = locks.markChangedOutside(lock.id, { at: change.at, by: describeAuthor(author), path: change.path });
            if (result) {
                marked.push(result);
            }
        }
    }
    return marked;
}
