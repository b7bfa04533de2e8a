import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { takeProviderFactoryOverride, WorkspaceCore } from '@coditect/workspace-backend';
import { StudioWorkspaceRoot } from './studio-workspace-root';

export const WorkspaceCoreHost = Symbol('WorkspaceCoreHost');
/**
 * Owns the one workspace core of this backend process. The core is a singleton of the backend,
 * not of a browser connection: agents keep working when every tab is closed.
 */
export interface WorkspaceCoreHost {
    /** The core, once started. Services await this rather than racing start-up. */
    readonly ready: Promise<WorkspaceCore>;
    /** Why the core did not start, when it failed; `ready` then never resolves. */
    readonly startFailure?: string;
}

@injectable()
export class WorkspaceCoreHostImpl implements WorkspaceCoreHost, BackendApplicationContribution {

    @inject(ILogger) @named('coditect:workspace-core')
    protected readonly logger: ILogger;

    /** The folder the editor opened, decided from the command line and the environment (studio-workspace-root.ts). */
    @inject(StudioWorkspaceRoot)
    protected readonly workspaceRoot: StudioWorkspaceRoot;

    protected core: WorkspaceCore;
    readonly ready: Promise<WorkspaceCore> = new Promise(resolve => this.resolveReady = resolve);
    protected resolveReady: (core: WorkspaceCore) => void;

    /**
     * The agents get the vendors' real models, unless code running in this process installed a
     * provider factory before (the browser tests' preload; core/provider-factory-override.ts says
     * why no production start can): then the log says so, loudly.
     */
    @postConstruct()
    protected init(): void {
        const override = takeProviderFactoryOverride();
        if (override) {
            this.logger.warn(`the agents use a provider factory installed by ${override.installedBy}, not the vendors' models`);
        }
        this.core = new WorkspaceCore(this.workspaceRoot.config, {
            metrics: { processMetrics: true },
            ...(override ? { orchestrator: { providerFactory: override.factory } } : {}),
        });
    }

    /**
     * Starts the core without holding up the backend's listening: restore checks, the databases,
     * file-sync reconcile and the agents' processes take a while, and every service awaits `ready`
     * (the status bar says "starting" meanwhile), so the IDE can load in parallel.
     */
    initialize(): void {
        const { workspaceDir, dataDir } = this.core.config;
        this.logger.info(`starting the workspace core (workspace ${workspaceDir}, data ${dataDir})`);
        this.core.start().then(async () => {
            const health = await this.core.health();
            this.logger.info(`workspace core ${health.status}`);
            for (const part of health.components.filter(c => c.status !== 'ok')) {
                this.logger.warn(`${part.label}: ${part.status}: ${part.detail}`);
            }
            this.resolveReady(this.core);
        }, error => {
            this.startFailure = error instanceof Error ? error.message : String(error);
            this.logger.error(`the workspace core did not start: ${error instanceof Error ? error.stack : String(error)}`);
        });
    }

    startFailure: string | undefined;
    protected stopping: Promise<string[]> | undefined;

    /**
     * Stops the core once: agents checkpoint their tasks, then the final file sync and the final
     * replication sync. Resolves with what those could not do (empty when all reached the store);
     * every call gets the same result.
     */
    stop(): Promise<string[]> {
        this.stopping ??= this.core.stop();
        return this.stopping;
    }

    async onStop(): Promise<void> {
        await this.stop();
    }
}
