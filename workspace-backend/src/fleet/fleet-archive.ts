import type { ObjectStore } from '../object-store/object-store';
import type { WorkspaceInfo } from './workspace-info';

/** The record a deleted workspace leaves in its bucket folder: whose it was, and when it was archived. */
export const ArchiveRecordName = 'ARCHIVED.json';

/**
 * A deleted workspace's archive is its bucket folder, which its pod's last shutdown brought up to
 * date (the final sync of its files and databases): it is kept, with a record beside it, and the
 * bucket's lifecycle rules move it to colder storage (docker/k8s/gcs-lifecycle.json). Restoring it
 * is provisioning a workspace on that folder (docs/fleet.md, runbook).
 */
export function archiveInBucket(store: ObjectStore): (workspace: WorkspaceInfo) => Promise<void> {
    return async workspace => {
        const record = { id: workspace.id, owner: workspace.owner, size: workspace.size, createdAt: workspace.createdAt, archivedAt: new Date().toISOString() };
        await store.put(`${workspace.bucketPrefix}/${ArchiveRecordName}`, Buffer.from(`${JSON.stringify(record, undefined, 2)}\n`), { contentType: 'application/json' });
    };
}
