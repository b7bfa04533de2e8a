import * as fs from 'node:fs';
import { Emitter, Event } from '../common/emitter';
import { WorkspaceConfig } from '../config/workspace-config';
import { DatabaseCluster, DatabaseClusterOptions } from '../database/database-cluster';
import { probeDirectory } from '../health/directory-probe';
import { ComponentHealth, overallStatus, WorkspaceHealth } from '../health/workspace-health';
import { LockManager, lockManagerOptionsFromEnv } from '../locks/lock-manager';
import { Orchestrator, OrchestratorOptions } from '../orchestrator/orchestrator';
import { LockRepository } from '../locks/lock-repository';
import { LockStore, MemoryLockStore } from '../locks/lock-store';
import { WorkspacePaths } from '../policy/workspace-paths';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseNames, databaseFileName } from '../database/database-names';
import { openReplicaStore, resolveReplicationConfig } from '../replication/replication-config';
import { ReplicationCheckpointOwner } from '../replication/replication-checkpoint-owner';
import { asyncMaxLagFromEnv, Durability, DurabilityMode, durabilityModeFromEnv, DurableReplica } from '../replication/durability';
import { durabilityHealth } from '../replication/durability-health';
import { replicationHealth } from '../replication/replication-health';
import { ReplicationManager } from '../replication/replication-manager';
import { FileSync } from '../file-sync/file-sync';
import { resolveFileSyncConfig } from '../file-sync/file-sync-config';
import { fileSyncHealth } from '../file-sync/file-sync-health';
import { ChatConversations } from '../chat/chat-conversations';
import { AuditLog } from '../audit/audit-log';
import { WebSessionRepository } from '../web-sessions/web-session-repository';
import { Policy, PolicyImpl } from '../policy';
import { AgentTokenRepository, AgentTokens } from '../tokens';
import { demoHealth, submitDemoTasks } from './demo-mode';
import { budgetPausesAtStart } from '../costs/budget-repository';
import { WorkspaceCosts } from '../costs/workspace-costs';
import { costAgentsOf } from './cost-agents-adapter';
import { seedWorkspaceDefaults, WorkspaceDefaultsEnv } from './workspace-defaults';
import { SessionTimeline } from '../timeline/session-timeline';
import { startSessionTimeline, timelineHealth } from './timeline-wiring';
import { feedTimeline, TimelineFeedSources } from './timeline-feed';
import type { WorkspaceChangeWatcher } from '../file-changes/workspace-change-watcher';
import { changeWatcherHealth, markLocksOnOutsideChanges, startChangeWatcher, tellAgentsOfOutsideChanges } from './file-change-wiring';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

/**
 * The composition root of the workspace core: the one place that wires the parts together,
 * starts them in order, stops them in reverse order, and reports their health.
 *
 * Invariants:
 * - `start()` and `stop()` are idempotent; `stop()` waits for a `start()` still under way.
 * - A part that fails to start is reported as `down` in `health()`; the core keeps serving the
 *   others, because a workspace with one broken part is still worth opening.
 */
export class WorkspaceCore {
    protected readonly healthChanged = new Emitter<WorkspaceHealth>();
    readonly onHealthChanged: Event<WorkspaceHealth> = this.healthChanged.event;

    protected readonly startedAt = new Date();
    protected starting: Promise<void> | undefined;
    protected stopped = false;
    protected lastHealth: WorkspaceHealth | undefined;

    protected cluster: DatabaseCluster | undefined;

    /**
     * `databases` tunes the database cluster (pool size, time limits); its data directory is
     * always the workspace's.
     */
    constructor(readonly config: WorkspaceConfig, protected readonly options: {
        readonly databases?: Omit<DatabaseClusterOptions, 'dataDir'>;
        /** Tunes the agents (restart backoff, a provider factory: by default the vendors' real models, ...); the workspace, locks and databases are always the core's. */
        readonly orchestrator?: Omit<OrchestratorOptions, 'workspaceDir' | 'locks' | 'databases'>;
    } = {}) { }

    /**
     * The six SQLite databases (workspace, agents, tasks, locks, sessions, metrics), open once
     * `start()` has resolved. Later layers (locks, orchestrator, ledgers) take theirs with
     * `core.databases.get('locks')`; one that is down throws a `DatabaseUnavailableError`.
     */
    get databases(): DatabaseCluster {
        if (!this.cluster) {
            throw new Error('the workspace core has not been started; await core.start() before using its databases.');
        }
        return this.cluster;
    }

