import { Disposable, Emitter, Event } from '../common/emitter';
import { firstLine } from '../common/first-line';
import { SerialQueue } from '../common/serial-queue';
import type { SqliteDatabase } from '../database/sqlite-database';
import { lineOrigins } from './line-history';
import type { CheckpointInfo, LineOrigin, RestoredFileOutcome, CheckpointRestoreRequest, CheckpointRestoreResult } from './change-set-types';
import type { Reviewer, ReviewWriter } from './change-sets';
import type { ObservedChange, WorkspaceJournal } from './workspace-journal';
import type { StateMaker } from './workspace-journal-repository';
import { logFor } from '../telemetry/logger';

/**
 * Who made a change, as much as the journal's listeners need of the watcher's authors
 * (file-changes/change-author.ts fits it): for an agent's command, the commands running then.
 */
interface ChangeMaker {
    readonly kind: string;
    readonly commands?: readonly { readonly agentId: string; readonly taskId?: number }[];
}

/** A change as the watcher decided it: path, when it was seen, who made it (and in words, with the task when one did). */
export interface SeenChange extends StateMaker {
    readonly path: string;
    readonly at: number;
    readonly author: ChangeMaker;
}

/** A change the watcher saw and the journal read, with who made it. */
export interface AuthoredChange extends ObservedChange, StateMaker {
    readonly author: ChangeMaker;
    readonly at: number;
}

export interface CheckpointsOptions {
    readonly db: SqliteDatabase;
    readonly journal: WorkspaceJournal;
    /** Writes under a lock held as the person restoring (core/review-writer.ts in the studio). */
    readonly writer: ReviewWriter;
    /** Says in the session timeline that a restore happened (the files' edits are recorded by the writer). */
    readonly note?: (text: string, data: { checkpointId: number; undoCheckpointId: number; files: number }) => void;
    /** The watcher's changes with who made them, which the journal reads (file-changes/). */
    readonly changes?: Event<readonly SeenChange[]>;
    /** How long every state is kept (history-config.ts); absent: forever. Pruned by `prune()`, then every `pruneEveryMs`. */
    readonly retentionMs?: number;
    readonly pruneEveryMs?: number;
    readonly now?: () => number;
}

export class UnknownCheckpointError extends Error {
    constructor(readonly checkpointId: number) {
        super(`There is no checkpoint #${checkpointId}. List them with GET /coditect/api/checkpoints (or coditect-workspace checkpoints).`);
        this.name = 'UnknownCheckpointError';
    }
}

/** The journal is not running (the workspace watcher it needs is down): a restore would put back the wrong content. */
export class CheckpointsUnavailableError extends Error {
    constructor(why: string) {
        super(`Checkpoints are unavailable: ${why}. The studio's health says why the workspace watcher is down; restart the studio once it is fixed.`);
        this.name = 'CheckpointsUnavailableError';
    }
}

export class InvalidHistoryRequestError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'InvalidHistoryRequestError';
    }
}

interface CheckpointRow {
    readonly id: number;
    readonly at: number;
    readonly kind: 'task' | 'restore';
    readonly task_id: number | null;
    readonly label: string;
    readonly by_id: string | null;
}

const MaxListed = 500;

/**
 * Moments the workspace can be put back to (before each task first started; before each restore,
 * which makes a restore undoable), over the workspace journal. A restore writes, under locks, every
 * file changed since the moment back to its content then (deleting what did not exist), and says
 * which it could not: files too large to have been kept, files a lock holder kept busy.
 */
/** Who made a change a restore found on disk before the watcher reported it. */
const UnreportedChange = 'a change found before a restore (not reported by the watcher yet)';

export class Checkpoints {
    protected readonly observed = new Emitter<readonly AuthoredChange[]>();
    /** The watcher's changes as the journal found them (command changes go to their task's change set). */
    readonly onObserved: Event<readonly AuthoredChange[]> = this.observed.event;
    protected readonly changed = new Emitter<void>();
    readonly onDidChange: Event<void> = this.changed.event;
    /** Restores run one at a time: each one's undo checkpoint holds what the one before it left. */
    protected readonly restores = new SerialQueue();
    protected readonly observing: Disposable | undefined;
    protected pruneTimer: NodeJS.Timeout | undefined;

