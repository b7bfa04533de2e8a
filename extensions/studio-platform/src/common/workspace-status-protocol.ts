import { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type { WorkspaceHealth } from '@coditect/workspace-backend/types';
import type { FileSyncStatus, PendingPath } from '@coditect/workspace-backend/types';

export type { ComponentHealth, HealthStatus, WorkspaceHealth } from '@coditect/workspace-backend/types';
export type { FileSyncStatus, PendingPath } from '@coditect/workspace-backend/types';

/** A file changed both here and in the store while they were apart: both copies were kept. */
export interface FileConflict {
    readonly path: string;
    /** Workspace-relative path of the store's copy, saved beside the local one. */
    readonly remoteCopy: string;
    readonly message: string;
}

export const WORKSPACE_STATUS_PATH = '/services/coditect/workspace-status';

/** Receives the workspace core's health whenever it changes; pushed, never polled. */
export interface WorkspaceStatusClient {
    onDidChangeHealth(health: WorkspaceHealth): void;
    onFileConflict(conflict: FileConflict): void;
}

export const WorkspaceStatusService = Symbol('WorkspaceStatusService');
export interface WorkspaceStatusService extends RpcServer<WorkspaceStatusClient> {
    /** The current health of every part of the workspace core. */
    getHealth(): Promise<WorkspaceHealth>;
    /** Probes every part again now and returns the result. */
    refreshHealth(): Promise<WorkspaceHealth>;
    /** Syncs the workspace files with the store now; undefined when file sync is off. */
    syncFilesNow(): Promise<FileSyncStatus | undefined>;
    /** The workspace files whose changes the store does not hold yet. */
    unsyncedFiles(): Promise<PendingPath[]>;
}
