import { asyncMaxLagFromEnv, Durability, durabilityModeFromEnv, DurableReplica } from '../../replication/durability';
import { durabilityHealth } from '../../replication/durability-health';
import type { ReplicationManager } from '../../replication/replication-manager';
import type { CorePartOf } from '../core-context';
import type { DurabilityGate } from '../part-instances';

/**
 * When a committed write may be acknowledged (replication/durability.ts): `STUDIO_DURABILITY`
 * = `async` (on the local commit, within the async lag bound) or `ack` (once in the replica).
 * An unreadable setting falls back to `ack`, the safe side, and health says why.
 */
export function durabilityGateFromEnv(replica: () => DurableReplica | undefined, env: NodeJS.ProcessEnv = process.env): DurabilityGate {
    try {
        return { durability: new Durability(durabilityModeFromEnv(env), replica, asyncMaxLagFromEnv(env)) };
    } catch (error) {
        return { durability: new Durability('ack', replica, 3000), failure: `${(error as Error).message} Using "ack" until it is fixed.` };
    }
}

/** Replication as durability sees it: only while it ships (not waiting for the lease, not fenced, not failed). */
export function durableReplicaOf(replication: ReplicationManager | undefined): DurableReplica | undefined {
    const status = replication?.status();
    if (!replication || !status || status.fenced || status.startFailure || status.waitingForLease || status.databases.length === 0) {
        return undefined;
    }
    return {
        lagMs: database => replication.lagMs(database),
        waitForDurable: database => replication.waitForDurable(database),
    };
}

/**
 * Durability in health. The gate itself is the core's from its first use (agents acknowledge
 * through it), started or not; as a part it only reports. Declared after replication.
 */
export const DurabilityPart: CorePartOf<'durability'> = {
    id: 'durability', label: 'Durability', needs: [],
    start: ({ durability, replica }, parts) => ({
        ...durability(),
        replicationConfigured: parts.find('writer-claims')?.refusal === undefined && isConfigured(replica),
    }),
    health: (report, parts) => [durabilityHealth(report.durability.status(), report.replicationConfigured, parts.find('replication')?.status(), report.failure)],
};

function isConfigured(replica: () => unknown): boolean {
    try {
        return replica() !== undefined;
    } catch {
        return false;
    }
}