    constructor(protected readonly options: CheckpointsOptions) {
        this.observing = options.changes?.(batch => {
            this.observe(batch).catch(error => logFor('checkpoints').error(`noting ${batch.length} workspace change(s) in the journal failed: ${(error as Error).message}`));
        });
        if (options.retentionMs !== undefined) {
            this.pruneTimer = setInterval(() => {
                this.prune().catch(error => logFor('checkpoints').error(`pruning the workspace history failed: ${(error as Error).message}`));
            }, options.pruneEveryMs ?? 6 * 60 * 60_000);
            this.pruneTimer.unref();
        }
    }

    /** Forgets the history older than the retention (its checkpoints too; change sets stay). */
    async prune(): Promise<{ states: number; checkpoints: number; blobs: number }> {
        if (this.options.retentionMs === undefined) {
            return { states: 0, checkpoints: 0, blobs: 0 };
        }
        const pruned = await this.options.journal.prune(this.now() - this.options.retentionMs);
        if (pruned.checkpoints > 0) {
            this.changed.fire();
        }
        return pruned;
    }

    get journal(): WorkspaceJournal {
        return this.options.journal;
    }

    protected now(): number {
        return (this.options.now ?? Date.now)();
    }

    /** The watcher decided who made these changes: the journal reads them, and the changes it finds are announced with their authors. */
    async observe(batch: readonly SeenChange[]): Promise<void> {
        const found = await this.options.journal.observe(batch);
        if (found.length === 0) {
            return;
        }
        const byPath = new Map(batch.map(c => [c.path, c]));
        this.observed.fire(found.map(change => {
            const seen = byPath.get(change.path)!;
            return { ...change, author: seen.author, at: seen.at, by: seen.by, ...(seen.taskId !== undefined ? { taskId: seen.taskId } : {}) };
        }));
    }

    /** The moment before a task first started (a retry keeps the first). */
    markTask(task: { readonly id: number; readonly title: string; readonly agentId: string; readonly startedAt: number }): void {
        const inserted = this.options.db.run(
            `INSERT INTO checkpoints (at, kind, task_id, label) VALUES (?, 'task', ?, ?) ON CONFLICT DO NOTHING`,
            // One ms before: the task's own first changes may be seen in the very ms it started.
            task.startedAt - 1, task.id, `Before task #${task.id} (${task.agentId}): ${firstLine(task.title, 80)}`,
        );
        if (inserted.changes > 0) {
            this.changed.fire();
        }
    }

    /** Who last wrote each line of `path` as it is now (line history back to the task); undefined when it is absent or not kept text. */
    async lineOrigins(path: string): Promise<LineOrigin[] | undefined> {
        if (path === '') {
            throw new InvalidHistoryRequestError('Give the file whose line history to follow, as a workspace-relative path such as src/a.ts.');
        }
        const relative = this.options.journal.relative(path);
        await this.options.journal.settled();
        return lineOrigins(this.options.journal, relative);
    }

    /** Newest first; `available` is false for moments before the journal began. */
    list(limit = 100): CheckpointInfo[] {
        const first = this.options.journal.firstAt();
        const rows = this.options.db.all<CheckpointRow>('SELECT * FROM checkpoints ORDER BY at DESC, id DESC LIMIT ?', Math.min(Math.max(1, Math.floor(limit)), MaxListed));
        return rows.map(row => infoOf(row, first));
    }

    /** Puts the workspace (or one file) back as it was at the checkpoint; first makes a checkpoint of now, which undoes it. */
    restore(request: CheckpointRestoreRequest, by: Reviewer): Promise<CheckpointRestoreResult> {
        return this.restores.run(() => this.restoreNow(request, by));
    }

    dispose(): void {
        clearInterval(this.pruneTimer);
        this.observing?.dispose();
        this.observed.dispose();
        this.changed.dispose();
    }

