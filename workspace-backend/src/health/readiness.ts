import type { ComponentHealth, WorkspaceHealth } from './workspace-health';

/**
 * Whether the workspace may take work: what the container's `/health` answers (200 or 503) and
 * what Kubernetes' readiness probe acts on. Stricter than "not down" on purpose, and narrower than
 * "everything ok": a missing API key or a lock held too long must not take the workspace offline.
 *
 * Ready when, and only when:
 * - the core has started (restore of the databases and of the workspace files is over);
 * - every database is open (`db:*` is ok or degraded; degraded means open but, say, replaced after damage);
 * - replication, when configured, is running, and every database's last successful sync started at
 *   most `maxReplicationLagMs` ago (so a store that keeps failing makes the workspace unready, since
 *   a lost disk would lose more than the configured window). A database with no sync on record (none
 *   yet, or its replicator started over after a failure) counts as behind since the core started: a
 *   first sync is due within one interval, well inside the lag. While replication waits for the replica
 *   lease another instance holds (metric `waitingForLease`), it is not running: unready, with the wait
 *   as the reason (it ends by itself when that lease expires).
 */
export interface Readiness {
    readonly ready: boolean;
    /** One line per reason it is not ready, each naming the part and what to do. */
    readonly problems: readonly string[];
}

export interface ReadinessOptions {
    readonly maxReplicationLagMs: number;
    /** For tests. */
    readonly now?: number;
}

export function assessReadiness(health: WorkspaceHealth, options: ReadinessOptions): Readiness {
    const now = options.now ?? Date.now();
    const problems: string[] = [];
    if (health.status === 'starting') {
        problems.push('The workspace core is starting (restoring the databases and workspace files, then opening them).');
    }
    const databases = health.components.filter(c => c.id.startsWith('db:'));
    if (databases.length === 0 && health.status !== 'starting') {
        problems.push('No database is reported: the database cluster did not start.');
    }
    for (const db of databases) {
        if (db.status !== 'ok' && db.status !== 'degraded') {
            problems.push(`${db.label} is not open (${db.status}): ${db.detail}`);
        }
    }
    const replication = health.components.find(c => c.id === 'replication');
    if (replication) {
        problems.push(...replicationProblems(replication, databases, options.maxReplicationLagMs, now, Date.parse(health.startedAt)));
    }
    return { ready: problems.length === 0, problems };
}

function replicationProblems(replication: ComponentHealth, databases: readonly ComponentHealth[], maxLagMs: number, now: number, coreStartedAt: number): string[] {
    if (replication.status === 'down' || replication.status === 'starting') {
        return [`Replication is ${replication.status}: ${replication.detail}`];
    }
    if (replication.metrics?.waitingForLease === true) {
        return [`Replication is not running yet: ${replication.detail}`];
    }
    const problems: string[] = [];
    // A database that is not open is reported above; its replication has nothing to ship.
    for (const db of databases.filter(d => d.status === 'ok' || d.status === 'degraded')) {
        const name = db.id.slice('db:'.length);
        const lastSyncAt = replication.metrics?.[`${name}.lastSyncAt`];
        // The lag as of now, not as of the report: a cached report must not hide a store that stopped.
        const lagMs = now - (typeof lastSyncAt === 'string' ? Date.parse(lastSyncAt) : coreStartedAt);
        if (lagMs > maxLagMs) {
            problems.push(typeof lastSyncAt === 'string'
                ? `Replication of ${name} is ${Math.round(lagMs / 1000)} s behind (allowed: ${Math.round(maxLagMs / 1000)} s, STUDIO_REPLICA_MAX_LAG_MS). ${replication.detail}`
                : `Replication of ${name} has no successful sync on record, ${Math.round(lagMs / 1000)} s after the start (allowed: ${Math.round(maxLagMs / 1000)} s, ` +
                  `STUDIO_REPLICA_MAX_LAG_MS). ${replication.detail}`);
        }
    }
    return problems;
}
