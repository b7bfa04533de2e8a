import { ComponentHealth } from '../health/workspace-health';
import type { FileSyncStatus } from './file-sync';

/** Component `file-sync`: pending count, last sync and the last error, in one line. */
export function fileSyncHealth(status: FileSyncStatus | undefined, failure: string | undefined): ComponentHealth {
    const id = 'file-sync';
    const label = 'Workspace file sync';
    if (!status) {
        return { id, label, status: failure ? 'down' : 'starting', detail: failure ?? 'Restoring the workspace files.' };
    }
    const metrics = {
        pending: status.pending,
        lastSyncAt: status.lastSyncAt ?? null,
        uploaded: status.uploaded,
        downloaded: status.downloaded,
        conflicts: status.conflicts,
        outsideLinks: status.outsideLinks,
        store: status.store,
    };
    if (status.phase === 'restoring' || status.phase === 'reconciling') {
        return { id, label, status: 'starting', detail: `${status.phase === 'restoring' ? 'Restoring' : 'Reconciling'} the workspace with ${status.store}.`, metrics };
    }
    const last = status.lastSyncAt ? `last synced ${status.lastSyncAt}` : 'not synced yet';
    if (status.lastError && status.pending > 0) {
        return {
            id, label, status: 'degraded', metrics,
            detail: `${status.pending} change(s) not in ${status.store} yet (${last}); last error: ${status.lastError} Retrying; run "Sync Workspace Files Now" to retry at once, "Show Unsynced Files" to see them.`,
        };
    }
    const links = status.outsideLinks ? `; ${status.outsideLinks} symlink(s) out of the workspace not synced` : '';
    return { id, label, status: 'ok', detail: `${status.pending ? `${status.pending} change(s) settling` : 'In step'} with ${status.store}, ${last}${links}.`, metrics };
}
