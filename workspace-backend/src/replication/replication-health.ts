import type { ComponentHealth } from '../health/workspace-health';
import { ReplicationStatus, worstLagMs } from './replication-manager';

/**
 * Replication as one health component: lag and last sync per database in the metrics.
 *
 * - Waiting for the lease another instance holds is `degraded`, not `down`: it ends by itself
 *   (the holder's lease expires, or it stops and releases it), and the detail says whom we wait
 *   for and for how long. The metric `waitingForLease` makes `/health` unready meanwhile
 *   (health/readiness.ts): nothing is replicated, so a lost disk would lose every commit.
 * - Copies of a database kept beside it (diverged, or replaced at start with an unknown place)
 *   make it `degraded` and are named, until the operator reconciles them; replication itself
 *   runs, so readiness is unaffected.
 */
export function replicationHealth(status: ReplicationStatus | undefined, failure?: string, now = Date.now()): ComponentHealth {
    const id = 'replication';
    const label = 'Replication';
    if (!status) {
        return { id, label, status: failure ? 'down' : 'starting', detail: failure ?? 'Starting.' };
    }
    if (status.fenced) {
        return { id, label, status: 'down', detail: status.fenced };
    }
    if (status.startFailure) {
        return { id, label, status: 'down', detail: status.startFailure };
    }
    const kept = status.keptCopies.map(k => k.reason);
    const wait = status.waitingForLease;
    if (wait) {
        const retry = Math.max(0, Math.ceil((Date.parse(wait.nextAttemptAt) - now) / 1000));
        const detail = wait.holder
            ? `Waiting for the replica lease held by ${wait.holder.owner} (host ${wait.holder.host}, pid ${wait.holder.pid}) to expire in ` +
              `${Math.max(0, Math.ceil((Date.parse(wait.holder.expiresAt) - now) / 1000))} s; replication starts by itself once the lease is ours. ` +
              'Local commits are kept meanwhile. If that instance is still running, stop it.'
            : `Cannot take the replica lease at ${status.store} (${wait.lastError}); retrying in ${retry} s.`;
        return { id, label, status: 'degraded', detail: [detail, ...kept].join(' '), metrics: { waitingForLease: true, leaseHolder: wait.holder?.owner ?? null, leaseExpiresAt: wait.holder?.expiresAt ?? null } };
    }
    const metrics: Record<string, number | string | null> = {};
    if (status.restoredAtStart) {
        metrics.restoredAtStart = status.restoredAtStart.to === 'restore point'
            ? `restore point ${status.restoredAtStart.at}`
            : `newest chains of ${status.restoredAtStart.databases.join(', ')}`;
    }
    const worst = worstLagMs(status) ?? 0;
    const failing: string[] = [];
    for (const db of status.databases) {
        metrics[`${db.db}.lagMs`] = db.lagMs ?? null;
        metrics[`${db.db}.lastSyncAt`] = db.lastSyncAt ?? null;
        if (db.lastError) {
            failing.push(`${db.db}: ${db.lastError}`);
        }
    }
    if (failing.length) {
        return { id, label, status: 'degraded', detail: [`Replica ${status.store} failing: ${failing.join('; ')}`, ...kept].join(' '), metrics };
    }
    if (kept.length) {
        return { id, label, status: 'degraded', detail: [`Replicating to ${status.store}; worst lag ${worst} ms.`, ...kept].join(' '), metrics };
    }
    return { id, label, status: 'ok', detail: `Replicating to ${status.store}; worst lag ${worst} ms.`, metrics };
}
