import type { SessionWriter, WriterInput } from './session-writer';
import type { FileEditInput, TimelineEventInput, TimelineEventSummary } from './timeline-types';

export interface TimelineRecorderOptions {
    /** How long events gather before one transaction writes them. Default 25 ms. */
    readonly flushDelayMs?: number;
    /** A batch this large is written at the next turn of the event loop, without waiting. Default 2000. */
    readonly maxBatch?: number;
    readonly now?: () => number;
    readonly onAppend: (events: readonly TimelineEventSummary[]) => void;
}

/**
 * The live session's recorder. `record` only stamps the event with the time and queues it, so a
 * source (the orchestrator's event stream, the lock manager) is never held up by the database;
 * a timer then writes the queue in one transaction.
 *
 * Invariants:
 * - Events are written in the order `record` was called: one queue, drained whole, in order.
 *   Their sequence numbers (rowids in commit order) therefore follow the order the sources
 *   emitted them, across agents.
 * - A batch that cannot be written (sessions.db down) is dropped, counted and reported in
 *   health; the queue never grows without bound.
 */
export class TimelineRecorder {
    protected queue: WriterInput[] = [];
    protected timer: NodeJS.Timeout | undefined;
    protected immediate: NodeJS.Immediate | undefined;
    protected stopped = false;
    protected dropped = 0;
    protected failure: string | undefined;
    protected written = 0;

    constructor(readonly writer: SessionWriter, protected readonly options: TimelineRecorderOptions) { }

    record(event: TimelineEventInput): void {
        if (!this.stopped) {
            this.queue.push({ type: 'event', event: event.at === undefined ? { ...event, at: this.now() } : event });
            this.schedule();
        }
    }

    recordFileEdit(edit: FileEditInput): void {
        if (!this.stopped) {
            this.queue.push({ type: 'file-edit', edit: edit.at === undefined ? { ...edit, at: this.now() } : edit });
            this.schedule();
        }
    }

    /** Writes what is queued now. */
    flush(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (this.immediate) {
            clearImmediate(this.immediate);
            this.immediate = undefined;
        }
        if (this.queue.length === 0) {
            return;
        }
        const batch = this.queue;
        this.queue = [];
        let events: TimelineEventSummary[];
        try {
            events = this.writer.write(batch);
        } catch (error) {
            this.dropped += batch.length;
            this.failure = `${batch.length} events could not be recorded: ${(error as Error).message}`;
            return;
        }
        this.written += events.length;
        this.failure = undefined;
        this.options.onAppend(events);
    }

    /** Writes what is queued and records nothing more. */
    stop(): void {
        this.flush();
        this.stopped = true;
    }

    status(): { readonly written: number; readonly queued: number; readonly dropped: number; readonly failure?: string } {
        return { written: this.written, queued: this.queue.length, dropped: this.dropped, failure: this.failure };
    }

    protected schedule(): void {
        if (this.queue.length >= (this.options.maxBatch ?? 2000)) {
            this.immediate ??= setImmediate(() => {
                this.immediate = undefined;
                this.flush();
            });
        } else if (!this.timer) {
            this.timer = setTimeout(() => {
                this.timer = undefined;
                this.flush();
            }, this.options.flushDelayMs ?? 25);
        }
    }

    protected now(): number {
        return this.options.now?.() ?? Date.now();
    }
}
