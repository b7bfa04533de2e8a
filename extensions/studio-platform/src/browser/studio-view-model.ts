import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';

/** What a model follows: one of the extensions' shared watchers (orchestrator, locks), a singleton many views read. */
export interface StudioViewModelSource {
    readonly onDidChange: Event<unknown>;
    /** Reads the first state; the watcher does it once however many views ask. */
    start(): Promise<unknown>;
}

/**
 * The base of our views' models (`foo-model.ts` beside `foo-widget.tsx`): the state of one view,
 * whose widget re-renders on `onDidChange` and disposes the model with itself.
 *
 * Invariant: everything a model subscribes to goes into `toDispose`, which holds the model's own
 * emitter from the start, so `dispose()` leaves no listener on the singletons the model followed
 * (watchers, clients, preferences) and no listener on the model. Models are bound without a scope,
 * one per widget, so a closed view would otherwise leak one set of listeners each time it opens.
 */
@injectable()
export abstract class StudioViewModel implements Disposable {

    protected readonly changed = new Emitter<void>();
    /** Fires after every change the view must render. */
    readonly onDidChange: Event<void> = this.changed.event;
    protected readonly toDispose = new DisposableCollection(this.changed);

    dispose(): void {
        this.toDispose.dispose();
    }

    /** The state changed: the view renders again. */
    protected fire(): void {
        this.changed.fire();
    }

    /** Renders again on every event of `event`, until the model is disposed. */
    protected fireOn(event: Event<unknown>): void {
        this.toDispose.push(event(() => this.fire()));
    }

    /**
     * Follows a shared watcher: renders again on its every change and once its first state is read.
     * Settles as the watcher's start does; a failure to start is the caller's to show.
     */
    protected follow(source: StudioViewModelSource): Promise<void> {
        this.fireOn(source.onDidChange);
        return source.start().then(() => this.fire());
    }
}
