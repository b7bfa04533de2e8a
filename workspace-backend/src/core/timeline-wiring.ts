import * as path from 'node:path';
import type { WorkspaceConfig } from '../config/workspace-config';
import type { DatabaseCluster } from '../database/database-cluster';
import type { ComponentHealth } from '../health/workspace-health';
import { openReplicaStore, resolveReplicationConfig } from '../replication/replication-config';
import { SessionTimeline } from '../timeline/session-timeline';
import { resolveTimelineConfig } from '../timeline/timeline-config';

/**
 * The studio's session timeline: sessions.db, the archive in `<dataDir>/timeline-archive`,
 * uploaded beside the database replicas when replication runs. Never throws: a timeline that
 * cannot start (sessions.db down, a bad STUDIO_TIMELINE_* value) is reported in health and the
 * studio runs without one.
 */
export function startSessionTimeline(config: WorkspaceConfig, databases: DatabaseCluster, replicate: boolean, laneName: (agentId: string) => string | undefined):
    { timeline?: SessionTimeline; failure?: string } {
    let timeline: SessionTimeline | undefined;
    try {
        const settings = resolveTimelineConfig(config.dataDir);
        const store = replicate ? openReplicaStore(resolveReplicationConfig(config.dataDir)) : undefined;
        timeline = new SessionTimeline({
            db: databases.get('sessions'), workspaceDir: config.workspaceDir,
            archive: { dir: settings.archiveDir, store, partBytes: settings.partBytes, uploadIntervalMs: settings.uploadIntervalMs },
            flushDelayMs: settings.flushDelayMs, laneName,
            runTitle: `Studio run · ${path.basename(config.workspaceDir)}`,
        });
        timeline.start();
        return { timeline };
    } catch (error) {
        void timeline?.stop().catch(() => undefined);
        return { failure: error instanceof Error ? error.message : String(error) };
    }
}

export function timelineHealth(timeline: SessionTimeline | undefined, failure: string | undefined): ComponentHealth[] {
    if (timeline) {
        return [timeline.health()];
    }
    return failure ? [{ id: 'timeline', label: 'Session timeline', status: 'down', detail: `The session timeline is not recording: ${failure}` }] : [];
}
