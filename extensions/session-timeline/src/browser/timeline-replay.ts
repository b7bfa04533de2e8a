import type { Disposable } from '@theia/core/lib/common/disposable';

/** How often a replay steps to the next event. */
export const TimelineReplayStepMs = 150;

/**
 * A replay of a session: one step forward every 150 ms until the last event. It stops at the end,
 * when the user stops it, when another session opens and when its view is disposed (no timer
 * outlives the model).
 */
export class TimelineReplay implements Disposable {

    protected timer: ReturnType<typeof setInterval> | undefined;

    constructor(
        protected readonly step: () => void,
        protected readonly atEnd: () => boolean,
        protected readonly changed: () => void,
    ) { }

    get playing(): boolean {
        return this.timer !== undefined;
    }

    toggle(): void {
        if (this.timer) {
            this.stop();
        } else {
            this.timer = setInterval(() => {
                if (this.atEnd()) {
                    this.stop();
                } else {
                    this.step();
                }
            }, TimelineReplayStepMs);
        }
        this.changed();
    }

    stop(): void {
        if (this.timer) {
            clearInterval(this.timer);
            this.timer = undefined;
            this.changed();
        }
    }

    dispose(): void {
        this.stop();
    }
}
