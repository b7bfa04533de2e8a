import { nls } from '@theia/core/lib/common/nls';
import { injectable, postConstruct } from '@theia/core/shared/inversify';
import { TimelineEventKind } from '../common/session-timeline-protocol';
import { SessionTimelineState, TimelineReveal } from './session-timeline-state';
import { TimelineFilters } from './timeline-filters';
import { TimelineLabels } from './timeline-labels';

export type { TimelineReveal } from './session-timeline-state';

/**
 * One Session Timeline (its state and reading are `SessionTimelineState`'s) and where the user
 * points it: a reveal from another view, the scrubber, the filters. The scrubber and the path
 * filter apply once the input rests, so dragging or typing costs one seek, not one per change.
 */
@injectable()
export class SessionTimelineModel extends SessionTimelineState {

    protected scrubTimer: ReturnType<typeof setTimeout> | undefined;
    protected pathTimer: ReturnType<typeof setTimeout> | undefined;

    @postConstruct()
    protected override init(): void {
        super.init();
        this.toDispose.push({
            dispose: () => {
                clearTimeout(this.scrubTimer);
                clearTimeout(this.pathTimer);
            },
        });
    }

    get hiddenLanes(): ReadonlySet<string> { return this.filters.hiddenLanes; }
    get kinds(): readonly TimelineEventKind[] | undefined { return this.filters.kinds; }
    get pathFilter(): string { return this.filters.path; }
    get taskFilter(): number | undefined { return this.filters.taskId; }

    /** Opens a session (default: the live one, else the newest) at a point, optionally narrowed to an agent or a task. */
    async reveal(sessionId: string | undefined, reveal: TimelineReveal = {}): Promise<void> {
        await this.loaded;
        if (!this._sessions.some(s => s.id === sessionId)) {
            await this.reloadSessions();
        }
        const id = sessionId ?? this._sessions.find(s => s.live)?.id ?? this._sessions[0]?.id;
        if (!id) {
            return;
        }
        await this.openSession(id, reveal);
    }

    /** The scrubber moves at once; the seek follows once it rests for 40 ms. */
    scrubTo(n: number): void {
        this._position = n;
        this._following = !!this._session?.live && n >= (this._session?.eventCount ?? 0) - 1;
        this.fire();
        clearTimeout(this.scrubTimer);
        this.scrubTimer = setTimeout(() => void this.seekTo({ n }), 40);
    }

    /** Hides or shows an agent's lane; the last visible lane stays. */
    toggleLane(id: string): void {
        const next = new Set(this.filters.hiddenLanes);
        if (!next.delete(id)) {
            next.add(id);
        }
        if (next.size >= TimelineLabels.lanesOf(this._session).length) {
            this.messages.info(nls.localize('coditect/session-timeline/last-lane', 'At least one lane stays visible; show another lane before hiding this one.'));
            return;
        }
        this.filters = this.filters.withHiddenLanes(next);
        void this.refilter();
    }

    /** `undefined`: every kind. */
    setKinds(kinds: readonly TimelineEventKind[] | undefined): Promise<void> {
        this.filters = this.filters.withKinds(kinds);
        return this.refilter();
    }

    /** The path filter applies once typing rests for 300 ms. */
    setPathFilter(value: string): void {
        this.filters = this.filters.withPath(value);
        this.fire();
        clearTimeout(this.pathTimer);
        this.pathTimer = setTimeout(() => void this.refilter(), 300);
    }

    setTaskFilter(taskId: number | undefined): Promise<void> {
        this.filters = this.filters.withTask(taskId);
        return this.refilter();
    }

    clearFilters(): Promise<void> {
        this.filters = TimelineFilters.none;
        return this.refilter();
    }
}
