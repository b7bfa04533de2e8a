import * as fs from 'node:fs';
import { AuditLog } from '../audit/audit-log';
import type { ChangeSets } from '../changes/change-sets';
import { Checkpoints, CheckpointsUnavailableError } from '../changes/checkpoints';
import type { ChatConversations } from '../chat/chat-conversations';
import { Emitter, Event } from '../common/emitter';
import { WorkspaceConfig } from '../config/workspace-config';
import type { WorkspaceCosts } from '../costs/workspace-costs';
import type { DatabaseCluster } from '../database/database-cluster';
import type { WorkspaceChangeWatcher } from '../file-changes/workspace-change-watcher';
import type { FileSync } from '../file-sync/file-sync';
import { probeDirectory } from '../health/directory-probe';
import { ComponentHealth, overallStatus, WorkspaceHealth } from '../health/workspace-health';
import type { LockManager } from '../locks/lock-manager';
import type { Orchestrator } from '../orchestrator/orchestrator';
import { ProviderKeyFile } from '../providers/provider-key-file';
import { ProviderKeys } from '../providers/provider-keys';
import { Policy, PolicyImpl } from '../policy';
import type { Durability } from '../replication/durability';
import type { SqlConsole } from '../sql-console/sql-console';
import type { SessionTimeline } from '../timeline/session-timeline';
import { WorkspaceMetrics } from '../telemetry/workspace-metrics';
import { maskInLogs } from '../telemetry/logger';
import { workspaceSecretValues } from '../providers/provider-secrets';
import { AgentTokenRepository, AgentTokens, TerminalTokens } from '../tokens';
import { WebSessionRepository } from '../web-sessions/web-session-repository';
import { CoreContext, CorePartInstances, WorkspaceCoreOptions } from './core-context';
import { CoreHealthLayout, CoreParts } from './core-parts';
import { demoHealth } from './demo-mode';
import { PartRunner } from './part-runner';
import type { DurabilityGate } from './part-instances';
import { durabilityGateFromEnv, durableReplicaOf } from './parts/durability-part';
import { replicaFolderOf, replicaResource } from './replica-resource';
import type { WorkspaceActivity } from './workspace-activity';

export type { WorkspaceCoreOptions } from './core-context';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

/**
 * The composition root of the workspace core: its parts are declared as data (core-parts.ts)
 * and run by one part runner (part-runner.ts), which starts them in order, stops them in reverse
 * order and reports their health; this class makes the resources they share and exposes them.
 *
 * Invariants:
 * - `start()` and `stop()` are idempotent; `stop()` waits for a `start()` still under way.
 * - A part that fails to start is reported as `down` in `health()`, and so is every part that
 *   needs it; the core keeps serving the others, because a workspace with one broken part is
 *   still worth opening. Its getter throws, saying why.
 */
export class WorkspaceCore {
    protected readonly healthChanged = new Emitter<WorkspaceHealth>();
    readonly onHealthChanged: Event<WorkspaceHealth> = this.healthChanged.event;

    protected readonly startedAt = new Date();
    protected starting: Promise<void> | undefined;
    protected stopped = false;
    protected lastHealth: WorkspaceHealth | undefined;
    protected healthRefresh: NodeJS.Timeout | undefined;
    protected readonly parts: PartRunner<CorePartInstances, CoreContext>;

    /**
     * Who may do what (policy/): every RPC service, HTTP route and tool asks it before acting; its
     * audited decisions go to `audit` once the databases are open.
     */
    readonly policy: Policy = new PolicyImpl(() => this.parts.find('databases') ? this.audit : undefined);

    /**
     * The model providers' API keys admins set in the studio (providers/provider-keys.ts), kept in
     * the data folder, never in the workspace or the replica; usable before `start()`. The agents
     * pick up a change at once; the keys are masked wherever the workspace's secrets are.
     */
    readonly providerKeys: ProviderKeys;

    /**
     * The workspace's Prometheus metrics (telemetry/workspace-metrics.ts), fed by the metrics part
     * from every part that is up; the backend serves `metrics.scrape()` on /metrics.
     */
    readonly metrics: WorkspaceMetrics;
    protected readonly logMasking: { dispose(): void };

    constructor(readonly config: WorkspaceConfig, protected readonly options: WorkspaceCoreOptions = {}) {
        const replica = replicaResource(config.dataDir);
        this.providerKeys = new ProviderKeys(ProviderKeyFile.inDataDir(config.dataDir), this.policy);
        // The keys an admin sets in the studio never reach the log (the environment's are masked already).
        this.logMasking = maskInLogs(() => workspaceSecretValues());
        this.metrics = new WorkspaceMetrics(options.metrics);
        this.metrics.workspaceInfo.set({ version }, 1);
        this.parts = new PartRunner<CorePartInstances, CoreContext>(CoreParts, {
            config, options, policy: this.policy, replica, providerKeys: this.providerKeys, metrics: this.metrics,
            replicaFolder: () => replicaFolderOf(replica),
            durability: () => this.durabilityGate(),
            healthChanged: () => this.scheduleHealthRefresh(),
        });
    }

