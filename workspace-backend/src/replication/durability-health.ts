import type { ComponentHealth } from '../health/workspace-health';
import type { DurabilityStatus } from './durability';
import { ReplicationStatus, worstLagMs } from './replication-manager';

/**
 * Durability as one health component, so the status bar and `/health` say when a write is
 * acknowledged and how far the replica trails right now. Never `down`: acknowledgements that
 * cannot be given fail one by one with a `NotDurableError`; health says why ahead of time.
 */
export function durabilityHealth(status: DurabilityStatus, replicationConfigured: boolean, replication: ReplicationStatus | undefined, failure?: string): ComponentHealth {
    const id = 'durability';
    const label = 'Durability';
    const lagMs = worstLagMs(replication);
    const metrics = {
        mode: status.mode, asyncMaxLagMs: status.asyncMaxLagMs, lagMs, replicating: status.replicating,
        acknowledged: status.acknowledged, failed: status.failed, lastAckMs: status.lastAckMs ?? null,
    };
    const lag = lagMs === null ? '' : `; the replica trails by ${(lagMs / 1000).toFixed(1)} s`;
    if (failure) {
        return { id, label, status: 'degraded', detail: failure, metrics };
    }
    if (status.mode === 'ack') {
        if (!replicationConfigured) {
            return { id, label, status: 'degraded', metrics, detail: 'STUDIO_DURABILITY=ack, but replication is off: nothing can be acknowledged as durable, so submissions, budget changes and chat messages are refused. Set STUDIO_REPLICA_URL, or STUDIO_DURABILITY=async.' };
        }
        if (!status.replicating) {
            return { id, label, status: 'degraded', metrics, detail: 'Writes are acknowledged once they are in the replica (ack), and replication is not running now: they are committed locally and refused as not yet durable until it runs (see Replication).' };
        }
        return { id, label, status: 'ok', metrics, detail: `Writes that matter are acknowledged once they are in the replica (ack)${status.lastAckMs !== undefined ? `; the last took ${status.lastAckMs} ms` : ''}${lag}.` };
    }
    if (!replicationConfigured) {
        return { id, label, status: 'ok', metrics, detail: 'Writes are acknowledged once committed on this disk (async); replication is off, so a lost disk loses them.' };
    }
    return { id, label, status: 'ok', metrics, detail: `Writes are acknowledged once committed on this disk (async), never while the replica trails by more than ${(status.asyncMaxLagMs / 1000).toFixed(1)} s${lag}.` };
}
