import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTextIfPresent } from '../common/read-text-if-present';
import type { LockManager } from '../locks/lock-manager';
import type { LockInfo, LockOwner } from '../locks/lock-types';
import { isAgentProtected, isStudioConfiguration, pathsOverlap } from '../policy/workspace-paths';

export type FileChange =
    | { readonly kind: 'write'; readonly content: string }
    /** Exact string replacement: `oldText` must occur exactly once (or `replaceAll`). */
    | { readonly kind: 'edit'; readonly oldText: string; readonly newText: string; readonly replaceAll?: boolean }
    /**
     * What `next` makes of the file as it is under the lock (undefined: absent): its content, or
     * undefined content to delete it; nothing (undefined) leaves it as it is (a review's merge).
     * Bytes are written exactly (a checkpoint's restore of any file).
     */
    | { readonly kind: 'replace'; readonly next: (current: string | undefined) => { readonly content: string | Buffer | undefined } | undefined };

/**
 * Where a write reads the file and puts its bytes instead of the workspace: an agent's overlay
 * (`apply: "after-review"`, overlay-file-view.ts). The lock is taken all the same, so the file
 * stays protected for the agent working on it; undefined content: deleted (for the target).
 */
export interface WriteTarget {
    read(relative: string): Promise<string | undefined>;
    write(relative: string, content: string | undefined): Promise<void>;
}

export interface GuardedWriteOptions {
    readonly owner: LockOwner;
    readonly taskId?: number;
    /** How long to wait for a lock held by someone else. */
    readonly waitMs: number;
    readonly signal?: AbortSignal;
    /** Called when the write has to wait, with who holds the path (for `waiting (lock)`), and again with undefined once granted. */
    readonly onWait?: (wait: { path: string; holders: string[] } | undefined) => void;
    /** Read and write there, not in the workspace (which the write then leaves as it is). */
    readonly target?: WriteTarget;
}

export interface WriteOutcome {
    /** Workspace-relative. */
    readonly path: string;
    readonly bytes: number;
    readonly created: boolean;
    /** The write deleted the file (a `replace` that asked for it). */
    readonly deleted?: boolean;
    /** Nothing was written (a `replace` that left the file as it was). */
    readonly unchanged?: boolean;
    /** True when the lock was taken for this write only (and released after it). */
    readonly lockedForWrite: boolean;
}

export class EditMismatchError extends Error {
    constructor(readonly path: string, readonly occurrences: number) {
        super(occurrences === 0
            ? `edit_file: the old text was not found in ${path}; it may have been changed by another agent. Read the file again and retry with its current text.`
            : `edit_file: the old text occurs ${occurrences} times in ${path}; include more surrounding lines so it is unique, or set replaceAll.`);
        this.name = 'EditMismatchError';
    }
}

/**
 * Every agent write goes through here. Invariant: bytes reach a workspace file only while the
 * writer holds an exclusive lock covering it in the lock manager (the single authority), and an
 * edit reads the file under that same lock, so two agents editing one file both land (none is
 * lost to a read-modify-write race). A lock the agent already holds is used (and checked
 * live, so a revoked lock fails with LockRevokedError); otherwise one is taken for the write.
 */
export class GuardedFileWriter {
    /** Recent writes, newest last, for the shared context ("recent changes by others"). */
    protected readonly recent: { path: string; by: string; at: number }[] = [];

    /**
     * `onWrite` hears of every write once its bytes are in place (the session timeline's file edits), `inTarget` when they went to the write's target, not the workspace;
     * `beforeWrite` just before they are written (the workspace watcher's claim, so it does not record the write again).
     */
    constructor(protected readonly locks: LockManager, protected readonly recentLimit = 50,
        protected readonly onWrite?: (write: { path: string; before: string | undefined; after: string | undefined; written: string | Buffer | undefined; owner: LockOwner; taskId?: number; inTarget?: true }) => void,
        protected readonly beforeWrite?: (relative: string, owner: LockOwner, taskId: number | undefined) => void) { }

    recentChanges(): readonly { path: string; by: string; at: number }[] {
        return this.recent;
    }

