import { createHash } from 'node:crypto';
import type { SqlConnection } from '../database/sql-connection';
import type { SqliteDatabase } from '../database/sqlite-database';

/** What the studio knows of one workspace file now. */
export interface KnownFile {
    readonly path: string;
    readonly sha256: string;
    readonly size: number;
    readonly mtime_ms: number;
}

/** A file's state as the journal holds it: its content's hash, or null when absent. */
export type FileState = string | null;

/** Who made a state: as people read it (`Claude (agent tool)`, `Ada (editor)`), and the task when one did. */
export interface StateMaker {
    readonly by: string;
    readonly taskId?: number;
}

/** One state of a file in the journal. */
export interface JournalRow {
    readonly seq: number;
    readonly sha256: string | null;
    readonly at: number;
    readonly by_name: string;
    readonly task_id: number | null;
}

/** A file as it was read: its content when it is kept (small enough). */
export interface FileSeen {
    readonly sha256: string;
    readonly size: number;
    readonly mtimeMs: number;
    readonly content?: Buffer;
}

export const sha256Of = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

/**
 * `sessions.db` tables `workspace_files` and `workspace_journal` (contents in `change_blobs`).
 * Invariants: `workspace_files` holds the latest journal state of every path present; a journal
 * row is written only when a path's state differs from its latest one; a content is kept as a
 * blob when it is at most the keep limit (larger ones are known by hash only).
 */
export class WorkspaceJournalRepository {
    constructor(protected readonly db: SqliteDatabase) { }

    known(path: string): KnownFile | undefined {
        return this.db.get<KnownFile>('SELECT * FROM workspace_files WHERE path = ?', path);
    }

    allKnown(): Map<string, KnownFile> {
        return new Map(this.db.all<KnownFile>('SELECT * FROM workspace_files').map(f => [f.path, f]));
    }

    /**
     * Notes a path's state as seen at `at` (undefined: absent). Returns the state it had before,
     * or undefined when its content did not change (a new mtime is remembered all the same).
     */
    note(path: string, seen: FileSeen | undefined, at: number, maker: StateMaker): { before: FileState } | undefined {
        return this.db.transaction(tx => this.noteIn(tx, path, seen, at, maker));
    }

    /** Like `note`, for many paths in one transaction (a start's scan). */
    noteAll(states: readonly { path: string; seen: FileSeen | undefined }[], at: number, maker: StateMaker): number {
        return this.db.transaction(tx => states.filter(s => this.noteIn(tx, s.path, s.seen, at, maker) !== undefined).length);
    }

    /** The path's last `limit` states, oldest first. */
    states(path: string, limit: number): JournalRow[] {
        return this.db.all<JournalRow>('SELECT seq, sha256, at, by_name, task_id FROM workspace_journal WHERE path = ? ORDER BY at DESC, seq DESC LIMIT ?', path, limit).reverse();
    }

    /** When the journal began (its first row), if it has. */
    firstAt(): number | undefined {
        return this.db.get<{ at: number | null }>('SELECT min(at) AS at FROM workspace_journal')?.at ?? undefined;
    }

    /** Every path's state at `at` (the latest row at or before it) among the paths changed after it; `path` narrows to one. */
    statesAtForChangedSince(at: number, path?: string): Map<string, FileState> {
        // No row at or before `at` (the subquery's NULL): the path did not exist then, the journal having begun before.
        const rows = this.db.all<{ path: string; sha256: string | null }>(`
            SELECT p.path,
                   (SELECT j.sha256 FROM workspace_journal j WHERE j.path = p.path AND j.at <= ? ORDER BY j.at DESC, j.seq DESC LIMIT 1) AS sha256
              FROM (SELECT DISTINCT path FROM workspace_journal WHERE at > ? ${path === undefined ? '' : 'AND path = ?'}) p`,
        at, at, ...(path === undefined ? [] : [path]));
        return new Map(rows.map(r => [r.path, r.sha256]));
    }

    /**
     * Collapses the states before `cutoff` into the state each path had then (its latest earlier
     * row, moved to `cutoff`; an absent one dropped), drops the checkpoints before it, and deletes
     * every content no change set, journal state or known file names any more.
     */
    prune(cutoff: number): { states: number; checkpoints: number; blobs: number } {
        return this.db.transaction(tx => {
            const states = tx.run(`DELETE FROM workspace_journal WHERE at < ? AND (sha256 IS NULL OR seq NOT IN (
                                       SELECT max(seq) FROM workspace_journal WHERE at < ? GROUP BY path))`, cutoff, cutoff).changes;
            tx.run('UPDATE workspace_journal SET at = ? WHERE at < ?', cutoff, cutoff);
            const checkpoints = tx.run('DELETE FROM checkpoints WHERE at < ?', cutoff).changes;
            const blobs = tx.run(`DELETE FROM change_blobs WHERE sha256 NOT IN (SELECT before_sha FROM change_files WHERE before_sha IS NOT NULL)
                                    AND sha256 NOT IN (SELECT after_sha FROM change_files WHERE after_sha IS NOT NULL)
                                    AND sha256 NOT IN (SELECT sha256 FROM workspace_journal WHERE sha256 IS NOT NULL)
                                    AND sha256 NOT IN (SELECT sha256 FROM workspace_files)`).changes;
            return { states: Number(states), checkpoints: Number(checkpoints), blobs: Number(blobs) };
        });
    }

    hasBlob(sha: string): boolean {
        return this.db.get('SELECT 1 AS x FROM change_blobs WHERE sha256 = ?', sha) !== undefined;
    }

    blob(sha: string): Buffer | undefined {
        return this.db.get<{ content: Buffer }>('SELECT content FROM change_blobs WHERE sha256 = ?', sha)?.content;
    }

    protected noteIn(tx: SqlConnection, path: string, seen: FileSeen | undefined, at: number, maker: StateMaker): { before: FileState } | undefined {
        const known = tx.get<KnownFile>('SELECT * FROM workspace_files WHERE path = ?', path);
        const before: FileState = known?.sha256 ?? null;
        if (!seen) {
            if (!known) {
                return undefined;
            }
            tx.run('DELETE FROM workspace_files WHERE path = ?', path);
            tx.run('INSERT INTO workspace_journal (path, sha256, at, by_name, task_id) VALUES (?, NULL, ?, ?, ?)', path, at, maker.by, maker.taskId ?? null);
            return { before };
        }
        const sha = seen.sha256;
        tx.run(`INSERT INTO workspace_files (path, sha256, size, mtime_ms) VALUES (?, ?, ?, ?)
                ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, mtime_ms = excluded.mtime_ms`,
        path, sha, seen.size, seen.mtimeMs);
        if (before === sha) {
            return undefined;
        }
        if (seen.content && !tx.get('SELECT 1 AS x FROM change_blobs WHERE sha256 = ?', sha)) {
            tx.run('INSERT INTO change_blobs (sha256, bytes, content) VALUES (?, ?, ?)', sha, seen.content.length, seen.content);
        }
        tx.run('INSERT INTO workspace_journal (path, sha256, at, by_name, task_id) VALUES (?, ?, ?, ?, ?)', path, sha, at, maker.by, maker.taskId ?? null);
        return { before };
    }
}
