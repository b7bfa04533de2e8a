/** How far before and after a sign of git its working-tree changes are taken for git's. */
export const DefaultGitWindowMs = 1_500;

/** A held index lock counts this long after git's last sign of life (a crashed git leaves a stale lock behind). */
const MaxLockHeldMs = 60_000;

/** The `.git/` files whose change means a git command is changing the working tree (checkout, reset, merge, stash, pull). */
const Markers = new Set(['.git/index', '.git/index.lock', '.git/HEAD']);

/** True for `.git/` itself and anything inside it: never recorded as a workspace change. */
export const isGitInternal = (relativePath: string): boolean => relativePath === '.git' || relativePath.startsWith('.git/');

/**
 * When git was last at work in the workspace's repository, from the watcher's view of `.git/`.
 * While `.git/index.lock` exists git holds the index (a checkout writes the working tree then),
 * and each change of `.git/index` or `.git/HEAD` is a moment of git activity.
 *
 * Invariant: a working-tree change seen at `t` is git's when a marker was seen within `windowMs`
 * of `t`, or the index lock was held at `t` (for at most a minute after git's last sign). The watcher may deliver a marker after the files it
 * belongs with, so the decision waits until `t + windowMs` has passed (see `decidedBy`).
 * Honest limit: a terminal change made in the same moment as a git command is taken for git's.
 */
export class GitActivity {
    protected readonly moments: number[] = [];
    protected lockSince: number | undefined;

    constructor(protected readonly windowMs = DefaultGitWindowMs) { }

    /** Returns true when `relativePath` is a marker (the event was taken into account). */
    observe(relativePath: string, type: 'create' | 'update' | 'delete', at: number): boolean {
        if (!Markers.has(relativePath)) {
            return false;
        }
        this.moments.push(at);
        if (relativePath === '.git/index.lock') {
            this.lockSince = type === 'delete' ? undefined : (this.lockSince ?? at);
        }
        this.prune(at);
        return true;
    }

    /** Whether a change seen at `at` is git's. Ask only once `decidedBy(at)` has passed. */
    isGit(at: number): boolean {
        const last = this.moments[this.moments.length - 1];
        if (this.lockSince !== undefined && this.lockSince <= at && at <= last + MaxLockHeldMs) {
            return true;
        }
        return this.moments.some(m => Math.abs(m - at) <= this.windowMs);
    }

    /** The time after which a change seen at `at` can be decided. */
    decidedBy(at: number): number {
        return at + this.windowMs;
    }

    protected prune(now: number): void {
        // Kept for two windows: changes still waiting for a decision are at most one window old.
        while (this.moments.length > 0 && this.moments[0] < now - 2 * this.windowMs - MaxLockHeldMs) {
            this.moments.shift();
        }
    }
}
