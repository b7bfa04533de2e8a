import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SerialQueue } from '../common/serial-queue';
import type { SqliteDatabase } from '../database/sqlite-database';
import type { IgnoreRules } from '../file-sync/ignore-rules';
import { scanLocal } from '../file-sync/local-scan';
import { isStudioConfiguration, WorkspacePaths } from '../policy/workspace-paths';
import { FileSeen, FileState, JournalRow, sha256Of, StateMaker, WorkspaceJournalRepository } from './workspace-journal-repository';

/** Contents up to this size are kept, so they can be put back; larger files are known by hash only. */
const DefaultMaxKeptBytes = 1024 * 1024;
const ScanBatch = 200;
/** Who made the states a start's scan finds: at the first, the workspace as the studio found it; later, changes made while it was stopped. */
const StartingState = 'the workspace as the studio found it';
const ChangedWhileStopped = 'a change made while the studio was stopped';

export interface WorkspaceJournalOptions {
    readonly db: SqliteDatabase;
    readonly workspaceDir: string;
    /** What the journal never records: the workspace watcher's rules (file sync's, the data folder). */
    readonly rules: IgnoreRules;
    readonly maxKeptBytes?: number;
    readonly now?: () => number;
}

/** A change the journal found when it read a path: the state before it and after. */
export interface ObservedChange {
    readonly path: string;
    readonly before: FileState;
    readonly after: FileState;
}

/**
 * Every state of every workspace file the studio saw (workspace-journal-repository.ts), so the
 * content before any change can be told (a command's change set) and the workspace at any moment
 * since the journal began can be put back (checkpoints). Fed by the studio's own writes, whose
 * content it is handed, and by the watcher's other changes, which it reads from disk; a start
 * first scans the workspace (files unchanged in size and mtime are not read again). Reads run
 * one at a time, in the order they were asked for.
 */
export class WorkspaceJournal {
    protected readonly repo: WorkspaceJournalRepository;
    protected readonly root: string;
    /** The project's confinement of paths to the workspace, for the paths people give (a restore's, a line history's). */
    protected readonly paths: WorkspacePaths;
    protected readonly maxKeptBytes: number;
    /** Reads and notes run one at a time, in the order asked. */
    protected readonly queue = new SerialQueue();

    constructor(protected readonly options: WorkspaceJournalOptions) {
        this.repo = new WorkspaceJournalRepository(options.db);
        this.root = options.workspaceDir;
        this.paths = new WorkspacePaths(options.workspaceDir);
        this.maxKeptBytes = options.maxKeptBytes ?? DefaultMaxKeptBytes;
    }

    protected now(): number {
        return (this.options.now ?? Date.now)();
    }

    /** Compares the workspace with what the journal last knew and notes every difference (what changed while the studio was stopped). */
    scan(): Promise<{ files: number; changed: number }> {
        return this.enqueue(async () => {
            const at = this.now();
            const known = this.repo.allKnown();
            // The first scan finds the workspace as it is; a later one, what changed while no studio watched.
            const maker: StateMaker = { by: known.size === 0 && this.repo.firstAt() === undefined ? StartingState : ChangedWhileStopped };
            const { entries } = await scanLocal(this.root, this.options.rules);
            let changed = 0;
            let batch: { path: string; seen: FileSeen | undefined }[] = [];
            const flush = (): void => {
                changed += this.repo.noteAll(batch, at, maker);
                batch = [];
            };
            let files = 0;
            for (const entry of entries.values()) {
                if (entry.kind !== 'file' || !this.journals(entry.path)) {
                    continue;
                }
                files++;
                const was = known.get(entry.path);
                known.delete(entry.path);
                if (was && was.size === entry.size && was.mtime_ms === entry.mtimeMs) {
                    continue;
                }
                const seen = await this.read(entry.path);
                if (seen !== 'skip') {
                    batch.push({ path: entry.path, seen });
                }
                if (batch.length >= ScanBatch) {
                    flush();
                }
            }
            for (const gone of known.keys()) {
                batch.push({ path: gone, seen: undefined });
            }
            flush();
            return { files, changed };
        });
    }

    /** A write the studio made itself, whose content it knows (undefined: it deleted the file). */
    wrote(relativePath: string, content: string | Buffer | undefined, maker: StateMaker, at = this.now()): void {
        if (!this.journals(relativePath)) {
            return;
        }
        let mtimeMs = at;
        try {
            mtimeMs = fs.statSync(this.absolute(relativePath)).mtimeMs;
        } catch {
            // Gone already: the next scan reads it.
        }
        this.repo.note(relativePath, content === undefined ? undefined : this.seenOf(typeof content === 'string' ? Buffer.from(content, 'utf8') : content, mtimeMs), at, maker);
    }

