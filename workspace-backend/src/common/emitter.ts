/** Something that can be undone once, such as a listener registration. */
export interface Disposable {
    dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

/**
 * A typed, synchronous event source. A listener that throws does not stop the others:
 * its error is passed to `onListenerError` (by default printed), because one faulty
 * subscriber (a UI connection, say) must never break delivery to the rest.
 */
export class Emitter<T> {
    protected readonly listeners = new Set<(value: T) => void>();

    constructor(protected readonly onListenerError: (error: unknown) => void = error => console.error('[emitter] listener failed:', error)) { }

    readonly event: Event<T> = listener => {
        this.listeners.add(listener);
        return { dispose: () => this.listeners.delete(listener) };
    };

    fire(value: T): void {
        for (const listener of [...this.listeners]) {
            try {
                listener(value);
            } catch (error) {
                this.onListenerError(error);
            }
        }
    }

    dispose(): void {
        this.listeners.clear();
    }
}
