import type { CheckpointOwner } from '../database/checkpointer';
import type { SqliteDatabase } from '../database/sqlite-database';

/**
 * Replication as the cluster's checkpoint owner. Each DatabaseReplicator checkpoints its own
 * database, and only after its frames are in the store; this owner merely takes the role so
 * the cluster's timer-driven Checkpointer stops (a checkpoint it ran could reuse WAL frames
 * that were not shipped yet).
 */
export class ReplicationCheckpointOwner implements CheckpointOwner {
    readonly id = 'replication';
    protected readonly managed = new Set<SqliteDatabase>();

    manage(database: SqliteDatabase): void {
        this.managed.add(database);
    }

    release(database: SqliteDatabase): void {
        this.managed.delete(database);
    }

    dispose(): void {
        this.managed.clear();
    }
}
