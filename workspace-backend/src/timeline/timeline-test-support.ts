import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from '../database/database-cluster';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { SessionTimeline, SessionTimelineOptions } from './session-timeline';

/** A real sessions.db (and archive folder, and directory store) in a temporary folder, for specs and benchmarks. */
export class TimelineFixture {
    readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'timeline-'));
    readonly dataDir = path.join(this.root, 'data');
    readonly workspaceDir = path.join(this.root, 'ws');
    readonly archiveDir = path.join(this.dataDir, 'timeline-archive');
    readonly store = new DirectoryObjectStore(path.join(this.root, 'replica'));
    readonly clusters: DatabaseCluster[] = [];
    readonly timelines: SessionTimeline[] = [];

    constructor() {
        fs.mkdirSync(this.workspaceDir, { recursive: true });
    }

    /** A database cluster on `dataDir` (or another folder), closed by `dispose`. */
    cluster(dataDir = this.dataDir): DatabaseCluster {
        const cluster = new DatabaseCluster({ dataDir, poolSize: 3 }).open();
        this.clusters.push(cluster);
        return cluster;
    }

    /** A started timeline over a fresh (or the given) cluster, archiving into `archiveDir` and `store`. */
    timeline(options: Partial<SessionTimelineOptions> & { cluster?: DatabaseCluster } = {}): SessionTimeline {
        const cluster = options.cluster ?? this.cluster();
        const timeline = new SessionTimeline({
            db: cluster.get('sessions'), workspaceDir: this.workspaceDir, secrets: () => [], flushDelayMs: 1,
            archive: { dir: this.archiveDir, store: this.store, partBytes: 64 * 1024, uploadIntervalMs: 60_000 },
            ...options,
        });
        timeline.start();
        this.timelines.push(timeline);
        return timeline;
    }

    async dispose(): Promise<void> {
        for (const timeline of this.timelines) {
            await timeline.stop().catch(() => undefined);
        }
        for (const cluster of this.clusters) {
            await cluster.close();
        }
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}
