import { FileVersion, sameVersion } from './file-version';

/**
 * What to do with one path, from three views of it: local disk now, the last synced state, and
 * the store's index now. A side "changed" when it differs from the last synced state.
 *
 * - record: both sides agree already (nothing to move; remember it).
 * - upload / upload-delete: only the local side changed (or the store lost the entry).
 * - download / delete-local: only the remote side changed.
 * - conflict: both changed to different contents: the local copy stays at the path and is
 *   uploaded, the remote one is saved beside it (conflict-name.ts); nothing is lost.
 * An edit beats a delete on either side: deleting is the one change that could lose work.
 */
export type SyncAction = 'none' | 'record' | 'upload' | 'upload-delete' | 'download' | 'delete-local' | 'conflict';

export interface PathViews {
    local: FileVersion | undefined;
    /** The last synced state; `undefined` when this path was never synced. */
    synced: { version?: FileVersion; remoteGeneration: string } | undefined;
    /** The store's index entry: absent (no object), or present with its generation and version (undefined = tombstone). */
    remote: { generation: string; version: FileVersion | undefined } | undefined;
}

export function planPath({ local, synced, remote }: PathViews): SyncAction {
    const localChanged = !sameVersion(local, synced?.version);
    if (!remote) {
        // No index object at all. If we had synced it, the store lost it (wiped, new bucket):
        // local disk is the only copy, so upload it; never delete local files for that.
        if (local) {
            return 'upload';
        }
        return synced ? 'record' : 'none';
    }
    const remoteChanged = remote.generation !== synced?.remoteGeneration;
    if (!remoteChanged) {
        if (!localChanged) {
            return 'none';
        }
        return local ? 'upload' : 'upload-delete';
    }
    if (sameVersion(local, remote.version)) {
        return 'record';
    }
    if (!localChanged) {
        return remote.version ? 'download' : 'delete-local';
    }
    if (!remote.version) {
        return 'upload';
    }
    if (!local) {
        return 'download';
    }
    return 'conflict';
}