    protected durabilityGate: Durability | undefined;
    protected durabilityFailure: string | undefined;

    /**
     * When a committed write may be acknowledged (replication/durability.ts): `STUDIO_DURABILITY`
     * = `async` (on the local commit, within the async lag bound) or `ack` (once in the replica).
     * An unreadable setting falls back to `ack`, the safe side, and health says why.
     */
    get durability(): Durability {
        if (!this.durabilityGate) {
            let mode: DurabilityMode;
            let asyncMaxLagMs: number;
            try {
                mode = durabilityModeFromEnv();
                asyncMaxLagMs = asyncMaxLagFromEnv();
            } catch (error) {
                this.durabilityFailure = `${(error as Error).message} Using "ack" until it is fixed.`;
                mode = 'ack';
                asyncMaxLagMs = 3000;
            }
            this.durabilityGate = new Durability(mode, () => this.runningReplica(), asyncMaxLagMs);
        }
        return this.durabilityGate;
    }

    /** Replication as durability sees it: only while it ships (not waiting for the lease, not fenced, not failed). */
    protected runningReplica(): DurableReplica | undefined {
        const replication = this.replication;
        const status = replication?.status();
        if (!replication || !status || status.fenced || status.startFailure || status.waitingForLease || status.databases.length === 0) {
            return undefined;
        }
        return {
            lagMs: database => replication.lagMs(database),
            waitForDurable: database => replication.waitForDurable(database),
        };
    }

    protected auditLog: AuditLog | undefined;

    /** Admin actions and failed logins (`workspace.db`, table `audit_log`); available once `start()` has resolved. */
    get audit(): AuditLog {
        this.auditLog ??= new AuditLog(this.databases.get('workspace'));
        return this.auditLog;
    }

    protected webSessionRepository: WebSessionRepository | undefined;

    /**
     * Signed-in browsers (`workspace.db`, table `web_sessions`): the studio's authentication keeps
     * its sessions here so a restart keeps people signed in; available once `start()` has resolved.
     */
    get webSessions(): WebSessionRepository {
        this.webSessionRepository ??= new WebSessionRepository(this.databases.get('workspace'));
        return this.webSessionRepository;
    }

    /**
     * Who may do what (policy/): every RPC service, HTTP route and tool asks it before acting; its
     * audited decisions go to `audit` once the databases are open.
     */
    readonly policy: Policy = new PolicyImpl(() => this.cluster ? this.audit : undefined);

    protected agentTokens: AgentTokens | undefined;

    /**
     * Agent tokens (tokens/): issued, listed and revoked by admins through the policy, and
     * authenticated by the studio's HTTP front door; in `workspace.db`, available once `start()`
     * has resolved (a workspace database that is down throws `DatabaseUnavailableError`).
     */
    get tokens(): AgentTokens {
        this.agentTokens ??= new AgentTokens(new AgentTokenRepository(this.databases.get('workspace')), this.policy);
        return this.agentTokens;
    }

    start(): Promise<void> {
        this.starting ??= this.doStart();
        return this.starting;
    }

    protected lockManager: LockManager | undefined;
    protected lockFailure: string | undefined;

    /** The workspace's file locks; available once `start()` has resolved. */
    get locks(): LockManager {
        if (!this.lockManager) {
            throw new Error('The workspace core has not started yet; await start() before using its locks.');
        }
        return this.lockManager;
    }

    /**
     * Locks live in `locks.db`. When that database is down the studio still coordinates its agents,
     * in memory, and health says that locks will not survive a restart.
     */
    protected lockStore(): LockStore {
        try {
            this.locksVolatile = false;
            return new LockRepository(this.databases.get('locks'));
        } catch {
            this.locksVolatile = true;
            return new MemoryLockStore();
        }
    }

    protected locksVolatile = false;
    protected replication: ReplicationManager | undefined;
    protected replicationFailure: string | undefined;
    protected replicationEnabled = false;
    /** When locks.db was restored from the replica at this start (lock-manager.ts: lost leases answer 410). */
    protected locksRestoredAt: Date | undefined;

