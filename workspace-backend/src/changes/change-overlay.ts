import type { SqliteDatabase } from '../database/sqlite-database';
import type { ChangeApplyState } from './change-set-types';
import { sha256Of } from './workspace-journal-repository';

/** A file as an agent with an overlay sees it: its content, or absent (deleted for it). */
export interface OverlayEntry {
    readonly path: string;
    readonly content: string | undefined;
    /** SHA-256 of what the workspace held when the agent first wrote the file in the task; null: absent then. */
    readonly baseSha256: string | null;
}

interface OverlayFileRow {
    readonly path: string;
    readonly content: Buffer | null;
    readonly base_sha256: string | null;
}

/**
 * The edits of agents whose definition says `apply: "after-review"`: per task, the files its
 * tools wrote, as it wrote them, which only that agent sees (overlay-first reads) and which reach
 * the workspace only when a person accepts the task's change set (overlay-landing.ts).
 *
 * Kept in `sessions.db` (tables `change_overlays`, `change_overlay_files`), beside the change set
 * it belongs to, rather than as files in the data folder: a write to it is one transaction, it
 * survives a restart, and replication ships it with the change set, so a restored replica never
 * has a waiting change set without its overlay (or the reverse).
 *
 * Invariants: files are held only while the task's overlay is `waiting`; `applied` and `discarded`
 * overlays keep their task row (the decision) and no files. A write to a decided overlay (the
 * task went on after the person decided) makes it wait again, with only the new files.
 */
export class ChangeOverlays {
    constructor(protected readonly db: SqliteDatabase) {
        if (db.name !== 'sessions') {
            throw new Error(`ChangeOverlays needs the sessions database, not the ${db.label}.`);
        }
    }

    /**
     * Puts a file in the task's overlay as the agent wrote it (undefined: deleted for the agent).
     * `base` is the file in the workspace now (undefined: absent), kept from the task's first write
     * of the path only: what the agent started from, which the workspace must still hold to land.
     */
    write(taskId: number, agentId: string, path: string, content: string | undefined, base: string | undefined, at = Date.now()): void {
        this.db.transaction(tx => {
            tx.run(`INSERT INTO change_overlays (task_id, agent_id, state, created_at, updated_at) VALUES (?, ?, 'waiting', ?, ?)
                    ON CONFLICT (task_id) DO UPDATE SET state = 'waiting', decided_by = NULL, decided_at = NULL, updated_at = excluded.updated_at`,
            taskId, agentId, at, at);
            tx.run(`INSERT INTO change_overlay_files (task_id, path, content, base_sha256, at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (task_id, path) DO UPDATE SET content = excluded.content, at = excluded.at`,
            taskId, path, content === undefined ? null : Buffer.from(content, 'utf8'), shaOf(base), at);
        });
    }

    /** The file as the task's agent sees it, when its overlay has it; undefined: read the workspace. */
    read(taskId: number, path: string): OverlayEntry | undefined {
        const row = this.db.get<OverlayFileRow>('SELECT path, content, base_sha256 FROM change_overlay_files WHERE task_id = ? AND path = ?', taskId, path);
        return row && entryOf(row);
    }

    /** Every file in the task's overlay, by path. */
    entries(taskId: number): OverlayEntry[] {
        return this.db.all<OverlayFileRow>('SELECT path, content, base_sha256 FROM change_overlay_files WHERE task_id = ? ORDER BY path', taskId).map(entryOf);
    }

    /** The task's overlay state; undefined when its agent applied its edits immediately. */
    state(taskId: number): ChangeApplyState | undefined {
        return this.db.get<{ state: ChangeApplyState }>('SELECT state FROM change_overlays WHERE task_id = ?', taskId)?.state;
    }

    /** The overlay states of tasks `from` to `to` (a page of change sets), in one read. */
    statesBetween(from: number, to: number): Map<number, ChangeApplyState> {
        return new Map(this.db.all<{ task_id: number; state: ChangeApplyState }>('SELECT task_id, state FROM change_overlays WHERE task_id BETWEEN ? AND ?', from, to)
            .map(r => [r.task_id, r.state]));
    }

    /** Records the person's decision and drops the overlay's files: applied (they are in the workspace now) or discarded. */
    decide(taskId: number, state: Exclude<ChangeApplyState, 'waiting'>, by: string, at = Date.now()): void {
        this.db.transaction(tx => {
            tx.run('DELETE FROM change_overlay_files WHERE task_id = ?', taskId);
            tx.run('UPDATE change_overlays SET state = ?, decided_by = ?, decided_at = ?, updated_at = ? WHERE task_id = ?', state, by, at, at, taskId);
        });
    }
}

function entryOf(row: OverlayFileRow): OverlayEntry {
    return { path: row.path, content: row.content === null ? undefined : row.content.toString('utf8'), baseSha256: row.base_sha256 };
}

/** The SHA-256 of a file's text as the journal and the change sets name contents; null: absent. */
export function shaOf(content: string | undefined): string | null {
    return content === undefined ? null : sha256Of(Buffer.from(content, 'utf8'));
}
