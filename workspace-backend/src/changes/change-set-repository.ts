import type { SqlConnection } from '../database/sql-connection';
import type { SqliteDatabase } from '../database/sqlite-database';
import type { ChangeOrigin, HunkReview } from './change-set-types';
import { sha256Of } from './workspace-journal-repository';

export interface ChangeSetRow {
    readonly task_id: number;
    readonly agent_id: string;
    readonly title: string;
    readonly created_at: number;
    readonly updated_at: number;
}

export interface ChangeFileRow {
    readonly task_id: number;
    readonly path: string;
    readonly before_sha: string | null;
    readonly after_sha: string | null;
    readonly origin: ChangeOrigin;
    readonly added: number | null;
    readonly removed: number | null;
    readonly hunks: number | null;
    /** JSON `[oldStart, oldLines, newStart, newLines][]`. */
    readonly hunk_ranges: string | null;
    readonly review_json: string | null;
    readonly renamed_from: string | null;
    /** 1 when a side is binary; set with the counts. */
    readonly binary: number | null;
    readonly first_at: number;
    readonly last_at: number;
}

export interface ChangeCommentRow {
    readonly id: number;
    readonly task_id: number;
    readonly path: string | null;
    readonly hunk: number | null;
    readonly text: string;
    readonly by_id: string;
    readonly by_name: string;
    readonly follow_up_task_id: number | null;
    readonly created_at: number;
}

export interface ChangeCommitRow {
    readonly task_id: number;
    readonly sha: string;
    readonly subject: string;
    readonly author_name: string;
    readonly authored_at: number;
}

/** The review of a file's hunks, valid only while the file's after side is `for`. */
export interface StoredReview {
    readonly for: string | null;
    readonly hunks: readonly HunkReview[];
}

/** One change a task made to one file, as the capture hands it over. */
export interface RecordedChange {
    readonly taskId: number;
    readonly agentId: string;
    readonly title: string;
    readonly path: string;
    /** Absent: the file did not exist before this change; absent after: the change deleted it. */
    readonly before: Buffer | undefined;
    readonly after: Buffer | undefined;
    readonly origin: ChangeOrigin;
    readonly at: number;
    /** The path the file had before (a command's rename). */
    readonly renamedFrom?: string;
}


/** Commits one command of a task made, as the capture hands them over (oldest first). */
export interface RecordedCommits {
    readonly taskId: number;
    readonly agentId: string;
    readonly title: string;
    readonly commits: readonly { readonly sha: string; readonly subject: string; readonly authorName: string; readonly at: number }[];
    readonly at: number;
}

/**
 * `sessions.db` tables `change_sets`, `change_files`, `change_blobs`, `change_comments` and `change_commits`.
 * Invariants: a file row's before side is the content before the task first changed the path and is
 * never updated; its after side is the content after the task's last change; a row whose sides are
 * equal does not exist, nor a set without file rows or commits; every sha a row names has its blob.
 * Each call commits before it returns.
 */
export class ChangeSetRepository {
    constructor(protected readonly db: SqliteDatabase) {
        if (db.name !== 'sessions') {
            throw new Error(`ChangeSetRepository needs the sessions database, not the ${db.label}.`);
        }
    }

    /** Records one change; false when it leaves the task's change to the file at nothing. */
    record(change: RecordedChange): boolean {
        return this.db.transaction(tx => {
            const existing = tx.get<{ before_sha: string | null }>('SELECT before_sha FROM change_files WHERE task_id = ? AND path = ?', change.taskId, change.path);
            // The before side is hashed only for a task's first change of a path: later ones keep it.
            const beforeSha = existing ? existing.before_sha : this.putBlob(tx, change.before);
            const afterSha = this.putBlob(tx, change.after);
            if (beforeSha === afterSha) {
                tx.run('DELETE FROM change_files WHERE task_id = ? AND path = ?', change.taskId, change.path);
                // A set whose commits remain stays: they are part of what the task did.
                tx.run(`DELETE FROM change_sets WHERE task_id = ? AND NOT EXISTS (SELECT 1 FROM change_files WHERE task_id = ?)
                        AND NOT EXISTS (SELECT 1 FROM change_commits WHERE task_id = ?)`, change.taskId, change.taskId, change.taskId);
                return false;
            }
            this.upsertSet(tx, change);
            // A file the task's tools touched stays 'tool': a command's later change of it is part of the same work.
            tx.run(`INSERT INTO change_files (task_id, path, before_sha, after_sha, origin, renamed_from, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (task_id, path) DO UPDATE SET after_sha = excluded.after_sha, last_at = excluded.last_at,
                        origin = CASE WHEN change_files.origin = 'tool' THEN 'tool' ELSE excluded.origin END,
                        added = NULL, removed = NULL, hunks = NULL, hunk_ranges = NULL, binary = NULL`,
            change.taskId, change.path, beforeSha, afterSha, change.origin, change.renamedFrom ?? null, change.at, change.at);
            return true;
        });
    }