    /**
     * Replication (STUDIO_REPLICA_URL, default `<dataDir>/../replica`): restore what is missing
     * or damaged before the databases open, start shipping WAL frames once they are open.
     */
    protected async prepareReplication(): Promise<void> {
        try {
            const config = resolveReplicationConfig(this.config.dataDir);
            const store = openReplicaStore(config);
            if (!store) {
                return;
            }
            this.replicationEnabled = true;
            this.replication = new ReplicationManager({
                store,
                syncIntervalMs: config.syncIntervalMs,
                snapshotIntervalMs: config.snapshotIntervalMs,
                retainGenerations: config.retainGenerations,
                keepDays: config.keepDays,
                replicator: { maxSegments: config.maxSegments },
                // Restore points name the files too whenever file sync runs: none is written before it started.
                restorePointsAwaitFiles: resolveFileSyncConfig(true).enabled,
                databases: DatabaseNames.map(name => ({ name, path: path.join(this.config.dataDir, databaseFileName(name)) })),
                // Only what the operator must act on (a local file set aside, a divergence, a lease
                // taken over); the wait itself is in health. stderr: `status` prints JSON on stdout.
                warn: message => console.error(`[replication] ${message}`),
            });
            this.replication.onStateChanged(() => this.scheduleHealthRefresh());
            const restored = await this.replication.restoreIfNeeded();
            if (restored.some(r => r.db === 'locks')) {
                this.locksRestoredAt = new Date();
            }
        } catch (error) {
            this.replicationFailure = `Replication did not start: ${(error as Error).message}`;
            this.replication = undefined;
        }
    }

    /**
     * Takes the replica lease and starts shipping. A lease another instance holds does not fail
     * the start: the manager waits for it to expire and then starts by itself (a restart after a
     * crash must never stay unready), and health says whom it waits for meanwhile. Checkpointing
     * is handed over first either way: while nothing ships, nothing may checkpoint, so the WAL
     * keeps proving what was committed locally (local-vs-replica.ts).
     */
    protected async startReplication(): Promise<void> {
        if (!this.replication || !this.cluster) {
            return;
        }
        try {
            this.cluster.handOverCheckpointing(new ReplicationCheckpointOwner());
            await this.replication.start({ waitForLease: true });
        } catch (error) {
            this.replicationFailure = `Replication did not start: ${(error as Error).message}`;
            await this.replication.stop().catch(() => undefined);
            this.replication = undefined;
        }
    }

    protected fileSyncer: FileSync | undefined;
    protected fileSyncFailure: string | undefined;
    protected fileSyncEnabled = false;

    /**
     * Workspace files synced to the replica store (file-sync/): `undefined` when file sync is
     * off (STUDIO_FILE_SYNC=off, or no replica store). `syncNow()` and `pending()` back the
     * studio's "sync now" and "show unsynced files" commands; `onEvent` carries conflicts.
     */
    get fileSync(): FileSync | undefined {
        return this.fileSyncer;
    }

    /**
     * Restores or reconciles the workspace files before anything uses the workspace (so an
     * agent never sees a half-restored folder), then watches. A store that is down does not
     * stop the studio: FileSync keeps retrying and health says so.
     */
    protected async startFileSync(): Promise<void> {
        try {
            const replica = resolveReplicationConfig(this.config.dataDir);
            const store = openReplicaStore(replica);
            const config = resolveFileSyncConfig(store !== undefined);
            if (!store || !config.enabled) {
                return;
            }
            this.fileSyncEnabled = true;
            const replicaDir = replica.url?.startsWith('file://') ? fileURLToPath(replica.url) : undefined;
            this.fileSyncer = new FileSync({ store, workspaceDir: this.config.workspaceDir, dataDir: this.config.dataDir, debounceMs: config.debounceMs, alsoIgnore: replicaDir ? [replicaDir] : [] });
            this.fileSyncer.onEvent(event => {
                if (event.type !== 'progress') {
                    this.scheduleHealthRefresh();
                }
            });
            await this.fileSyncer.start();
            const syncer = this.fileSyncer;
            this.replication?.attachRestorePointFiles(() => syncer.publishManifest());
        } catch (error) {
            this.fileSyncFailure = `File sync did not start: ${(error as Error).message}`;
            await this.fileSyncer?.stop().catch(() => undefined);
            this.fileSyncer = undefined;
            // Restore points waited for the files; without file sync they name the databases alone.
            this.replication?.attachRestorePointFiles(async () => undefined);
        }
    }