    /** Reads these paths now (the watcher saw them change at `at`) and notes their states; the changes found, each with its state before. */
    observe(seen: readonly ({ readonly path: string; readonly at: number } & StateMaker)[]): Promise<ObservedChange[]> {
        return this.enqueue(async () => {
            const changes: ObservedChange[] = [];
            for (const { path: relativePath, at, by, taskId } of seen) {
                if (!this.journals(relativePath)) {
                    continue;
                }
                const read = await this.read(relativePath);
                if (read === 'skip') {
                    continue;
                }
                const noted = this.repo.note(relativePath, read, at, { by, taskId });
                if (noted) {
                    changes.push({ path: relativePath, before: noted.before, after: read?.sha256 ?? null });
                }
            }
            return changes;
        });
    }

    /** Forgets the states before `cutoff` but each path's state then (workspace-journal-repository.ts `prune`), after the reads asked for so far. */
    prune(cutoff: number): Promise<{ states: number; checkpoints: number; blobs: number }> {
        return this.enqueue(async () => this.repo.prune(cutoff));
    }

    /** The largest content kept. */
    get keptBytes(): number {
        return this.maxKeptBytes;
    }

    /** Resolves once every read asked for so far is noted. */
    settled(): Promise<void> {
        return this.enqueue(async () => undefined);
    }

    /** A state's content: undefined for absent, 'not-kept' for a file too large to keep. */
    content(state: FileState): Buffer | undefined | 'not-kept' {
        return state === null ? undefined : this.repo.blob(state) ?? 'not-kept';
    }

    /** The state now, as the journal knows it. */
    stateOf(relativePath: string): FileState {
        return this.repo.known(relativePath)?.sha256 ?? null;
    }

    /** When the journal began: moments before it cannot be restored. */
    firstAt(): number | undefined {
        return this.repo.firstAt();
    }

    /** The path's last `limit` states, oldest first, with who made each. */
    states(relativePath: string, limit: number): JournalRow[] {
        return this.repo.states(relativePath, limit);
    }

    /** The state at `at` of every path changed since (or only `path`). */
    statesAt(at: number, relativePath?: string): Map<string, FileState> {
        return this.repo.statesAtForChangedSince(at, relativePath);
    }

    /** The workspace-relative form of a path a person gave; a WorkspacePathError (400 over HTTP) for one outside the workspace. */
    relative(input: string): string {
        return this.paths.relative(input);
    }

    /** Whether a path is the journal's: not ignored, not git's internals, not the studio's configuration. */
    journals(relativePath: string): boolean {
        return relativePath !== '' && relativePath !== '.git' && !relativePath.startsWith('.git/') && !isStudioConfiguration(relativePath)
            && !this.options.rules.ignores(relativePath);
    }

    protected enqueue<T>(work: () => Promise<T>): Promise<T> {
        return this.queue.run(work);
    }

    protected absolute(relativePath: string): string {
        return path.join(this.root, ...relativePath.split('/'));
    }

    /** The file as it is now; undefined when absent; 'skip' for what is not a regular file (a folder, a symlink). */
    protected async read(relativePath: string): Promise<FileSeen | undefined | 'skip'> {
        const absolute = this.absolute(relativePath);
        let stat: fs.Stats;
        try {
            stat = await fs.promises.lstat(absolute);
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'ENOENT' || code === 'ENOTDIR') {
                return undefined;
            }
            throw error;
        }
        if (!stat.isFile()) {
            return 'skip';
        }
        try {
            if (stat.size <= this.maxKeptBytes) {
                return this.seenOf(await fs.promises.readFile(absolute), stat.mtimeMs);
            }
            const hash = createHash('sha256');
            let size = 0;
            for await (const chunk of fs.createReadStream(absolute, { highWaterMark: 1024 * 1024 })) {
                hash.update(chunk as Buffer);
                size += (chunk as Buffer).length;
            }
            return { sha256: hash.digest('hex'), size, mtimeMs: stat.mtimeMs };
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
                return undefined; // Deleted while being read.
            }
            throw error;
        }
    }

    protected seenOf(content: Buffer, mtimeMs: number): FileSeen {
        return { sha256: sha256Of(content), size: content.length, mtimeMs, ...(content.length <= this.maxKeptBytes ? { content } : {}) };
    }
}
