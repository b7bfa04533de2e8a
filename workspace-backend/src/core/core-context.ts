import type { ChangeSets } from '../changes/change-sets';
import type { Checkpoints } from '../changes/checkpoints';
import type { ChatConversations } from '../chat/chat-conversations';
import type { Disposable } from '../common/emitter';
import type { WorkspaceConfig } from '../config/workspace-config';
import type { WorkspaceCosts } from '../costs/workspace-costs';
import type { DatabaseCluster, DatabaseClusterOptions } from '../database/database-cluster';
import type { FileSync } from '../file-sync/file-sync';
import type { WorkspaceChangeWatcher } from '../file-changes/workspace-change-watcher';
import type { Orchestrator, OrchestratorOptions } from '../orchestrator/orchestrator';
import type { Policy } from '../policy';
import type { ProviderKeys } from '../providers/provider-keys';
import type { ReplicationManager } from '../replication/replication-manager';
import type { SqlConsole } from '../sql-console/sql-console';
import type { WorkspaceMetrics } from '../telemetry/workspace-metrics';
import type { CorePart, StartedParts } from './core-part';
import type { DurabilityGate, DurabilityReport, RecordingTimeline, RestoredReplica, StudioLocks, WriterClaims } from './part-instances';
import type { Replica } from './replica-resource';
import type { WorkspaceActivity } from './workspace-activity';

export interface WorkspaceCoreOptions {
    /** Tunes the database cluster (pool size, time limits); its data directory is always the workspace's. */
    readonly databases?: Omit<DatabaseClusterOptions, 'dataDir'>;
    /** Tunes the agents (restart backoff, a provider factory: by default the vendors' real models, ...); the workspace, locks and databases are always the core's. */
    readonly orchestrator?: Omit<OrchestratorOptions, 'workspaceDir' | 'locks' | 'databases'>;
    /** `processMetrics: true` adds the process's own metrics to the core's: for the process that hosts it (the studio's backend). */
    readonly metrics?: { readonly processMetrics?: boolean };
}

/** What the core hands every part: its settings and the resources made once per core. */
export interface CoreContext {
    readonly config: WorkspaceConfig;
    readonly options: WorkspaceCoreOptions;
    readonly policy: Policy;
    /** The provider keys set in the studio (the core's `providerKeys`), which the agents read and listen to. */
    readonly providerKeys: ProviderKeys;
    /** The workspace's metrics (the core's `metrics`), which the metrics part feeds from the others. */
    readonly metrics: WorkspaceMetrics;
    /** The replica, opened once (replica-resource.ts): undefined when off; throws what is wrong with its settings. */
    replica(): Replica | undefined;
    /** The replica's folder on this machine, if any; never throws. */
    replicaFolder(): string | undefined;
    /** When a committed write may be acknowledged (the core's `durability`). */
    durability(): DurabilityGate;
    /** Something a health component reports changed: the core reports health again, bursts coalesced. */
    healthChanged(): void;
}

/** What each part of the core is while it runs, by id (core-parts.ts declares them, in start order). */
export interface CorePartInstances {
    'writer-claims': WriterClaims;
    'replica-restore': RestoredReplica;
    'databases': DatabaseCluster;
    'replication': ReplicationManager;
    'durability': DurabilityReport;
    'file-sync': FileSync;
    'workspace-defaults': never;
    'timeline': RecordingTimeline;
    'locks': StudioLocks;
    'file-changes': WorkspaceChangeWatcher;
    'checkpoints': Checkpoints;
    'changes': ChangeSets;
    'outside-change-marks': Disposable;
    'orchestrator': Orchestrator;
    'outside-change-notices': Disposable;
    'chat': ChatConversations;
    'costs': WorkspaceCosts;
    'activity': WorkspaceActivity;
    'sql-console': SqlConsole;
    'metrics': Disposable;
}

export type CorePartOf<K extends keyof CorePartInstances> = CorePart<CorePartInstances, CoreContext, K>;
export type CoreParts = StartedParts<CorePartInstances>;
