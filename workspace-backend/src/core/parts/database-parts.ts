import * as path from 'node:path';
import { DatabaseCluster } from '../../database/database-cluster';
import { DatabaseNames, databaseFileName } from '../../database/database-names';
import { resolveFileSyncConfig } from '../../file-sync/file-sync-config';
import { ReplicationCheckpointOwner } from '../../replication/replication-checkpoint-owner';
import { replicationHealth } from '../../replication/replication-health';
import { ReplicationManager } from '../../replication/replication-manager';
import type { CorePartOf } from '../core-context';
import { logFor } from '../../telemetry/logger';

/**
 * The writer claims come first: restore replaces database files, which it must never do under
 * another process that writes them (a second studio on the same data directory). Closing the
 * cluster releases the claims when the databases never opened (a stop during start-up).
 */
export const WriterClaimsPart: CorePartOf<'writer-claims'> = {
    id: 'writer-claims', label: 'Writer claims', needs: [],
    start: ({ config, options }) => {
        const cluster = new DatabaseCluster({ writerRole: 'the studio', ...options.databases, dataDir: config.dataDir });
        return { cluster, refusal: cluster.claimWriters()[0]?.message };
    },
    stop: ({ cluster }) => cluster.close(),
};

/**
 * Replication (STUDIO_REPLICA_URL, default `<dataDir>/../replica`), first half: restores what is
 * missing or damaged before the databases open. Down when a writer claim was refused.
 */
export const ReplicaRestorePart: CorePartOf<'replica-restore'> = {
    id: 'replica-restore', label: 'Replica restore', needs: ['writer-claims'],
    async start({ config: { dataDir }, replica, healthChanged }, parts) {
        const { refusal } = parts.get('writer-claims');
        if (refusal) {
            throw new Error(refusal);
        }
        const shared = replica();
        if (!shared) {
            return undefined;
        }
        const settings = shared.config;
        const manager = new ReplicationManager({
            store: shared.store,
            syncIntervalMs: settings.syncIntervalMs,
            snapshotIntervalMs: settings.snapshotIntervalMs,
            retainGenerations: settings.retainGenerations,
            keepDays: settings.keepDays,
            replicator: { maxSegments: settings.maxSegments },
            // Restore points name the files too whenever file sync runs: none is written before it started.
            restorePointsAwaitFiles: resolveFileSyncConfig(true).enabled,
            databases: DatabaseNames.map(name => ({ name, path: path.join(dataDir, databaseFileName(name)) })),
            // Only what the operator must act on (a local file set aside, a divergence, a lease
            // taken over); the wait itself is in health. stderr: `status` prints JSON on stdout.
            warn: message => logFor('replication').error(`${message}`),
        });
        manager.onStateChanged(() => healthChanged());
        const restored = await manager.restoreIfNeeded();
        return { manager, locksRestoredAt: restored.some(r => r.db === 'locks') ? new Date() : undefined };
    },
    // Once every connection is closed the WAL is folded into the main file: record its hash, so the
    // next start can tell this file from an older copy (local-vs-replica.ts). Only after shipping ran.
    stop: ({ manager }, parts) => parts.find('replication') ? manager.sealLocalState() : undefined,
};

/**
 * The six SQLite databases (workspace, agents, tasks, locks, sessions, metrics). Declared after
 * the restore, which must finish before they open, but not needing it: they open without a
 * replica. Opening never throws: a database that cannot be opened is reported as down in health.
 */
export const DatabasesPart: CorePartOf<'databases'> = {
    id: 'databases', label: 'Databases', needs: ['writer-claims'],
    start: (_context, parts) => parts.get('writer-claims').cluster.open(),
    stop: cluster => cluster.close(),
    health: (cluster, _parts, options) => cluster.health(options),
};

/**
 * Replication, second half: takes the replica lease and ships WAL frames. A lease another
 * instance holds does not fail the start: the manager waits for it to expire and then starts by
 * itself (a restart after a crash must never stay unready), and health says whom it waits for
 * meanwhile. Checkpointing is handed over first either way: while nothing ships, nothing may
 * checkpoint, so the WAL keeps proving what was committed locally (local-vs-replica.ts). Its
 * stop is the final sync, before the databases close (the SIGTERM path).
 */
export const ReplicationPart: CorePartOf<'replication'> = {
    id: 'replication', label: 'Replication', needs: ['replica-restore', 'databases'], stopStep: 'final replication sync',
    async start(_context, parts) {
        const { manager } = parts.get('replica-restore');
        try {
            parts.get('databases').handOverCheckpointing(new ReplicationCheckpointOwner());
            await manager.start({ waitForLease: true });
            return manager;
        } catch (error) {
            await manager.stop().catch(() => undefined);
            throw error;
        }
    },
    stop: manager => manager.stop(),
    health: manager => [replicationHealth(manager.status())],
};
