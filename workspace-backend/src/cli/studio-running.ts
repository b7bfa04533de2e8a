import * as os from 'node:os';
import type { ObjectStore } from '../object-store/object-store';
import { LeaseRecord, processIsAlive, ReplicaLease } from '../replication/lease';

/**
 * Is a studio replicating to this store right now? It holds the replica lease and renews it
 * every third of its TTL, releasing it on a clean stop. A lease renewed within two TTLs counts
 * as live: a studio whose store is briefly unreachable lets its lease lapse but keeps running.
 * A holder on this host whose process is gone is not live, whatever its times say (a studio or
 * command that was killed): the next one to replicate takes its lease over (lease.ts).
 * Returns the holder and a sentence for the operator, or undefined when nobody is recent.
 */
export async function liveLeaseHolder(store: ObjectStore, now = Date.now()): Promise<{ record: LeaseRecord; description: string } | undefined> {
    const lease = await new ReplicaLease(store).read();
    if (!lease) {
        return undefined;
    }
    const { record } = lease;
    const renewed = Date.parse(record.renewedAt);
    const ttl = Math.max(0, Date.parse(record.expiresAt) - renewed);
    if (!(now < renewed + 2 * ttl) || (record.host === os.hostname() && record.pid !== process.pid && !processIsAlive(record.pid))) {
        return undefined;
    }
    const ago = Math.max(0, Math.round((now - renewed) / 1000));
    return {
        record,
        description: `its replication lease is held by ${record.owner} (host ${record.host}, pid ${record.pid}), renewed ${ago} s ago, expiring at ${record.expiresAt}`,
    };
}
