import type { ChangeOverlays } from '../changes/change-overlay';
import type { DatabaseName } from '../database/database-names';
import type { ChangeAttribution } from '../file-changes/workspace-change-watcher';
import type { SqliteDatabase } from '../database/sqlite-database';
import type { LockManager } from '../locks/lock-manager';
import type { ProviderKeys } from '../providers/provider-keys';
import type { CommandObserver, CommandSandboxOptions } from './command-runner';
import type { ProviderFactory } from './provider-factory';
import type { TimelineDigestRequest } from '../timeline/timeline-digest';

/** Resolves once what was committed to `databases` may be acknowledged (see OrchestratorOptions.acknowledge). */
export type Acknowledge = (what: string, ...databases: DatabaseName[]) => Promise<void>;

export interface OrchestratorOptions {
    readonly workspaceDir: string;
    readonly locks: LockManager;
    readonly databases: { readonly agents: SqliteDatabase; readonly tasks: SqliteDatabase; readonly metrics: SqliteDatabase };
    /** Default: the vendors' real providers, keys from `providerKeys`' file, the environment or STUDIO_SECRETS_FILE. */
    readonly providerFactory?: ProviderFactory;
    /**
     * The keys an admin sets in the studio: the real providers read them from its file, and each
     * change makes the agents that use the key check their provider again at once. Default: none.
     */
    readonly providerKeys?: Pick<ProviderKeys, 'file' | 'onDidChange'>;
    /** Restart delay after a crash or hang: doubles per consecutive failure, from `initialMs` up to `maxMs`. */
    readonly restartBackoff?: { readonly initialMs: number; readonly maxMs: number };
    /** Silence after which an agent process counts as hung and is killed. Default 30 s. */
    readonly heartbeatTimeoutMs?: number;
    /** After a cancel, how long the agent process gets to stop on its own before it is killed. Default 2 s. */
    readonly cancelGraceMs?: number;
    /** Fork the process of every agent whose definition says `"process": "always"` at start (so a first task starts at once). Default true. */
    readonly prefork?: boolean;
    /** How long the process of an `on-demand` agent (the role agents) stays after its last task before it is stopped. Default 5 min. */
    readonly onDemandIdleMs?: number;
    /**
     * A hold another part keeps on an agent across restarts (a used-up budget): the agent comes up
     * paused with this reason, before it could take a task, rather than running a step first.
     */
    readonly heldAtStart?: (agentId: string) => string | undefined;
    /**
     * Resolves once what was committed to `databases` may be acknowledged (the core's durability:
     * at once, or once in the replica). The orchestrator waits on it before it tells anyone a task
     * ended (`waitForTask`) and before it hands an agent its tool results, which acknowledges the
     * step's cost entries and delegated tasks. Default: at once.
     */
    readonly acknowledge?: Acknowledge;
    /**
     * How agents' commands are isolated (command-runner.ts): the bwrap to use and the folders no
     * command may see (the core names its data and replica folders). Default: `bwrap` on PATH.
     */
    readonly commandSandbox?: CommandSandboxOptions;
    /**
     * The workspace watcher (file-changes/): each tool write claims its path before the bytes land
     * (its `file-edit` event says who), and each command says when it runs, so the changes it makes
     * are attributed to it. Default: nothing is told.
     */
    readonly changeAttribution?: ChangeAttribution;
    /** Hears each agent command before it starts and after it ends (the change sets link the git commits it made). Default: none. */
    readonly commandObserver?: CommandObserver;
    /**
     * Where the edits of agents that apply `after-review` wait for review (the change sets'
     * overlays, in sessions.db). Default: none, and such agents' file tools fail saying so.
     */
    readonly overlays?: ChangeOverlays;
    /** The session timeline as text, for agents allowed `read_timeline` (timeline-digest.ts). Default: none, and the tool says so. */
    readonly timeline?: (request: TimelineDigestRequest) => string;
}
