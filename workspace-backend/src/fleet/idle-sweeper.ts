import type { FleetMetrics } from './fleet-metrics';
import type { FleetRegistry } from './fleet-registry';
import type { FleetService } from './fleet-service';
import type { WorkspaceInfo } from './workspace-info';

export interface IdleSweeperOptions {
    /** A workspace idle this long is stopped (its final sync, then no pod). */
    readonly idleMinutes: number;
    /** How often the ready workspaces are asked (ms). */
    readonly intervalMs: number;
    /** Where a workspace's studio answers /health, from its pod (undefined: not reachable yet). */
    readonly healthUrl: (workspace: WorkspaceInfo) => string | undefined;
    /** A credential the studios take as an admin's: only an admin sees the activity. */
    readonly credential: () => Promise<string>;
    /** How many workspaces are asked at once. */
    readonly concurrency?: number;
    readonly now?: () => number;
    /** Said when a workspace could not be asked; the sweep goes on with the others. */
    readonly onProblem?: (workspace: WorkspaceInfo, problem: string) => void;
    /** Where the workspaces put to sleep are counted; absent: nowhere. */
    readonly metrics?: FleetMetrics;
}

/** The part of a studio's /health the sweeper reads (extensions/studio-platform's HealthActivity). */
interface ReportedActivity {
    readonly idleSince?: string | null;
}

/**
 * Auto-sleep: every `intervalMs`, each ready workspace's studio is asked what keeps it awake; one
 * idle for `idleMinutes` (no browser connection, no task of an agent no budget holds; the studio
 * applies that rule and reports `idleSince`) is stopped with reason `idle`. The rule lives in the
 * workspace, the threshold here. A studio that does not answer, or reports no activity (its
 * agents are down), is left as it is: only a known idle workspace is put to sleep.
 */
export class IdleSweeper {
    protected timer: NodeJS.Timeout | undefined;
    protected sweeping: Promise<string[]> | undefined;

    constructor(protected readonly registry: FleetRegistry, protected readonly fleet: FleetService, protected readonly options: IdleSweeperOptions) { }

    start(): void {
        this.timer ??= setInterval(() => void this.sweep(), this.options.intervalMs);
    }

    async stop(): Promise<void> {
        clearInterval(this.timer);
        this.timer = undefined;
        await this.sweeping;
    }

    /** One pass (one at a time); resolves with the ids it stopped. */
    sweep(): Promise<string[]> {
        this.sweeping ??= this.sweepNow().finally(() => this.sweeping = undefined);
        return this.sweeping;
    }

    protected async sweepNow(): Promise<string[]> {
        // A warm workspace is idle by design: it is kept running to be claimed ready.
        const ready = this.registry.list().filter(w => w.state === 'ready' && !w.warm);
        const stopped: string[] = [];
        const pending = [...ready];
        const worker = async () => {
            for (let workspace = pending.shift(); workspace; workspace = pending.shift()) {
                if (await this.isIdle(workspace)) {
                    const asleep = workspace;
                    await this.fleet.stop(asleep.id, 'idle').then(() => {
                        stopped.push(asleep.id);
                        this.options.metrics?.autoSleeps.inc();
                    }, error => this.options.onProblem?.(asleep, `stopping it failed: ${(error as Error).message}`));
                }
            }
        };
        await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, pending.length) }, worker));
        return stopped.sort();
    }

    protected async isIdle(workspace: WorkspaceInfo): Promise<boolean> {
        const url = this.options.healthUrl(workspace);
        if (!url) {
            return false;
        }
        try {
            const response = await fetch(url, { headers: { Authorization: `Bearer ${await this.options.credential()}` }, signal: AbortSignal.timeout(5000) });
            const body = await response.json() as { activity?: ReportedActivity };
            const since = body.activity?.idleSince;
            if (body.activity === undefined) {
                this.options.onProblem?.(workspace, `its /health reports no activity (HTTP ${response.status}; its agents may be down, or the fleet's credential is not an admin's)`);
                return false;
            }
            return typeof since === 'string' && (this.options.now ?? Date.now)() - Date.parse(since) >= this.options.idleMinutes * 60_000;
        } catch (error) {
            this.options.onProblem?.(workspace, `its /health did not answer: ${(error as Error).message}`);
            return false;
        }
    }
}
