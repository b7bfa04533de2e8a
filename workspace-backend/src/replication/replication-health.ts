import type { ComponentHealth } from '../health/workspace-health';
import type { ReplicationStatus } from './replication-manager';

/** Replication as one health component: lag and last sync per database in the metrics. */
export function replicationHealth(status: ReplicationStatus | undefined, failure?: string): ComponentHealth {
    const id = 'replication';
    const label = 'Replication';
    if (!status) {
        return { id, label, status: failure ? 'down' : 'starting', detail: failure ?? 'Starting.' };
    }
    if (status.fenced) {
        return { id, label, status: 'down', detail: status.fenced };
    }
    const metrics: Record<string, number | string | null> = {};
    let worst = 0;
    const failing: string[] = [];
    for (const db of status.databases) {
        metrics[`${db.db}.lagMs`] = db.lagMs ?? null;
        metrics[`${db.db}.lastSyncAt`] = db.lastSyncAt ?? null;
        worst = Math.max(worst, db.lagMs ?? 0);
        if (db.lastError) {
            failing.push(`${db.db}: ${db.lastError}`);
        }
    }
    if (failing.length) {
        return { id, label, status: 'degraded', detail: `Replica ${status.store} failing: ${failing.join('; ')}`, metrics };
    }
    return { id, label, status: 'ok', detail: `Replicating to ${status.store}; worst lag ${worst} ms.`, metrics };
}
