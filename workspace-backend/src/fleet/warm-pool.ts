import type { Disposable } from '../common/emitter';
import type { FleetRegistry } from './fleet-registry';
import type { FleetService } from './fleet-service';
import type { WorkspaceInfo } from './workspace-info';
import type { WorkspaceSizeName } from './workspace-manifests';

export interface WarmPoolOptions {
    /** How many unclaimed workspaces to keep (0: no pool). */
    readonly count: number;
    /** Their size; a provision of another size makes a new workspace. */
    readonly size: WorkspaceSizeName;
    /** How long after a change the pool is looked at (changes come in bursts: a pod's every condition) (ms). */
    readonly settleMs?: number;
    /** Said when the pool could not be filled or trimmed; it tries again at the next change. */
    readonly onProblem?: (problem: string) => void;
}

/**
 * A warm pool: `count` empty workspaces kept made and running, so that a provision claims one
 * that is already ready (FleetService.claimWarm) instead of waiting for a pod, a volume and a
 * studio start. Whenever the registry changes, the pool is brought back to `count`: claimed ones
 * are replaced, failed ones deleted and replaced, extras (the count lowered) deleted. Warm
 * workspaces are never put to sleep (IdleSweeper skips them): they are there to be ready.
 *
 * Like every fleet state, the pool is Kubernetes' (the `coditect.ai/pool` label); the fleet runs
 * as one replica, so one pool keeper acts at a time.
 */
export class WarmPool {
    protected filling: Promise<void> | undefined;
    protected again = false;
    protected timer: NodeJS.Timeout | undefined;
    protected listener: Disposable | undefined;
    protected stopped = false;

    constructor(protected readonly registry: FleetRegistry, protected readonly fleet: FleetService, protected readonly options: WarmPoolOptions) { }

    start(): void {
        this.listener ??= this.registry.onDidChange(() => this.schedule());
        void this.fill();
    }

    async stop(): Promise<void> {
        this.stopped = true;
        this.listener?.dispose();
        clearTimeout(this.timer);
        await this.filling;
    }

    /** The unclaimed workspaces, oldest first. */
    warm(): WorkspaceInfo[] {
        return this.registry.list().filter(w => w.warm && w.state !== 'deleting');
    }

    /** Brings the pool to its count (one pass at a time; a change meanwhile makes one more pass). */
    fill(): Promise<void> {
        if (this.filling) {
            this.again = true;
            return this.filling;
        }
        this.filling = (async () => {
            do {
                this.again = false;
                await this.fillOnce().catch(error => this.options.onProblem?.(`the warm pool could not be filled: ${(error as Error).message}`));
            } while (this.again && !this.stopped);
        })().finally(() => this.filling = undefined);
        return this.filling;
    }

    /** At most one pass per `settleMs`, however many changes come (a fleet of thousands changes all the time). */
    protected schedule(): void {
        if (this.stopped || this.timer) {
            return;
        }
        this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.fill();
        }, this.options.settleMs ?? 250);
    }

    protected async fillOnce(): Promise<void> {
        const warm = this.warm();
        const failed = warm.filter(w => w.state === 'failed');
        const healthy = warm.filter(w => w.state !== 'failed');
        // The newest are the furthest from ready: they go first when the pool is too large.
        const extra = healthy.slice(this.options.count);
        for (const workspace of [...failed, ...extra.reverse()]) {
            if (this.stopped) {
                return;
            }
            if (workspace.state === 'failed') {
                this.options.onProblem?.(`warm workspace ${workspace.id} failed (${workspace.message ?? 'see its pod'}); it is replaced`);
            }
            // Unless claimed meanwhile: a provision may take it between this look and the delete.
            await this.fleet.deleteWarm(workspace.id);
        }
        for (let missing = this.options.count - healthy.length; missing > 0 && !this.stopped; missing--) {
            const id = await this.fleet.createWarm(this.options.size);
            // Counted once the registry has seen it, so the next pass does not make it twice.
            await this.registry.waitFor(id, w => w !== undefined, 30_000);
        }
    }
}
