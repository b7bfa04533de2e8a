import type { ObjectStore } from '../object-store/object-store';
import { SessionTimeline } from '../timeline/session-timeline';
import { resolveTimelineConfig } from '../timeline/timeline-config';
import { CliValues } from './cli-command';
import { dataDirectoryHelp, dataDirectoryOptions, withOneDatabase } from './one-database';

/** Options of the timeline commands. */
export const sessionsDatabaseOptions = dataDirectoryOptions;

export const sessionsDatabaseHelp = dataDirectoryHelp;

export interface TimelineAccess {
    readonly timeline: SessionTimeline;
    readonly dataDir: string;
    /** The replica store, when replication is on. */
    readonly store: ObjectStore | undefined;
}

/**
 * Runs `work` on the data directory's session timeline, the way the studio would open it
 * (`withOneDatabase` on sessions.db): with no studio running, sessions.db is restored first if
 * needed and its changes are shipped to the replica and recorded; beside a running studio `read`
 * works and `write` is refused (exit 3). Archive parts written by `write` are uploaded too.
 */
export async function withSessionTimeline<T>(values: CliValues, mode: 'read' | 'write', work: (access: TimelineAccess) => Promise<T>): Promise<T> {
    const refusal = (dataDir: string, why: string) => `Refusing to change the timeline in ${dataDir}: a studio is running on it; ${why}. `
        + 'Import in the IDE (CODITECT: Import Agent Transcript…), or stop the studio and run this again.';
    return withOneDatabase(values, 'sessions', mode, refusal, async ({ db, dataDir, store, studioRunning }) => {
        const settings = resolveTimelineConfig(dataDir);
        const timeline = new SessionTimeline({
            db, recordRun: false,
            archive: mode === 'write' ? { dir: settings.archiveDir, store: studioRunning ? undefined : store, partBytes: settings.partBytes, uploadIntervalMs: 3_600_000 } : undefined,
        });
        timeline.start();
        try {
            return await work({ timeline, dataDir, store });
        } finally {
            await timeline.stop();
        }
    });
}
