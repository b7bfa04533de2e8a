import * as fs from 'node:fs';
import { Emitter, Event } from '../common/emitter';
import { WorkspaceConfig } from '../config/workspace-config';
import { probeDirectory } from '../health/directory-probe';
import { ComponentHealth, overallStatus, WorkspaceHealth } from '../health/workspace-health';

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

    constructor(readonly config: WorkspaceConfig) { }

    start(): Promise<void> {
        this.starting ??= this.doStart();
        return this.starting;
    }

    protected async doStart(): Promise<void> {
        await fs.promises.mkdir(this.config.dataDir, { recursive: true }).catch(() => undefined);
        await this.refreshHealth();
    }

    async stop(): Promise<void> {
        if (this.stopped) {
            return;
        }
        this.stopped = true;
        await this.starting?.catch(() => undefined);
        this.healthChanged.dispose();
    }

    /** Probes every part now. Listeners hear of it only when something changed. */
    async refreshHealth(): Promise<WorkspaceHealth> {
        const components = await this.probeComponents();
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

    protected async probeComponents(): Promise<ComponentHealth[]> {
        return Promise.all([
            probeDirectory('workspace-folder', 'Workspace folder', this.config.workspaceDir),
            probeDirectory('data-directory', 'Data directory', this.config.dataDir),
        ]);
    }
}