    /**
     * The six SQLite databases (workspace, agents, tasks, locks, sessions, metrics), open once
     * `start()` has resolved. Later layers (locks, orchestrator, ledgers) take theirs with
     * `core.databases.get('locks')`; one that is down throws a `DatabaseUnavailableError`.
     */
    get databases(): DatabaseCluster {
        return this.parts.get('databases');
    }

    /** The workspace's file locks (in memory when locks.db is down, as health says); available once `start()` has resolved. */
    get locks(): LockManager {
        return this.parts.get('locks').manager;
    }

    /** The agents: definitions, queues, supervised agent processes and their event stream; available once `start()` has resolved. */
    get orchestrator(): Orchestrator {
        return this.parts.get('orchestrator');
    }

    /** The session timeline (sessions.db, JSONL archive): events of this run, replay, import; available once `start()` has resolved. */
    get timeline(): SessionTimeline {
        return this.parts.get('timeline').timeline;
    }

    /** Every task's change set (sessions.db): what it changed, its diffs, its review; available once `start()` has resolved. */
    get changes(): ChangeSets {
        return this.parts.get('changes');
    }

    /**
     * The workspace journal's checkpoints (sessions.db): moments to put the workspace or a file
     * back to; throws CheckpointsUnavailableError while the workspace watcher, which the journal needs, is down.
     */
    get checkpoints(): Checkpoints {
        const checkpoints = this.parts.find('checkpoints');
        if (!checkpoints) {
            throw new CheckpointsUnavailableError(this.parts.find('file-changes') ? 'the workspace journal did not start' : 'the workspace watcher is down');
        }
        return checkpoints;
    }

    /** Prices, the cost ledger, budgets and infrastructure cost (metrics.db); available once `start()` has resolved. */
    get costs(): WorkspaceCosts {
        return this.parts.get('costs');
    }

    /** What the agents are doing (open tasks, budgets holding them, their last event), for /health's activity; undefined unless the agents run. */
    get activity(): WorkspaceActivity | undefined {
        return this.parts.find('activity');
    }

    /** Chat with the agents (conversations persisted in sessions.db); available once `start()` has resolved. */
    get chat(): ChatConversations {
        return this.parts.get('chat');
    }

    /** The SQL console over the six databases, under this core's policy; available once `start()` has resolved. */
    get sqlConsole(): SqlConsole {
        return this.parts.get('sql-console');
    }

    /**
     * Workspace files synced to the replica store (file-sync/): `undefined` when file sync is
     * off (STUDIO_FILE_SYNC=off, or no replica store) or down. `syncNow()` and `pending()` back the
     * studio's "sync now" and "show unsynced files" commands; `onEvent` carries conflicts.
     */
    get fileSync(): FileSync | undefined {
        return this.parts.find('file-sync');
    }

    /**
     * Who changes which workspace file (file-changes/); available after `start()` unless health
     * says it is down.
     */
    get fileChanges(): WorkspaceChangeWatcher | undefined {
        return this.parts.find('file-changes');
    }

    protected gate: DurabilityGate | undefined;

    /**
     * When a committed write may be acknowledged (replication/durability.ts), from its first use:
     * `STUDIO_DURABILITY` = `async` or `ack`; an unreadable setting falls back to `ack`.
     */
    get durability(): Durability {
        return this.durabilityGate().durability;
    }

    protected durabilityGate(): DurabilityGate {
        this.gate ??= durabilityGateFromEnv(() => durableReplicaOf(this.parts.find('replication')));
        return this.gate;
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

    /** The tokens of the studio's terminals, for the `coditect` CLI in them (tokens/terminal-tokens.ts); in memory, as the terminals are. */
    readonly terminalTokens = new TerminalTokens();

    start(): Promise<void> {
        this.starting ??= this.doStart();
        return this.starting;
    }

    protected async doStart(): Promise<void> {
        await fs.promises.mkdir(this.config.dataDir, { recursive: true }).catch(() => undefined);
        await fs.promises.mkdir(this.config.workspaceDir, { recursive: true }).catch(() => undefined);
        await this.parts.start();
        await this.refreshHealth();
    }

    /**
     * Stops every part, in reverse order (core-parts.ts). Resolves with what the final steps could
     * not do (the agents' checkpoint, the final file sync, the final replication sync), one line
     * each; empty when everything reached the store. A second call resolves at once with nothing.
     */
    async stop(): Promise<string[]> {
        if (this.stopped) {
            return [];
        }
        this.stopped = true;
        // Asked first, so that parts not started yet never start.
        const stopping = this.parts.stop();
        await this.starting?.catch(() => undefined);
        clearTimeout(this.healthRefresh);
        const problems = await stopping;
        this.providerKeys.dispose();
        this.logMasking.dispose();
        this.healthChanged.dispose();
        return problems;
    }

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

    protected async probeComponents(options: { readonly quickCheck?: boolean }): Promise<ComponentHealth[]> {
        const [directories, parts] = await Promise.all([
            Promise.all([
                probeDirectory('workspace-folder', 'Workspace folder', this.config.workspaceDir),
                probeDirectory('data-directory', 'Data directory', this.config.dataDir),
            ]),
            this.parts.health(CoreHealthLayout, options),
        ]);
        const demo = demoHealth();
        return [...(demo ? [demo] : []), ...directories, ...parts];
    }
}