    async apply(file: string, change: FileChange, options: GuardedWriteOptions): Promise<WriteOutcome> {
        const relative = this.locks.paths.relative(file);
        if (relative === '') {
            throw new Error('write_file/edit_file need a file path, not the workspace root.');
        }
        if (isStudioConfiguration(relative)) {
            throw new Error(`${relative} is the studio's configuration (agent definitions, workflows, prices), which only an admin may change; agents may read it but not write it.`);
        }
        if (isAgentProtected(relative)) {
            throw new Error(`${relative} holds the workspace's settings (among them each agent's model and endpoint), which people change in the IDE; agents may read it but not write it.`);
        }
        const absolute = this.locks.paths.absolute(relative);
        const held = this.heldLock(relative, options.owner);
        let lock: LockInfo;
        if (held) {
            lock = held;
        } else {
            const holders = this.locks.conflicts(relative, 'exclusive', options.owner.id).map(l => l.owner.displayName);
            const waiting = holders.length > 0 || this.locks.waiters().some(w => pathsOverlap(w.path, relative));
            if (waiting) {
                options.onWait?.({ path: relative, holders: holders.length ? holders : ['earlier waiters'] });
            }
            try {
                lock = await this.locks.acquire({
                    path: relative, mode: 'exclusive', owner: options.owner, waitMs: options.waitMs, ttlMs: 5 * 60_000,
                    taskId: options.taskId === undefined ? undefined : String(options.taskId), signal: options.signal,
                });
            } finally {
                if (waiting) {
                    options.onWait?.(undefined);
                }
            }
        }
        try {
            this.locks.assertHeld(lock.id, options.owner);
            const before = options.target ? await options.target.read(relative) : await readTextIfPresent(absolute);
            let after: string | Buffer | undefined;
            if (change.kind === 'write') {
                after = change.content;
            } else if (change.kind === 'replace') {
                const decided = change.next(before);
                if (!decided) {
                    return { path: relative, bytes: 0, created: false, unchanged: true, lockedForWrite: !held };
                }
                after = decided.content;
            } else {
                if (before === undefined) {
                    throw new Error(`edit_file: ${relative} does not exist; use write_file to create it.`);
                }
                const occurrences = change.oldText === '' ? 0 : before.split(change.oldText).length - 1;
                if (occurrences === 0 || (occurrences > 1 && !change.replaceAll)) {
                    throw new EditMismatchError(relative, occurrences);
                }
                after = change.replaceAll ? before.split(change.oldText).join(change.newText) : before.replace(change.oldText, () => change.newText);
            }
            const afterText = typeof after === 'string' || after === undefined ? after : after.toString('utf8');
            if (options.target) {
                // Nothing reaches the workspace: no claim for the watcher, no "recent change" for the others.
                this.locks.assertHeld(lock.id, options.owner);
                await options.target.write(relative, afterText);
            } else {
                this.beforeWrite?.(relative, options.owner, options.taskId);
                if (after === undefined) {
                    this.locks.assertHeld(lock.id, options.owner);
                    await fs.promises.rm(absolute, { force: true });
                } else {
                    await this.writeAtomically(absolute, after, lock, options.owner);
                }
                this.recent.push({ path: relative, by: options.owner.displayName, at: Date.now() });
                if (this.recent.length > this.recentLimit) {
                    this.recent.shift();
                }
            }
            this.onWrite?.({ path: relative, before, after: afterText, written: after, owner: options.owner, taskId: options.taskId, ...(options.target ? { inTarget: true as const } : {}) });
            return {
                path: relative, bytes: after === undefined ? 0 : Buffer.byteLength(after), created: before === undefined,
                ...(after === undefined ? { deleted: true } : {}), lockedForWrite: !held,
            };
        } finally {
            if (!held) {
                try {
                    this.locks.release(lock.id, options.owner);
                } catch {
                    // Revoked meanwhile: nothing to release.
                }
            }
        }
    }

    /** Write then rename: a reader (or a crash) never sees half a file. */
    protected async writeAtomically(absolute: string, content: string | Buffer, lock: LockInfo, owner: LockOwner): Promise<void> {
        await fs.promises.mkdir(path.dirname(absolute), { recursive: true });
        const temporary = `${absolute}.${process.pid}.${Date.now()}.tmp`;
        await fs.promises.writeFile(temporary, content);
        // Checked again right before the bytes become visible: a lock force-released while we wrote loses the write.
        try {
            this.locks.assertHeld(lock.id, owner);
        } catch (error) {
            await fs.promises.rm(temporary, { force: true });
            throw error;
        }
        await fs.promises.rename(temporary, absolute);
    }

    /** An exclusive lock of `owner` covering `relative`, if it holds one. */
    protected heldLock(relative: string, owner: LockOwner): LockInfo | undefined {
        return this.locks.list().find(l => l.owner.id === owner.id && l.mode === 'exclusive' && (l.path === '' || l.path === relative || relative.startsWith(`${l.path}/`)));
    }
}
