import * as fs from 'node:fs';
import * as path from 'node:path';
import { syncDirectory } from '../object-store/directory-object-store';
import { FileVersion } from './file-version';

/** Where a data directory keeps file sync's state. */
export function syncStatePath(dataDir: string): string {
    return path.join(dataDir, 'file-sync', 'state.json');
}

/** What this workspace last agreed with the store about one path. */
export interface SyncedPath {
    /** The version both sides had; absent when both had the path deleted. */
    version?: FileVersion;
    /** Local mtime and size when synced: unchanged means "not edited", without hashing. */
    mtimeMs?: number;
    /** The index entry's generation in the store then: a different one means a remote change. */
    remoteGeneration: string;
}

interface StateFile {
    format: 1;
    /** The store this state describes; state for another store is meaningless. */
    store: string;
    paths: Record<string, SyncedPath>;
}

/**
 * The local record of the last synced state per path (`<dataDir>/file-sync/state.json`), what
 * reconcile uses to tell a local change from a remote one. Invariant: an entry is recorded
 * only after the store holds it (blob, then index entry), so a crash loses at most the record
 * of a sync, never the sync: on the next start the two sides compare equal and are recorded.
 * Written whole, to a temp file that is fsynced and renamed.
 */
export class SyncState {
    readonly paths = new Map<string, SyncedPath>();
    protected dirty = false;

    constructor(readonly file: string, readonly storeDescription: string) { }

    async load(): Promise<void> {
        let raw: string;
        try {
            raw = await fs.promises.readFile(this.file, 'utf8');
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
                return;
            }
            throw error;
        }
        try {
            const parsed = JSON.parse(raw) as StateFile;
            // State recorded against another store says nothing about this one: start fresh.
            if (parsed.format === 1 && parsed.store === this.storeDescription) {
                for (const [p, entry] of Object.entries(parsed.paths)) {
                    this.paths.set(p, entry);
                }
            }
        } catch {
            // A damaged state file only costs hashing: reconcile then compares contents directly.
        }
    }

    set(relPath: string, entry: SyncedPath): void {
        this.paths.set(relPath, entry);
        this.dirty = true;
    }

    delete(relPath: string): void {
        this.dirty = this.paths.delete(relPath) || this.dirty;
    }

    async save(): Promise<void> {
        if (!this.dirty) {
            return;
        }
        this.dirty = false;
        try {
            await this.write();
        } catch (error) {
            this.dirty = true;
            throw error;
        }
    }

    protected async write(): Promise<void> {
        const data: StateFile = { format: 1, store: this.storeDescription, paths: Object.fromEntries(this.paths) };
        await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
        const temp = `${this.file}.tmp-${process.pid}`;
        const handle = await fs.promises.open(temp, 'w');
        try {
            await handle.writeFile(JSON.stringify(data));
            await handle.sync();
        } finally {
            await handle.close();
        }
        await fs.promises.rename(temp, this.file);
        await syncDirectory(path.dirname(this.file));
    }
}
