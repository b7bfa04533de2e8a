import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openObjectStore } from '../object-store/object-store-url';
import type { ObjectStore } from '../object-store/object-store';

export interface ReplicationConfig {
    /** `file:///...` or `gs://bucket/prefix`; undefined when replication is off. */
    url: string | undefined;
    apiEndpoint?: string;
    syncIntervalMs: number;
    snapshotIntervalMs: number;
    retainGenerations: number;
    /** Restore points, and what they name, are kept this many days (retention.ts). */
    keepDays: number;
    /** A chain this long starts a new generation, bounding what a restore reads. */
    maxSegments: number;
    /** The lag past which the workspace is no longer ready (`/health` answers 503): see health/readiness.ts. */
    maxLagMs: number;
}

/**
 * Replication settings from the environment:
 * - STUDIO_REPLICA_URL: `file:///abs/dir` or `gs://bucket/prefix`; `off` disables replication.
 *   Default: the directory `<dataDir>/../replica` (beside the data directory, so wiping the
 *   data directory keeps the replica, and a GCS FUSE mount can be put there).
 * - STUDIO_GCS_API_ENDPOINT: a GCS emulator or test server (no credentials are sent to it).
 * - STUDIO_SYNC_INTERVAL_MS: how often WAL frames are shipped (default 1000).
 * - STUDIO_SNAPSHOT_INTERVAL_MS: how often every database starts a new generation with a snapshot,
 *   so a restore replays a bounded chain (default 24 h).
 * - STUDIO_REPLICA_KEEP_GENERATIONS: generations kept per database whatever the restore points say (default 3).
 * - STUDIO_REPLICA_KEEP_DAYS: restore points, and the generations and files manifests they name,
 *   are kept this many days (default 7; older points are thinned, see retention.ts).
 * - STUDIO_REPLICA_MAX_SEGMENTS: a database's chain this long starts a new generation with a
 *   snapshot, so a restore reads at most this many segments (default 1000).
 * - STUDIO_REPLICA_MAX_LAG_MS: how far behind replication may fall before the workspace reports
 *   itself unready (default 30 s, and never less than three sync intervals).
 */
export function resolveReplicationConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): ReplicationConfig {
    const raw = env.STUDIO_REPLICA_URL?.trim();
    const interval = env.STUDIO_SYNC_INTERVAL_MS ? Number(env.STUDIO_SYNC_INTERVAL_MS) : 1000;
    if (!Number.isFinite(interval) || interval < 10) {
        throw new Error(`STUDIO_SYNC_INTERVAL_MS="${env.STUDIO_SYNC_INTERVAL_MS}" is not a number of milliseconds >= 10.`);
    }
    const url = raw === 'off' ? undefined : raw || pathToFileURL(path.resolve(dataDir, '..', 'replica')).href;
    return {
        url, apiEndpoint: env.STUDIO_GCS_API_ENDPOINT?.trim() || undefined, syncIntervalMs: interval,
        snapshotIntervalMs: positiveNumber(env, 'STUDIO_SNAPSHOT_INTERVAL_MS', 24 * 60 * 60_000),
        retainGenerations: positiveNumber(env, 'STUDIO_REPLICA_KEEP_GENERATIONS', 3),
        keepDays: positiveNumber(env, 'STUDIO_REPLICA_KEEP_DAYS', 7),
        maxSegments: positiveNumber(env, 'STUDIO_REPLICA_MAX_SEGMENTS', 1000),
        maxLagMs: maxLag(env, interval),
    };
}

function maxLag(env: NodeJS.ProcessEnv, syncIntervalMs: number): number {
    const value = positiveNumber(env, 'STUDIO_REPLICA_MAX_LAG_MS', Math.max(30_000, 3 * syncIntervalMs));
    if (value < 2 * syncIntervalMs) {
        throw new Error(`STUDIO_REPLICA_MAX_LAG_MS=${value} is less than two sync intervals (STUDIO_SYNC_INTERVAL_MS=${syncIntervalMs}): ` +
            'every database would count as behind between two syncs. Raise it.');
    }
    return value;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
    const raw = env[name]?.trim();
    if (!raw) {
        return fallback;
    }
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 1) {
        throw new Error(`${name}="${raw}" must be a positive number.`);
    }
    return value;
}

export function openReplicaStore(config: ReplicationConfig): ObjectStore | undefined {
    return config.url ? openObjectStore(config.url, { apiEndpoint: config.apiEndpoint }) : undefined;
}