    /** A new workspace gets the files of STUDIO_WORKSPACE_DEFAULTS, once file sync has restored what the store holds. */
    protected async seedDefaults(): Promise<void> {
        try {
            const written = await seedWorkspaceDefaults(this.config.workspaceDir, process.env[WorkspaceDefaultsEnv]?.trim() || undefined);
            if (written.length) {
                console.info(`[workspace] new workspace: copied ${written.length} default file(s) from ${process.env[WorkspaceDefaultsEnv]}: ${written.join(', ')}`);
            }
        } catch (error) {
            console.error(`[workspace] ${error instanceof Error ? error.message : String(error)}`);
        }
    }

    protected async doStart(): Promise<void> {
        await fs.promises.mkdir(this.config.dataDir, { recursive: true }).catch(() => undefined);
        await fs.promises.mkdir(this.config.workspaceDir, { recursive: true }).catch(() => undefined);
        // The writer claims come first: restore replaces database files, which it must never do
        // under another process that writes them (a second studio on the same data directory).
        const cluster = new DatabaseCluster({ writerRole: 'the studio', ...this.options.databases, dataDir: this.config.dataDir });
        const refusals = cluster.claimWriters();
        if (refusals.length > 0) {
            this.replicationFailure = `Replication did not start: ${refusals[0].message}`;
        } else {
            await this.prepareReplication();
        }
        if (!this.stopped) {
            // Never throws: a database that cannot be opened is reported as down in health.
            this.cluster = cluster.open();
            await this.startReplication();
            await this.startFileSync();
            await this.seedDefaults();
        } else {
            await cluster.close();
        }
        this.startTimeline();
        try {
            this.lockManager = new LockManager(new WorkspacePaths(this.config.workspaceDir), this.lockStore(), { ...lockManagerOptionsFromEnv(), restoredAt: this.locksRestoredAt, policy: this.policy });
            this.lockManager.onLockEvent(() => this.scheduleHealthRefresh());
            this.feedTimeline({ locks: this.lockManager });
        } catch (error) {
            this.lockFailure = error instanceof Error ? error.message : String(error);
        }
        await this.startChangeWatcher();
        this.startOrchestrator();
        // Whether bubblewrap works here is decided before the studio reports itself started.
        await this.agentOrchestrator?.commands.ready();
        await this.refreshHealth();
    }

    /** The replica's folder when it is one on this machine (the default, `<dataDir>/../replica`). */
    protected replicaFolder(): string | undefined {
        try {
            const url = resolveReplicationConfig(this.config.dataDir).url;
            return url?.startsWith('file://') ? fileURLToPath(url) : undefined;
        } catch {
            return undefined;
        }
    }