    /** Records a command's commits in the task's set (creating it); false when the task had each of them already. */
    recordCommits(recorded: RecordedCommits): boolean {
        if (recorded.commits.length === 0) {
            return false;
        }
        return this.db.transaction(tx => {
            this.upsertSet(tx, recorded);
            let added = 0;
            for (const commit of recorded.commits) {
                added += tx.run(`INSERT INTO change_commits (task_id, sha, subject, author_name, authored_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                                 ON CONFLICT (task_id, sha) DO NOTHING`,
                recorded.taskId, commit.sha, commit.subject, commit.authorName, commit.at, recorded.at).changes;
            }
            return added > 0;
        });
    }

    /** The commits of tasks `from` to `to`, by task, each task's newest first. */
    commitsBetween(from: number, to: number): ChangeCommitRow[] {
        return this.db.all<ChangeCommitRow>(
            'SELECT task_id, sha, subject, author_name, authored_at FROM change_commits WHERE task_id BETWEEN ? AND ? ORDER BY task_id, id DESC', from, to);
    }

    /** Newest task first. */
    sets(query: { agentId?: string; beforeTaskId?: number; limit: number }): ChangeSetRow[] {
        const before = query.beforeTaskId ?? Number.MAX_SAFE_INTEGER;
        return query.agentId === undefined
            ? this.db.all<ChangeSetRow>('SELECT * FROM change_sets WHERE task_id < ? ORDER BY task_id DESC LIMIT ?', before, query.limit)
            : this.db.all<ChangeSetRow>('SELECT * FROM change_sets WHERE agent_id = ? AND task_id < ? ORDER BY task_id DESC LIMIT ?', query.agentId, before, query.limit);
    }

    set(taskId: number): ChangeSetRow | undefined {
        return this.db.get<ChangeSetRow>('SELECT * FROM change_sets WHERE task_id = ?', taskId);
    }

    /** The change sets of these tasks (those that have one), by task. */
    setsOf(taskIds: readonly number[]): ChangeSetRow[] {
        return this.db.all<ChangeSetRow>('SELECT * FROM change_sets WHERE task_id IN (SELECT value FROM json_each(?)) ORDER BY task_id', JSON.stringify(taskIds));
    }

    /** The files of these tasks' change sets, by task then path. */
    filesOf(taskIds: readonly number[]): ChangeFileRow[] {
        return this.db.all<ChangeFileRow>('SELECT * FROM change_files WHERE task_id IN (SELECT value FROM json_each(?)) ORDER BY task_id, path', JSON.stringify(taskIds));
    }

    /** The files of tasks `from` to `to` (inclusive), by task then path. */
    filesBetween(from: number, to: number): ChangeFileRow[] {
        return this.db.all<ChangeFileRow>('SELECT * FROM change_files WHERE task_id BETWEEN ? AND ? ORDER BY task_id, path', from, to);
    }

    file(taskId: number, path: string): ChangeFileRow | undefined {
        return this.db.get<ChangeFileRow>('SELECT * FROM change_files WHERE task_id = ? AND path = ?', taskId, path);
    }

    /** Stores the line counts and hunk ranges of a file's change, unless the task changed the file again meanwhile. */
    setCounts(taskId: number, path: string, afterSha: string | null, counts: { added: number; removed: number; hunks: number; ranges: string; binary: boolean }): void {
        this.db.run('UPDATE change_files SET added = ?, removed = ?, hunks = ?, hunk_ranges = ?, binary = ? WHERE task_id = ? AND path = ? AND after_sha IS ?',
            counts.added, counts.removed, counts.hunks, counts.ranges, counts.binary ? 1 : 0, taskId, path, afterSha);
    }

