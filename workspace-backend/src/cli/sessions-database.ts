import * as path from 'node:path';
import { resolveDataDir } from '../config/workspace-config';
import { DatabaseCluster } from '../database/database-cluster';
import { WriterClaimedError } from '../database/database-errors';
import { databaseFileName } from '../database/database-names';
import type { ObjectStore } from '../object-store/object-store';
import { FencedError } from '../replication/lease';
import { ReplicationCheckpointOwner } from '../replication/replication-checkpoint-owner';
import { openReplicaStore, resolveReplicationConfig } from '../replication/replication-config';
import { ReplicationManager } from '../replication/replication-manager';
import { SessionTimeline } from '../timeline/session-timeline';
import { resolveTimelineConfig } from '../timeline/timeline-config';
import { CliError, CliValues, ExitCode } from './cli-command';
import { liveLeaseHolder } from './studio-running';

/** Options of the timeline commands. */
export const sessionsDatabaseOptions = {
    'data-dir': { type: 'string' },
    'replica': { type: 'string' },
    'help': { type: 'boolean', short: 'h', default: false },
} as const;

export const sessionsDatabaseHelp = `  --data-dir <dir>    The data directory (default: $STUDIO_DATA_DIR, else ~/.coditect-studio/data)
  --replica <url>     The replica: file:///abs/dir, gs://bucket/prefix or off
                      (default: $STUDIO_REPLICA_URL, else the directory <data-dir>/../replica)
  -h, --help          Show this help`;

/** Only sessions.db: the command touches no other database (their files, and their replica state, stay as they are). */
class SessionsOnlyCluster extends DatabaseCluster {
    override open(): this {
        this.openOne('sessions');
        return this;
    }
}

export interface TimelineAccess {
    readonly timeline: SessionTimeline;
    readonly dataDir: string;
    /** The replica store, when replication is on. */
    readonly store: ObjectStore | undefined;
}

/**
 * Runs `work` on the data directory's session timeline, the way the studio would open it:
 *
 * - With replication on and no studio running: sessions.db is restored first if missing or
 *   damaged, its changes are shipped to the replica, and its place in the replica is recorded at
 *   the end, so the next studio start keeps it (local-vs-replica.ts). Archive parts are uploaded.
 * - With a studio running (its replica lease is live): `read` works beside it; `write` is
 *   refused (exit 3), because the studio's replication owns the file.
 * - With replication off: the file is opened directly (SQLite serialises writers).
 */
export async function withSessionTimeline<T>(values: CliValues, mode: 'read' | 'write', work: (access: TimelineAccess) => Promise<T>): Promise<T> {
    const dataDir = resolveDataDir(values['data-dir'] as string | undefined);
    let store: ObjectStore | undefined;
    try {
        const config = resolveReplicationConfig(dataDir, { ...process.env, ...(values.replica !== undefined ? { STUDIO_REPLICA_URL: values.replica as string } : {}) });
        store = openReplicaStore(config);
    } catch (error) {
        throw new CliError((error as Error).message);
    }
    const live = store ? await liveLeaseHolder(store) : undefined;
    if (live && mode === 'write') {
        throw new CliError(`Refusing to change the timeline in ${dataDir}: a studio is running on it; ${live.description}. `
            + 'Import in the IDE (CODITECT: Import Agent Transcript…), or stop the studio and run this again.', ExitCode.refused);
    }
    const manager = store && !live
        ? new ReplicationManager({ store, syncIntervalMs: 60_000, databases: [{ name: 'sessions', path: path.join(dataDir, databaseFileName('sessions')) }] })
        : undefined;
    await manager?.restoreIfNeeded();
    // Reading beside a running studio falls back to a read-only open: the studio holds the writer claim.
    const open = (access: 'read' | 'write') => new SessionsOnlyCluster({ dataDir, poolSize: 3, access, writerRole: 'the operator CLI' }).open();
    let cluster = open('write');
    let db;
    try {
        try {
            db = cluster.get('sessions');
        } catch (error) {
            if (!(error instanceof WriterClaimedError) || mode === 'write' || manager) {
                throw error;
            }
            await cluster.close();
            cluster = open('read');
            db = cluster.get('sessions');
        }
    } catch (error) {
        await cluster.close();
        throw new CliError(`The sessions database in ${dataDir} cannot be opened: ${(error as Error).message}`, error instanceof WriterClaimedError ? ExitCode.refused : ExitCode.failed);
    }
    if (manager) {
        cluster.handOverCheckpointing(new ReplicationCheckpointOwner());
        try {
            await manager.start();
        } catch (error) {
            await manager.stop().catch(() => undefined);
            await cluster.close();
            throw error instanceof FencedError
                ? new CliError(`Refusing to open the timeline: ${error.message} Stop the studio, or import in the IDE.`, ExitCode.refused)
                : error;
        }
    }
    const settings = resolveTimelineConfig(dataDir);
    const timeline = new SessionTimeline({
        db, recordRun: false,
        archive: mode === 'write' ? { dir: settings.archiveDir, store: live ? undefined : store, partBytes: settings.partBytes, uploadIntervalMs: 3_600_000 } : undefined,
    });
    timeline.start();
    try {
        return await work({ timeline, dataDir, store });
    } finally {
        await timeline.stop();
        await manager?.stop().catch(() => undefined);
        await cluster.close();
        await manager?.sealLocalState();
    }
}
