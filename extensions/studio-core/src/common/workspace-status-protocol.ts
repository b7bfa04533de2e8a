import { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type { WorkspaceHealth } from '@coditect/workspace-backend/lib/health/workspace-health';

export type { ComponentHealth, HealthStatus, WorkspaceHealth } from '@coditect/workspace-backend/lib/health/workspace-health';

export const WORKSPACE_STATUS_PATH = '/services/coditect/workspace-status';

/** Receives the workspace core's health whenever it changes; pushed, never polled. */
export interface WorkspaceStatusClient {
    onDidChangeHealth(health: WorkspaceHealth): void;
}

export const WorkspaceStatusService = Symbol('WorkspaceStatusService');
export interface WorkspaceStatusService extends RpcServer<WorkspaceStatusClient> {
    /** The current health of every part of the workspace core. */
    getHealth(): Promise<WorkspaceHealth>;
    /** Probes every part again now and returns the result. */
    refreshHealth(): Promise<WorkspaceHealth>;
}
