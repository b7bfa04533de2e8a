import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';
import { StudioViewModelSource } from './studio-view-model';

/**
 * The life of a shared watcher that re-reads its backend's state rather than rebuilding it from
 * events: started once however many views ask, it reads the state, then reads again after each
 * burst of pushed changes (coalesced over `coalesceMs` into one read) and after every reconnect
 * (what was pushed while the connection was down is lost). Subclasses say what to read and which
 * pushes to follow.
 *
 * Invariant: `onDidChange` fires after every read, failed or not; a failed read keeps the last
 * state and sets `error` until a read succeeds.
 */
@injectable()
export abstract class RefreshingWatcher implements StudioViewModelSource {
    protected readonly changed = new Emitter<void>();
    readonly onDidChange: Event<void> = this.changed.event;

    protected readonly coalesceMs: number = 50;
    protected loadError: string | undefined;
    protected started: Promise<void> | undefined;
    protected pending: ReturnType<typeof setTimeout> | undefined;

    /** Why the last read failed, if it did. */
    get error(): string | undefined {
        return this.loadError;
    }

    start(): Promise<void> {
        if (!this.started) {
            this.follow(() => this.scheduleRefresh());
            this.started = this.refresh();
        }
        return this.started;
    }

    async refresh(): Promise<void> {
        try {
            await this.read();
            this.loadError = undefined;
        } catch (error) {
            this.loadError = error instanceof Error ? error.message : String(error);
        }
        this.changed.fire();
    }

    /** Subscribes `refresh` (coalesced) to the pushes and the reconnects that can change what is read. */
    protected abstract follow(refresh: () => void): void;

    /** Reads the state from the backend into the watcher's fields; throws when it cannot. */
    protected abstract read(): Promise<void>;

    protected scheduleRefresh(): void {
        if (this.pending === undefined) {
            this.pending = setTimeout(() => {
                this.pending = undefined;
                void this.refresh();
            }, this.coalesceMs);
        }
    }
}