    /**
     * Stops every part, in reverse order. Resolves with what the final steps could not do (the
     * agents' checkpoint, the final file sync, the final replication sync), one line each; empty
     * when everything reached the store. A second call resolves at once with nothing.
     */
    async stop(): Promise<string[]> {
        if (this.stopped) {
            return [];
        }
        this.stopped = true;
        const problems: string[] = [];
        const step = (what: string, run: Promise<unknown> | undefined) =>
            run?.then(() => undefined, error => { problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`); });
        await this.starting?.catch(() => undefined);
        clearTimeout(this.healthRefresh);
        // The costs stop listening first: the orchestrator's stop (checkpointed tasks) is no spend.
        this.workspaceCosts?.dispose();
        // Before the locks and databases: running tasks are checkpointed for retry and agent processes stopped.
        await step('stopping the agents', this.agentOrchestrator?.stop());
        // After the agents (their last commands' changes), before the locks (marks) and the timeline (records).
        await step('stopping the workspace watcher', this.changeWatcher?.stop());
        this.changeWatcherWiring.splice(0).forEach(w => w.dispose());
        this.chatConversations?.dispose();
        this.lockManager?.dispose();
        // After the agents and locks (their last events), before the databases close and the last replication sync.
        await step('closing the session timeline', this.stopTimeline());
        // Final upload of pending workspace files, once agents have stopped editing.
        await step('final file sync', this.fileSyncer?.stop());
        const unsynced = this.fileSyncer?.pending() ?? [];
        if (unsynced.length > 0) {
            const named = unsynced.slice(0, 3).map(p => `${p.path}${p.error ? ` (${p.error})` : ''}`).join(', ');
            problems.push(`final file sync: ${unsynced.length} workspace change(s) did not reach ${this.fileSyncer!.status().store} (${named}${unsynced.length > 3 ? ', ...' : ''}); ` +
                'they are on local disk and go up at the next start.');
        }
        // Final sync before the databases close (the SIGTERM path).
        await step('final replication sync', this.replication?.stop());
        await this.cluster?.close();
        // With every connection closed the WAL is folded into the main file: record its hash,
        // so the next start can tell this file from an older copy (local-vs-replica.ts).
        await this.replication?.sealLocalState();
        this.healthChanged.dispose();
        return problems;
    }

    protected healthRefresh: NodeJS.Timeout | undefined;

    /** Coalesces bursts of changes (a thousand locks granted at once) into one health report. */
    protected scheduleHealthRefresh(): void {
        if (!this.healthRefresh && !this.stopped) {
            this.healthRefresh = setTimeout(() => {
                this.healthRefresh = undefined;
                this.refreshHealth().catch(() => undefined);
            }, 250);
            this.healthRefresh.unref();
        }
    }

    /**
     * Probes every part now. Listeners hear of it only when something changed.
     * `quickCheck` also runs SQLite's `quick_check` on every database (off the main thread).
     */
    async refreshHealth(options: { readonly quickCheck?: boolean } = {}): Promise<WorkspaceHealth> {
        const components = await this.probeComponents(options);
        const health: WorkspaceHealth = {
            status: this.starting ? overallStatus(components) : 'starting',
            version,
            startedAt: this.startedAt.toISOString(),
            workspaceDir: this.config.workspaceDir,
            dataDir: this.config.dataDir,
            components,
        };
        if (JSON.stringify(health) !== JSON.stringify(this.lastHealth)) {
            this.lastHealth = health;
            this.healthChanged.fire(health);
        }
        return health;
    }

    /** The last health report, probing first if there is none yet. */
    async health(): Promise<WorkspaceHealth> {
        return this.lastHealth ?? this.refreshHealth();
    }

    protected async probeComponents(options: { readonly quickCheck?: boolean } = {}): Promise<ComponentHealth[]> {
        const [directories, databases] = await Promise.all([
            Promise.all([
                probeDirectory('workspace-folder', 'Workspace folder', this.config.workspaceDir),
                probeDirectory('data-directory', 'Data directory', this.config.dataDir),
            ]),
            this.cluster?.health(options) ?? [],
        ]);
        const replication = this.replicationEnabled || this.replicationFailure ? [replicationHealth(this.replication?.status(), this.replicationFailure)] : [];
        const durability = durabilityHealth(this.durability.status(), this.replicationEnabled, this.replication?.status(), this.durabilityFailure);
        const files = this.fileSyncEnabled || this.fileSyncFailure ? [fileSyncHealth(this.fileSyncer?.status(), this.fileSyncFailure)] : [];
        const demo = demoHealth();
        return [...(demo ? [demo] : []), ...directories, ...(this.starting ? [this.lockHealth(), this.orchestratorHealth(), ...this.commandSandboxHealth(), ...this.costsHealth(), ...timelineHealth(this.sessionTimeline, this.timelineFailure), ...changeWatcherHealth(this.changeWatcher, this.changeWatcherFailure)] : []), ...databases, ...(this.starting ? [...replication, durability, ...files] : [])];
    }

    protected agentOrchestrator: Orchestrator | undefined;
    protected orchestratorFailure: string | undefined;

    /** The agents: definitions, queues, supervised agent processes and their event stream; available once `start()` has resolved. */
    get orchestrator(): Orchestrator {
        if (!this.agentOrchestrator) {
            throw new Error(`The orchestrator is not running${this.orchestratorFailure ? `: ${this.orchestratorFailure}` : '; await start() first'}.`);
        }
        return this.agentOrchestrator;
    }

    /** After the locks: it needs them, and agents.db, tasks.db and metrics.db. Without them it is reported down. */
    protected startOrchestrator(): void {
        if (this.stopped || !this.lockManager) {
            this.orchestratorFailure ??= this.lockFailure && `the file locks did not start (${this.lockFailure})`;
            return;
        }
        try {
            // No provider factory unless the embedder gives one: the orchestrator's default is the vendors' real models.
            this.agentOrchestrator = new Orchestrator({
                ...this.options.orchestrator,
                workspaceDir: this.config.workspaceDir,
                locks: this.lockManager,
                databases: { agents: this.databases.get('agents'), tasks: this.databases.get('tasks'), metrics: this.databases.get('metrics') },
                // The costs start after the orchestrator (they need its agents); their pauses are read here, so a held agent takes no step first.
                heldAtStart: budgetPausesAtStart(this.databases.get('metrics')),
                acknowledge: (what, ...databases) => this.durability.acknowledge(what, ...databases),
                // Agents' commands never see the databases nor their replica (the home folder and secret files they hide themselves).
                commandSandbox: { ...this.options.orchestrator?.commandSandbox, hidden: [this.config.dataDir, this.replicaFolder(), ...this.options.orchestrator?.commandSandbox?.hidden ?? []] },
                changeAttribution: this.changeWatcher,
            });
            const orchestrator = this.agentOrchestrator;
            this.changeWatcherWiring.push(tellAgentsOfOutsideChanges(this.lockManager, orchestrator.bus, agentId => orchestrator.getAgent(agentId) !== undefined));
            this.agentOrchestrator.onEvent(event => {
                if (event.type === 'agent-state' || event.type === 'definition') {
                    this.scheduleHealthRefresh();
                }
            });
            this.feedTimeline({ orchestrator: this.agentOrchestrator });
            this.agentOrchestrator.start();
        } catch (error) {
            this.orchestratorFailure = error instanceof Error ? error.message : String(error);
            this.agentOrchestrator = undefined;
            return;
        }
        this.startChat(this.agentOrchestrator);
        this.startCosts(this.agentOrchestrator);
    }

    protected changeWatcher: WorkspaceChangeWatcher | undefined;
    protected changeWatcherFailure: string | undefined;
    protected readonly changeWatcherWiring: { dispose(): void }[] = [];

    /**
     * Who changes which workspace file (file-changes/): the writers the studio knows claim their
     * changes, the rest is told apart as agents' commands, git, or a terminal. Claims and commands
     * need it while anything may write: after the locks, before the agents; available after
     * `start()` unless health says it is down.
     */
    get fileChanges(): WorkspaceChangeWatcher | undefined {
        return this.changeWatcher;
    }

    protected async startChangeWatcher(): Promise<void> {
        if (this.stopped) {
            return;
        }
        const started = await startChangeWatcher(this.config, [this.replicaFolder()]);
        this.changeWatcher = started.watcher;
        this.changeWatcherFailure = started.failure;
        if (this.changeWatcher) {
            this.feedTimeline({ fileChanges: this.changeWatcher });
            if (this.lockManager) {
                this.changeWatcherWiring.push(markLocksOnOutsideChanges(this.changeWatcher, this.lockManager));
            }
        }
    }

    protected sessionTimeline: SessionTimeline | undefined;
    protected timelineFailure: string | undefined;
    protected readonly timelineFeeds: { dispose(): void }[] = [];

    /** The session timeline (sessions.db, JSONL archive): events of this run, replay, import; available once `start()` has resolved. */
    get timeline(): SessionTimeline {
        if (!this.sessionTimeline) {
            throw new Error(`The session timeline is not available${this.timelineFailure ? `: ${this.timelineFailure}` : '; await start() first'}.`);
        }
        return this.sessionTimeline;
    }

    /** After the databases and replication (sessions.db, the replica store), before the locks and agents, so a run's first events are recorded. */
    protected startTimeline(): void {
        if (this.stopped || !this.cluster) {
            return;
        }
        const started = startSessionTimeline(this.config, this.databases, this.replicationEnabled && !this.replicationFailure, agentId => this.agentOrchestrator?.getAgent(agentId)?.name);
        this.sessionTimeline = started.timeline;
        this.timelineFailure = started.failure;
    }

    protected feedTimeline(sources: TimelineFeedSources): void {
        if (this.sessionTimeline) {
            this.timelineFeeds.push(feedTimeline(this.sessionTimeline, sources));
        }
    }

    protected async stopTimeline(): Promise<void> {
        this.timelineFeeds.splice(0).forEach(feed => feed.dispose());
        await this.sessionTimeline?.stop();
    }

    protected workspaceCosts: WorkspaceCosts | undefined;
    protected costsFailure: string | undefined;

    /** Prices, the cost ledger, budgets and infrastructure cost (metrics.db); available once `start()` has resolved. */
    get costs(): WorkspaceCosts {
        if (!this.workspaceCosts) {
            throw new Error(`The costs are not available${this.costsFailure ? `: ${this.costsFailure}` : '; await start() first'}.`);
        }
        return this.workspaceCosts;
    }

    /** After the orchestrator, whose usage they price and whose agents the budgets pause; needs metrics.db. */
    protected startCosts(orchestrator: Orchestrator): void {
        try {
            this.workspaceCosts = new WorkspaceCosts({ db: this.databases.get('metrics'), workspaceDir: this.config.workspaceDir, dataDir: this.config.dataDir, agents: costAgentsOf(orchestrator) });
            this.workspaceCosts.onBudgetEvent(() => this.scheduleHealthRefresh());
            this.feedTimeline({ costs: this.workspaceCosts });
            this.workspaceCosts.start();
        } catch (error) {
            this.workspaceCosts?.dispose();
            this.workspaceCosts = undefined;
            this.costsFailure = error instanceof Error ? error.message : String(error);
        }
    }

    protected costsHealth(): ComponentHealth[] {
        if (this.workspaceCosts) {
            return [this.workspaceCosts.health()];
        }
        return this.costsFailure ? [{ id: 'costs', label: 'Costs', status: 'down', detail: `Costs are not available: ${this.costsFailure}` }] : [];
    }

    protected chatConversations: ChatConversations | undefined;
    protected chatFailure: string | undefined;

    /** Chat with the agents (conversations persisted in sessions.db); available once `start()` has resolved. */
    get chat(): ChatConversations {
        if (!this.chatConversations) {
            throw new Error(`The chat is not available${this.chatFailure ? `: ${this.chatFailure}` : '; await start() first'}.`);
        }
        return this.chatConversations;
    }

    /** After the orchestrator, which it gives its tasks to; needs sessions.db. Then the demo's tasks (STUDIO_DEMO_TASKS), as chat messages. */
    protected startChat(orchestrator: Orchestrator): void {
        try {
            this.chatConversations = new ChatConversations({ db: this.databases.get('sessions'), orchestrator });
            this.feedTimeline({ chat: this.chatConversations });
            this.chatConversations.start();
        } catch (error) {
            this.chatFailure = `sessions.db is not available (${error instanceof Error ? error.message : String(error)})`;
            this.chatConversations = undefined;
            return;
        }
        try {
            submitDemoTasks(this.chatConversations, this.config.dataDir);
        } catch (error) {
            console.error(`[demo] ${(error as Error).message}`);
        }
    }

    protected orchestratorHealth(): ComponentHealth {
        if (this.agentOrchestrator) {
            return this.agentOrchestrator.health();
        }
        return { id: 'orchestrator', label: 'Agents', status: this.orchestratorFailure ? 'down' : 'starting', detail: this.orchestratorFailure ?? 'Starting.' };
    }

    /** How agents' commands are isolated; degraded (what is missing, what to do) in the separate-uid fallback. */
    protected commandSandboxHealth(): ComponentHealth[] {
        return this.agentOrchestrator ? [this.agentOrchestrator.commands.health()] : [];
    }

    protected lockHealth(): ComponentHealth {
        const id = 'locks';
        const label = 'File locks';
        if (!this.lockManager) {
            return { id, label, status: this.lockFailure ? 'down' : 'starting', detail: this.lockFailure ?? 'Starting.' };
        }
        const held = this.lockManager.list().length;
        const waiting = this.lockManager.waiters().length;
        return this.locksVolatile
            ? { id, label, status: 'degraded', detail: `${held} held, ${waiting} waiting, in memory only: the locks database is down, so locks will not survive a restart.`, metrics: { held, waiting } }
            : { id, label, status: 'ok', detail: `${held} held, ${waiting} waiting.`, metrics: { held, waiting } };
    }
}
