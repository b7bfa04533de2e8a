import { Emitter, Event } from '../common/emitter';
import type { AgentCommandRef, ChangeAuthor, FileChangeRecord, FileChangeType } from './change-author';
import { AttributedChange, ChangeBatcher } from './change-batcher';
import type { ChangeClaims } from './change-claims';
import { GitActivity, isGitInternal } from './git-activity';
import type { RunningCommands } from './running-commands';

/** A change as the watcher saw it: workspace-relative path, what happened, when it arrived. */
export interface SeenChange {
    readonly path: string;
    readonly type: 'create' | 'update' | 'delete';
    readonly at: number;
}

/** The longest a change waits for its pass while changes keep arriving (a long checkout is decided in parts this long). */
const MaxPassDelayMs = 5_000;

interface Pending {
    readonly path: string;
    readonly change: FileChangeType;
    readonly at: number;
    /** Decided on arrival: a claim's author. */
    readonly claimed?: ChangeAuthor;
    /** The agents' commands counting on arrival. */
    readonly commands: readonly AgentCommandRef[];
}

/**
 * Decides who made each change the watcher sees, in this order:
 * 1. a writer's claim (change-claims.ts): dropped when the writer records it itself (its
 *    `file-edit` event already says who), else recorded under the claim's author;
 * 2. an agent's command running then, or ended less than the settle time before
 *    (running-commands.ts): that agent's command (all of them when several ran), `viaGit` when
 *    git was at work too;
 * 3. git at work in the same moment (git-activity.ts);
 * 4. otherwise a terminal or another process.
 * Claims and commands are looked at when the change arrives; git once its window has passed,
 * since git's own marks may arrive after the files. `.git/` internals are never recorded.
 */
export class ChangeAttributor {
    protected readonly attributed = new Emitter<readonly AttributedChange[]>();
    /** Every change with its author, before batching (the lock marks need each path). */
    readonly onAttributed: Event<readonly AttributedChange[]> = this.attributed.event;
    protected readonly recorded = new Emitter<readonly FileChangeRecord[]>();
    /** The timeline's records of a pass: single changes, or bulk ones. */
    readonly onRecords: Event<readonly FileChangeRecord[]> = this.recorded.event;

    protected readonly pending: Pending[] = [];
    protected timer: NodeJS.Timeout | undefined;
    protected disposed = false;

    constructor(protected readonly parts: {
        readonly claims: ChangeClaims;
        readonly commands: RunningCommands;
        readonly git: GitActivity;
        readonly batcher: ChangeBatcher;
        readonly now?: () => number;
    }) { }

    protected now(): number {
        return (this.parts.now ?? Date.now)();
    }

    observe(changes: readonly SeenChange[]): void {
        if (this.disposed) {
            return;
        }
        for (const seen of changes) {
            if (isGitInternal(seen.path)) {
                this.parts.git.observe(seen.path, seen.type, seen.at);
                continue;
            }
            const claim = this.parts.claims.match(seen.path, seen.at);
            if (claim?.recordedByWriter) {
                continue;
            }
            this.pending.push({
                path: seen.path, change: changeOf(seen.type), at: seen.at, claimed: claim?.author,
                commands: claim ? [] : this.parts.commands.activeAt(seen.at),
            });
        }
        this.schedule();
    }

    /** Decides and announces everything still pending, git's window or not (at stop). */
    flushAll(): void {
        this.flush(Number.POSITIVE_INFINITY);
    }

    dispose(): void {
        this.disposed = true;
        clearTimeout(this.timer);
        this.attributed.dispose();
        this.recorded.dispose();
    }

    /**
     * A pass runs once git's window has passed for the latest change, so a burst (a checkout, an
     * install, a script writing many files) is decided in one pass and batched as one; while
     * changes keep coming, at least every MaxPassDelayMs.
     */
    protected schedule(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (this.pending.length === 0 || this.disposed) {
            return;
        }
        const first = this.pending[0].at;
        const last = this.pending[this.pending.length - 1].at;
        const due = Math.min(this.parts.git.decidedBy(last), Math.max(this.parts.git.decidedBy(first), first + MaxPassDelayMs));
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.flush(this.now());
            this.schedule();
        }, Math.max(0, due - this.now()) + 10);
        this.timer.unref();
    }

    protected flush(now: number): void {
        // Pending is in arrival order and the decision time grows with arrival: the ready ones are a prefix.
        const firstWaiting = this.pending.findIndex(p => now !== Number.POSITIVE_INFINITY && this.parts.git.decidedBy(p.at) > now);
        const ready = this.pending.splice(0, firstWaiting < 0 ? this.pending.length : firstWaiting);
        if (ready.length === 0) {
            return;
        }
        const changes: (AttributedChange | undefined)[] = [];
        const indexOfPath = new Map<string, number>();
        for (const p of ready) {
            const author = this.authorOf(p);
            const index = indexOfPath.get(p.path);
            const earlier = index === undefined ? undefined : changes[index];
            // One path changed several times in a pass by one author is one change (created then updated is created).
            if (index !== undefined && earlier && earlier.author.kind === author.kind) {
                const merged = mergeChanges(earlier.change, p.change);
                changes[index] = merged === undefined ? undefined : { ...earlier, change: merged };
                continue;
            }
            indexOfPath.set(p.path, changes.length);
            changes.push({ path: p.path, change: p.change, at: p.at, author });
        }
        const decided = changes.filter((c): c is AttributedChange => c !== undefined);
        if (decided.length === 0) {
            return;
        }
        this.attributed.fire(decided);
        this.recorded.fire(this.parts.batcher.records(decided, now === Number.POSITIVE_INFINITY ? this.now() : now));
    }

    protected authorOf(p: Pending): ChangeAuthor {
        if (p.claimed) {
            return p.claimed;
        }
        const git = this.parts.git.isGit(p.at);
        if (p.commands.length > 0) {
            return { kind: 'agent-command', commands: p.commands, ...(git ? { viaGit: true } : {}) };
        }
        return git ? { kind: 'git' } : { kind: 'terminal' };
    }
}

const changeOf = (type: SeenChange['type']): FileChangeType => (type === 'create' ? 'created' : type === 'delete' ? 'deleted' : 'updated');

/** Two changes of one path in a row, as one; undefined when they cancel out (created, then deleted). */
function mergeChanges(first: FileChangeType, then: FileChangeType): FileChangeType | undefined {
    if (first === 'created') {
        return then === 'deleted' ? undefined : 'created';
    }
    if (first === 'deleted') {
        return then === 'deleted' ? 'deleted' : 'updated';
    }
    return then;
}
