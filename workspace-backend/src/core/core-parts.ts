import type { AnyCorePart, PartId } from './core-part';
import type { CoreContext, CorePartInstances } from './core-context';
import { ActivityPart } from './parts/activity-part';
import { ChatPart, CostsPart, OrchestratorPart } from './parts/agent-parts';
import { ChangesPart } from './parts/changes-part';
import { CheckpointsPart } from './parts/checkpoints-part';
import { DatabasesPart, ReplicaRestorePart, ReplicationPart, WriterClaimsPart } from './parts/database-parts';
import { DurabilityPart } from './parts/durability-part';
import { FileChangesPart, OutsideChangeMarksPart, OutsideChangeNoticesPart } from './parts/file-changes-parts';
import { FileSyncPart, WorkspaceDefaultsPart } from './parts/file-sync-parts';
import { LocksPart } from './parts/locks-part';
import { MetricsPart } from './parts/metrics-part';
import { SqlConsolePart } from './parts/sql-console-part';
import { TimelinePart } from './parts/timeline-part';

/**
 * Every part of the workspace core, in start order; they stop in reverse (but for `stopsAfter`).
 * Besides each part's needs, the order keeps these:
 * - writer claims, then the replica restore, then the databases open: restore replaces files,
 *   never under another writer nor under our own open connections;
 * - file sync, then the workspace defaults, before anything uses the workspace files;
 * - the timeline before the locks and agents, so a run's first events are recorded;
 * - the workspace watcher after the locks and before the agents, which it attributes changes to;
 * - the change sets before the agents, so their first write is recorded;
 * - costs after the agents, so they stop first; the SQL console late, so its workers stop first;
 * - the metrics last: it listens to every part before it, and stops listening before they stop.
 */
export const CoreParts: readonly AnyCorePart<CorePartInstances, CoreContext>[] = [
    WriterClaimsPart,
    ReplicaRestorePart,
    DatabasesPart,
    ReplicationPart,
    DurabilityPart,
    FileSyncPart,
    WorkspaceDefaultsPart,
    TimelinePart,
    LocksPart,
    FileChangesPart,
    OutsideChangeMarksPart,
    CheckpointsPart,
    ChangesPart,
    OrchestratorPart,
    OutsideChangeNoticesPart,
    ChatPart,
    CostsPart,
    ActivityPart,
    SqlConsolePart,
    MetricsPart,
];

/** The parts whose health the core reports, in the order of its components (after the demo and the folders). */
export const CoreHealthLayout: readonly PartId<CorePartInstances>[] = [
    'locks', 'orchestrator', 'costs', 'timeline', 'file-changes', 'databases', 'replication', 'durability', 'file-sync',
];
