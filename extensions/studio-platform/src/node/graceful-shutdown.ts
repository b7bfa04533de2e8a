import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { WorkspaceCoreHostImpl } from './workspace-core-host';

/** How long SIGTERM waits for the workspace core's stop by default; the container's grace period must be longer. */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 45_000;

export function shutdownTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
    const raw = env.STUDIO_SHUTDOWN_TIMEOUT_MS?.trim();
    if (!raw) {
        return DEFAULT_SHUTDOWN_TIMEOUT_MS;
    }
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 1000) {
        throw new Error(`STUDIO_SHUTDOWN_TIMEOUT_MS="${raw}" must be a number of milliseconds, at least 1000.`);
    }
    return value;
}

type SignalName = 'SIGTERM' | 'SIGINT';

/**
 * Gives the workspace core the time its stop needs on SIGTERM and SIGINT.
 *
 * Theia stops its contributions on those signals with a fixed 5 s budget and then exits, which
 * would cut off the agents' checkpoint, the final file sync or the final replication sync (a
 * large WAL takes longer to upload). So the signal handlers Theia installed are set aside here;
 * on a signal the core stops first, bounded by STUDIO_SHUTDOWN_TIMEOUT_MS, and then Theia's own
 * handlers run as before (the other contributions' onStop, the container's unbinding, exit).
 *
 * Invariants:
 * - The outcome is logged with the prefix "[shutdown]": what was flushed or what was not, so an
 *   operator can tell from the log whether anything was left behind.
 * - A second signal while stopping is logged and otherwise ignored; SIGKILL remains the way out.
 */
@injectable()
export class GracefulShutdown implements BackendApplicationContribution {

    @inject(WorkspaceCoreHostImpl)
    protected readonly coreHost: WorkspaceCoreHostImpl;

    @inject(ILogger) @named('coditect:shutdown')
    protected readonly logger: ILogger;

    protected readonly timeoutMs = shutdownTimeoutMs();
    protected stopping = false;

    initialize(): void {
        for (const signal of ['SIGTERM', 'SIGINT'] as const) {
            const deferred = process.listeners(signal);
            for (const listener of deferred) {
                process.removeListener(signal, listener);
            }
            process.on(signal, () => this.onSignal(signal, deferred));
        }
    }

    protected async onSignal(signal: SignalName, deferred: NodeJS.SignalsListener[]): Promise<void> {
        if (this.stopping) {
            this.log(`${signal} again: still stopping the workspace core (at most ${this.timeoutMs} ms in all); SIGKILL stops at once, losing what is not synced.`);
            return;
        }
        this.stopping = true;
        const started = Date.now();
        this.log(`${signal}: stopping the workspace core (agents checkpoint their tasks, final file sync, final replication sync), at most ${this.timeoutMs} ms`);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>(resolve => timer = setTimeout(() => resolve('timeout'), this.timeoutMs));
        try {
            const outcome = await Promise.race([this.coreHost.stop(), timedOut]);
            const elapsed = Date.now() - started;
            if (outcome === 'timeout') {
                this.log(`the workspace core did not stop within ${this.timeoutMs} ms (STUDIO_SHUTDOWN_TIMEOUT_MS); exiting anyway: ` +
                    'changes not yet in the store are on local disk and go up at the next start from this disk.', 'error');
            } else if (outcome.length) {
                this.log(`stopped in ${elapsed} ms, but not everything reached the store: ${outcome.join('; ')}`, 'error');
            } else {
                this.log(`final sync done: the workspace core stopped in ${elapsed} ms with every change in the store`);
            }
        } catch (error) {
            this.log(`stopping the workspace core failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
        } finally {
            clearTimeout(timer);
        }
        if (deferred.length === 0) {
            process.exit(0);
        }
        for (const listener of deferred) {
            listener(signal);
        }
    }

    /** Straight to stderr as well as the logger: the last lines of a stopping process must not wait in a buffer. */
    protected log(message: string, level: 'info' | 'error' = 'info'): void {
        process.stderr.write(`[shutdown] ${message}\n`);
        if (level === 'error') {
            this.logger.error(`[shutdown] ${message}`);
        }
    }
}
