import type { DatabaseCluster } from '../../database/database-cluster';
import type { ComponentHealth } from '../../health/workspace-health';
import { LockManager, lockManagerOptionsFromEnv } from '../../locks/lock-manager';
import { LockRepository } from '../../locks/lock-repository';
import { LockStore, MemoryLockStore } from '../../locks/lock-store';
import { WorkspacePaths } from '../../policy/workspace-paths';
import type { CorePartOf } from '../core-context';
import { feedTimelineFrom } from './timeline-part';
import type { StudioLocks } from '../part-instances';

/**
 * The workspace's file locks, in `locks.db`. When that database is down the studio still
 * coordinates its agents, in memory, and health says that locks will not survive a restart: so
 * the databases are used, not needed.
 */
export const LocksPart: CorePartOf<'locks'> = {
    id: 'locks', label: 'File locks', needs: [], startingDetail: 'Starting.',
    start({ config, policy, healthChanged }, parts) {
        const { store, volatile } = lockStoreOf(parts.find('databases'));
        const manager = new LockManager(new WorkspacePaths(config.workspaceDir), store, {
            ...lockManagerOptionsFromEnv(), restoredAt: parts.find('replica-restore')?.locksRestoredAt, policy,
        });
        manager.onLockEvent(() => healthChanged());
        feedTimelineFrom(parts, { locks: manager });
        return { manager, volatile };
    },
    stop: ({ manager }) => manager.dispose(),
    health: locks => [locksHealth(locks)],
};

function lockStoreOf(databases: DatabaseCluster | undefined): { store: LockStore; volatile: boolean } {
    try {
        if (databases) {
            return { store: new LockRepository(databases.get('locks')), volatile: false };
        }
    } catch {
        // locks.db is down: in memory, below.
    }
    return { store: new MemoryLockStore(), volatile: true };
}

function locksHealth({ manager, volatile }: StudioLocks): ComponentHealth {
    const id = 'locks';
    const label = 'File locks';
    const held = manager.list().length;
    const waiting = manager.waiters().length;
    return volatile
        ? { id, label, status: 'degraded', detail: `${held} held, ${waiting} waiting, in memory only: the locks database is down, so locks will not survive a restart.`, metrics: { held, waiting } }
        : { id, label, status: 'ok', detail: `${held} held, ${waiting} waiting.`, metrics: { held, waiting } };
}