    protected async restoreNow(request: CheckpointRestoreRequest, by: Reviewer): Promise<CheckpointRestoreResult> {
        if (!Number.isSafeInteger(request.checkpointId) || request.checkpointId < 1) {
            throw new InvalidHistoryRequestError(`"${String(request.checkpointId)}" is not a checkpoint id: give the number of one listed by GET /coditect/api/checkpoints.`);
        }
        if (request.path !== undefined && (typeof request.path !== 'string' || request.path === '')) {
            throw new InvalidHistoryRequestError('"path" must be a workspace-relative file path, such as src/a.ts, or left out to restore the whole workspace.');
        }
        // A path outside the workspace is refused (WorkspacePathError), not answered with "nothing to put back".
        const path = request.path === undefined ? undefined : this.options.journal.relative(request.path);
        const row = this.options.db.get<CheckpointRow>('SELECT * FROM checkpoints WHERE id = ?', request.checkpointId);
        if (!row) {
            throw new UnknownCheckpointError(request.checkpointId);
        }
        const checkpoint = infoOf(row, this.options.journal.firstAt());
        if (!checkpoint.available) {
            throw new InvalidHistoryRequestError(`Checkpoint #${row.id} is from before the studio began keeping the workspace's history, so it cannot be restored; pick a later one.`);
        }
        // What the watcher has seen is noted first; then every file the restore may write is read from disk, so
        // the undo checkpoint holds the workspace as it is even where the watcher has not reported a change yet
        // (a loaded machine; its late report then finds the state known and announces nothing).
        await this.options.journal.settled();
        const readAt = this.now();
        await this.options.journal.observe([...this.options.journal.statesAt(row.at, path).keys()].map(file => ({ path: file, at: readAt, by: UnreportedChange })));
        const plan = [...this.options.journal.statesAt(row.at, path)].filter(([file, then]) => this.options.journal.stateOf(file) !== then);
        const undoAt = this.now();
        const undoId = Number(this.options.db.run(`INSERT INTO checkpoints (at, kind, label, by_id) VALUES (?, 'restore', ?, ?)`,
            undoAt, `Before ${by.displayName} restored ${path ?? 'the workspace'} to checkpoint #${row.id}`, by.id).lastInsertRowid);
        // The restore's own writes must come after the undo checkpoint's moment (a clock that stands still, a test's, is not waited for long).
        for (let waited = 0; this.now() <= undoAt && waited < 50; waited++) {
            await new Promise(resolve => setTimeout(resolve, 1));
        }
        const files: RestoredFileOutcome[] = [];
        for (const [file, then] of plan.sort(([a], [b]) => a.localeCompare(b))) {
            const content = this.options.journal.content(then);
            if (content === 'not-kept') {
                files.push({ path: file, outcome: 'skipped', reason: `it was larger than the studio keeps (${this.options.journal.keptBytes} bytes, STUDIO_HISTORY_MAX_FILE_BYTES), so its content then is not known` });
                continue;
            }
            try {
                await this.options.writer.replace(file, () => ({ content }), by);
                files.push({ path: file, outcome: content === undefined ? 'deleted' : 'restored' });
            } catch (error) {
                files.push({ path: file, outcome: 'failed', reason: (error as Error).message });
            }
        }
        const done = files.filter(f => f.outcome === 'restored' || f.outcome === 'deleted').length;
        this.options.note?.(`${by.displayName} restored ${path ?? 'the workspace'} to checkpoint #${row.id} (${row.label}): ${done} file(s) put back; checkpoint #${undoId} undoes it.`,
            { checkpointId: row.id, undoCheckpointId: undoId, files: done });
        this.changed.fire();
        return { checkpointId: row.id, undoCheckpointId: undoId, files };
    }
}

function infoOf(row: CheckpointRow, journalBegan: number | undefined): CheckpointInfo {
    return {
        id: row.id, at: row.at, kind: row.kind, label: row.label, available: journalBegan !== undefined && row.at >= journalBegan,
        ...(row.task_id !== null ? { taskId: row.task_id } : {}), ...(row.by_id !== null ? { by: row.by_id } : {}),
    };
}
