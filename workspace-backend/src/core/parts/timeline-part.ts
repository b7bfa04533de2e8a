import * as path from 'node:path';
import { SessionTimeline } from '../../timeline/session-timeline';
import { resolveTimelineConfig } from '../../timeline/timeline-config';
import { timelineDigest, TimelineDigestRequest } from '../../timeline/timeline-digest';
import type { CoreParts, CorePartOf } from '../core-context';
import { feedTimeline, TimelineFeedSources } from '../timeline-feed';

/**
 * The studio's session timeline: sessions.db, the archive in `<dataDir>/timeline-archive`,
 * uploaded beside the database replicas when replication runs. Declared after replication and
 * before the locks and agents, so a run's first events are recorded; stopped after them (their
 * last events), before the databases close and the last replication sync.
 */
export const TimelinePart: CorePartOf<'timeline'> = {
    id: 'timeline', label: 'Session timeline', needs: ['databases'], stopStep: 'closing the session timeline',
    start({ config, replica }, parts) {
        const settings = resolveTimelineConfig(config.dataDir);
        const store = parts.find('replication') ? replica()?.store : undefined;
        const timeline = new SessionTimeline({
            db: parts.get('databases').get('sessions'), workspaceDir: config.workspaceDir,
            archive: { dir: settings.archiveDir, store, partBytes: settings.partBytes, uploadIntervalMs: settings.uploadIntervalMs },
            flushDelayMs: settings.flushDelayMs, laneName: agentId => parts.find('orchestrator')?.getAgent(agentId)?.name,
            runTitle: `Studio run · ${path.basename(config.workspaceDir)}`,
        });
        try {
            timeline.start();
        } catch (error) {
            void timeline.stop().catch(() => undefined);
            throw error;
        }
        return { timeline, feeds: [] };
    },
    async stop({ timeline, feeds }) {
        feeds.splice(0).forEach(feed => feed.dispose());
        await timeline.stop();
    },
    health: ({ timeline }) => [timeline.health()],
};

/** Feeds the timeline, when it records, a part's events (timeline-feed.ts). */
export function feedTimelineFrom(parts: CoreParts, sources: TimelineFeedSources): void {
    const recording = parts.find('timeline');
    recording?.feeds.push(feedTimeline(recording.timeline, sources));
}

/** The timeline as agents read it (their read_timeline tool), when the timeline records. */
export function timelineReaderOf(parts: CoreParts): ((request: TimelineDigestRequest) => string) | undefined {
    const timeline = parts.find('timeline')?.timeline;
    return timeline && (request => timelineDigest(timeline, request));
}