    /** Every other task's change of the paths that tasks `from` to `to` changed. */
    otherChangesOfPaths(from: number, to: number): (ChangeFileRow & { agent_id: string })[] {
        return this.db.all<ChangeFileRow & { agent_id: string }>(`
            SELECT f.*, s.agent_id FROM change_files f JOIN change_sets s ON s.task_id = f.task_id
             WHERE f.path IN (SELECT path FROM change_files WHERE task_id BETWEEN ? AND ?)`, from, to);
    }

    setReview(taskId: number, path: string, review: StoredReview): void {
        this.db.run('UPDATE change_files SET review_json = ? WHERE task_id = ? AND path = ?', JSON.stringify(review), taskId, path);
    }

    addComment(comment: { taskId: number; path?: string; hunk?: number; text: string; byId: string; byName: string; followUpTaskId?: number; at: number }): number {
        return Number(this.db.run(
            'INSERT INTO change_comments (task_id, path, hunk, text, by_id, by_name, follow_up_task_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            comment.taskId, comment.path ?? null, comment.hunk ?? null, comment.text, comment.byId, comment.byName, comment.followUpTaskId ?? null, comment.at,
        ).lastInsertRowid);
    }

    comments(taskId: number): ChangeCommentRow[] {
        return this.db.all<ChangeCommentRow>('SELECT * FROM change_comments WHERE task_id = ? ORDER BY id', taskId);
    }

    /** How many comments each task from `from` to `to` has. */
    commentCounts(from: number, to: number): Map<number, number> {
        return new Map(this.db.all<{ task_id: number; n: number }>('SELECT task_id, count(*) AS n FROM change_comments WHERE task_id BETWEEN ? AND ? GROUP BY task_id', from, to)
            .map(r => [r.task_id, r.n]));
    }

    /** A task's agent read this content of the path (`lines` lines of it). */
    recordRead(read: { taskId: number; path: string; sha256: string; lines: number; at: number }): void {
        this.db.run('INSERT INTO change_reads (task_id, path, sha256, lines, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
            read.taskId, read.path, read.sha256, read.lines, read.at);
    }

    /** The tasks whose agents read this content of the path. */
    readsOf(path: string, sha256: string): { task_id: number; lines: number }[] {
        return this.db.all<{ task_id: number; lines: number }>('SELECT task_id, lines FROM change_reads WHERE path = ? AND sha256 = ?', path, sha256);
    }

    addReadEdits(edits: readonly { taskId: number; path: string; by: string; at: number; start: number; end: number }[]): void {
        this.db.transaction(tx => {
            for (const e of edits) {
                tx.run('INSERT INTO change_read_edits (task_id, path, by_name, at, start_line, end_line) VALUES (?, ?, ?, ?, ?, ?)', e.taskId, e.path, e.by, e.at, e.start, e.end);
            }
        });
    }

    /** The read edits of tasks `from` to `to`, by task then in order. */
    readEditsBetween(from: number, to: number): { task_id: number; path: string; by_name: string; at: number; start_line: number; end_line: number }[] {
        return this.db.all('SELECT task_id, path, by_name, at, start_line, end_line FROM change_read_edits WHERE task_id BETWEEN ? AND ? ORDER BY task_id, id', from, to);
    }

    blob(sha: string | null): Buffer | undefined {
        if (sha === null) {
            return undefined;
        }
        const row = this.db.get<{ content: Buffer }>('SELECT content FROM change_blobs WHERE sha256 = ?', sha);
        if (!row) {
            throw new Error(`The content ${sha.slice(0, 12)}… of a change set is missing from sessions.db (change_blobs); the database was changed by hand or is damaged.`);
        }
        return row.content;
    }

    protected upsertSet(tx: SqlConnection, set: { readonly taskId: number; readonly agentId: string; readonly title: string; readonly at: number }): void {
        tx.run(`INSERT INTO change_sets (task_id, agent_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (task_id) DO UPDATE SET updated_at = excluded.updated_at`,
        set.taskId, set.agentId, set.title, set.at, set.at);
    }

    protected putBlob(tx: SqlConnection, content: Buffer | undefined): string | null {
        if (content === undefined) {
            return null;
        }
        const sha = sha256Of(content);
        if (!tx.get('SELECT 1 AS x FROM change_blobs WHERE sha256 = ?', sha)) {
            tx.run('INSERT INTO change_blobs (sha256, bytes, content) VALUES (?, ?, ?)', sha, content.length, content);
        }
        return sha;
    }
}
