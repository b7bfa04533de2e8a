import type { SqliteDatabase } from '../database/sqlite-database';

export interface V1ImportRow {
    readonly userId: string;
    readonly source: string;
    readonly fingerprint: string;
    readonly state: 'running' | 'done';
    readonly startedAt: number;
    readonly finishedAt?: number;
    readonly report: string;
}

export interface PlacedFile {
    readonly path: string;
    readonly sha256: string;
    readonly size: number;
}

/** `workspace.db`'s record of v1 imports (tables `v1_imports`, `v1_import_files`). */
export class V1ImportRepository {
    constructor(protected readonly db: SqliteDatabase) {
        if (db.name !== 'workspace') {
            throw new Error(`V1ImportRepository needs the workspace database, not the ${db.label}`);
        }
    }

    all(): V1ImportRow[] {
        return this.db.all<{ user_id: string; source: string; fingerprint: string; state: 'running' | 'done'; started_at: number; finished_at: number | null; report: string }>(
            'SELECT * FROM v1_imports ORDER BY started_at',
        ).map(r => ({ userId: r.user_id, source: r.source, fingerprint: r.fingerprint, state: r.state, startedAt: r.started_at, finishedAt: r.finished_at ?? undefined, report: r.report }));
    }

    begin(userId: string, source: string, fingerprint: string, at: number): void {
        this.db.run(`INSERT INTO v1_imports (user_id, source, fingerprint, state, started_at) VALUES (?, ?, ?, 'running', ?)
                     ON CONFLICT (user_id) DO UPDATE SET source = excluded.source, fingerprint = excluded.fingerprint, state = 'running', started_at = excluded.started_at, finished_at = NULL`,
        userId, source, fingerprint, at);
    }

    finish(userId: string, at: number, report: string): void {
        this.db.run('UPDATE v1_imports SET state = \'done\', finished_at = ?, report = ? WHERE user_id = ?', at, report, userId);
    }

    files(userId: string): Map<string, PlacedFile> {
        return new Map(this.db.all<PlacedFile>('SELECT path, sha256, size FROM v1_import_files WHERE user_id = ?', userId).map(f => [f.path, f]));
    }

    recordFiles(userId: string, files: readonly PlacedFile[]): void {
        this.db.transaction(tx => {
            for (const f of files) {
                tx.run('INSERT INTO v1_import_files (path, user_id, sha256, size) VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET user_id = excluded.user_id, sha256 = excluded.sha256, size = excluded.size',
                    f.path, userId, f.sha256, f.size);
            }
        });
    }

    forgetFiles(paths: readonly string[]): void {
        this.db.transaction(tx => paths.forEach(p => tx.run('DELETE FROM v1_import_files WHERE path = ?', p)));
    }
}
