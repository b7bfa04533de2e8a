import type { Disposable } from '../common/emitter';
import type { DatabaseCluster } from '../database/database-cluster';
import type { LockManager } from '../locks/lock-manager';
import type { Durability } from '../replication/durability';
import type { ReplicationManager } from '../replication/replication-manager';
import type { SessionTimeline } from '../timeline/session-timeline';

/*
 * What the core's foundational parts hand the others once started (core/parts/): plain types,
 * apart from the parts themselves, so the context that names them and the parts that make them
 * do not import each other.
 */

/** The core's durability gate, and why its setting could not be read if it could not. */
export interface DurabilityGate {
    readonly durability: Durability;
    readonly failure?: string;
}

/** The gate as health reports it: with whether this start meant to replicate (a store configured, every writer claim ours). */
export interface DurabilityReport extends DurabilityGate {
    readonly replicationConfigured: boolean;
}

/** The cluster, not open yet, holding every database's writer claim it could take. */
export interface WriterClaims {
    readonly cluster: DatabaseCluster;
    /** Why a claim was refused (another process writes that database), if one was. */
    readonly refusal?: string;
}

/** The replication manager once it has restored what was missing or damaged; it ships nothing yet. */
export interface RestoredReplica {
    readonly manager: ReplicationManager;
    /** When locks.db was restored from the replica at this start (lock-manager.ts: lost leases answer 410). */
    readonly locksRestoredAt?: Date;
}

/** The workspace's file locks, and whether they live only in memory (locks.db down). */
export interface StudioLocks {
    readonly manager: LockManager;
    readonly volatile: boolean;
}

/** The recording timeline and the parts' events it is fed, which end when it stops. */
export interface RecordingTimeline {
    readonly timeline: SessionTimeline;
    readonly feeds: Disposable[];
}
