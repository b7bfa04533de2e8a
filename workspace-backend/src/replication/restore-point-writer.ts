import type { ObjectStore } from '../object-store/object-store';
import { RestorePoint, RestorePointDatabase, writeRestorePoint } from './restore-point';

export type RestorePointFiles = NonNullable<RestorePoint['files']>;

export interface RestorePointWriterOptions {
    store: ObjectStore;
    /**
     * Where every database's chain stands in the store right now, and since when the store holds
     * every commit of all of them (the oldest start of their latest sync rounds); undefined while
     * one of them has shipped nothing yet (a point must name all of them).
     */
    positions(): { databases: Record<string, RestorePointDatabase>; syncedSince: number } | undefined;
    /** At most one point per this interval after sync rounds (default 1000 ms); `flush()` is not limited. */
    minIntervalMs?: number;
    /**
     * The files manifest is stored again at most this often (default 10 s); a point in between
     * names the last one. A manifest lists every path, so storing one per point would upload the
     * whole tree's listing every second while agents edit; file sync is itself debounced.
     */
    filesIntervalMs?: number;
    /** The workspace files take part: no point is written until `attachFiles` gave their source. */
    awaitFiles?: boolean;
    log?: (message: string) => void;
}

/**
 * Writes restore points (restore-point.ts) for the replication manager.
 *
 * Invariants:
 * - A point is written only when something moved since the last one (a database's chain or the
 *   files manifest), so an idle workspace adds none.
 * - `flush()` is group commit: a caller joins the write that has not started yet, or queues one
 *   after the write under way, so the point it waits for reads the positions after its call.
 * - Positions are read synchronously from the replicators, which advance them only after the
 *   store acknowledged the segment, and the files manifest is stored before the point names it.
 */
export class RestorePointWriter {
    protected files: (() => Promise<RestorePointFiles | undefined>) | undefined;
    protected lastWritten: string | undefined;
    protected lastWriteAt = 0;
    protected queue: Promise<void> = Promise.resolve();
    protected queued: Promise<void> | undefined;
    protected timer: NodeJS.Timeout | undefined;
    protected stopped = false;
    protected lastFiles: { at: number; files: RestorePointFiles | undefined } | undefined;
    protected freshFilesWanted = false;
    /** Keys written, newest last (diagnostics and tests). */
    lastKey: string | undefined;
    /**
     * Every commit made before this instant (ms) is named by a stored point: the `syncedSince` of
     * the newest point's positions. Undefined before the first point. What durability measures
     * its lag by, since a restore brings back the newest point, not each chain's end.
     */
    coveredSince: number | undefined;

    constructor(protected readonly options: RestorePointWriterOptions) { }

    /** The files manifest source (file sync's `publishManifest`); points wait for it when `awaitFiles`. */
    attachFiles(source: () => Promise<RestorePointFiles | undefined>): void {
        this.files = source;
    }

    /** After a sync round: a point now, or once the interval since the last one has passed. */
    noteSynced(): void {
        if (this.stopped || this.timer) {
            return;
        }
        const wait = Math.max(0, this.lastWriteAt + (this.options.minIntervalMs ?? 1000) - Date.now());
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.flush().catch(error => this.options.log?.(`restore point not written: ${(error as Error).message}`));
        }, wait);
        this.timer.unref?.();
    }

    /**
     * Writes a point for the current positions unless the last one already says the same. With
     * `freshFiles` (an explicit point: a stop, a snapshot, the CLI) the files manifest is stored
     * anew rather than reused within `filesIntervalMs`.
     */
    flush(options: { freshFiles?: boolean } = {}): Promise<void> {
        this.freshFilesWanted ||= options.freshFiles === true;
        if (!this.queued) {
            const run = this.queue.then(() => {
                this.queued = undefined;
                return this.writeIfMoved();
            });
            this.queued = run;
            this.queue = run.catch(() => undefined);
        }
        return this.queued;
    }

    /** No more timed points; a last `flush()` still works (the clean stop's point). */
    stop(): void {
        this.stopped = true;
        clearTimeout(this.timer);
        this.timer = undefined;
    }

    protected async writeIfMoved(): Promise<void> {
        const positions = this.options.positions();
        if (!positions || (this.options.awaitFiles && !this.files)) {
            return;
        }
        const { databases, syncedSince } = positions;
        const files = await this.currentFiles();
        const content = JSON.stringify({ databases, files });
        if (content !== this.lastWritten) {
            // Strictly after the last point: keys sort by their stamp, so two points never share an instant.
            const at = new Date(Math.max(Date.now(), this.lastWriteAt + 1));
            this.lastKey = await writeRestorePoint(this.options.store, { databases, ...(files ? { files } : {}) }, at);
            this.lastWritten = content;
            this.lastWriteAt = at.getTime();
        }
        // Unchanged positions: the newest point already names everything synced so far.
        this.coveredSince = Math.max(this.coveredSince ?? 0, syncedSince);
    }

    /** The files manifest for a point: stored again once `filesIntervalMs` has passed, else the last one. */
    protected async currentFiles(): Promise<RestorePointFiles | undefined> {
        if (!this.files) {
            return undefined;
        }
        const now = Date.now();
        const fresh = this.freshFilesWanted;
        this.freshFilesWanted = false;
        if (fresh || !this.lastFiles || now - this.lastFiles.at >= (this.options.filesIntervalMs ?? 10_000)) {
            this.lastFiles = { at: now, files: await this.files() };
        }
        return this.lastFiles.files;
    }
}
