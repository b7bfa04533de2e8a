import type { Emitter } from '../common/emitter';
import type { FileSyncEvent, FileSyncStatus } from './file-sync-types';

/**
 * What file sync has moved since it started: each upload, download and conflict is counted (for
 * `FileSync.status`) and announced as its event, together, so the counts and the events agree.
 */
export class SyncTally {
    protected readonly counted = { uploaded: 0, downloaded: 0, conflicts: 0 };

    constructor(protected readonly events: Pick<Emitter<FileSyncEvent>, 'fire'>) { }

    get counts(): Pick<FileSyncStatus, 'uploaded' | 'downloaded' | 'conflicts'> {
        return { ...this.counted };
    }

    /** The store now holds the path's local version (`deleted`: its tombstone). */
    uploaded(path: string, deleted: boolean): void {
        this.counted.uploaded++;
        this.events.fire({ type: 'uploaded', path, deleted });
    }

    /** The workspace now holds the store's version of the path (`deleted`: the path was removed here). */
    downloaded(path: string, deleted: boolean): void {
        this.counted.downloaded++;
        this.events.fire({ type: 'downloaded', path, deleted });
    }

    /** Both sides changed the path: the local version stays, the store's was saved as `remoteCopy`. */
    conflict(path: string, remoteCopy: string, message: string): void {
        this.counted.conflicts++;
        this.events.fire({ type: 'conflict', path, remoteCopy, message });
    }
}
