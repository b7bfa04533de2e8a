import { Emitter, Event } from '@theia/core/lib/common/event';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { StudioViewModel } from '@coditect/studio-platform/browser';
import { SessionTimelinePreferences, TimelineFollowLivePreference, TimelinePageSizePreference } from '../common/session-timeline-preferences';
import {
    SeekTarget, SessionInfo, SessionTimelineService, TimelineEvent, TimelineEventSummary, TimelineFilter, TimelineGrowth,
} from '../common/session-timeline-protocol';
import { SessionTimelineClientImpl } from './session-timeline-client-impl';
import { TimelineFilters } from './timeline-filters';
import { TimelinePaging } from './timeline-paging';
import { TimelineReplay } from './timeline-replay';

/** Where to open a session: a position, a sequence number, the end; optionally narrowed. */
export interface TimelineReveal {
    readonly target?: SeekTarget | 'end';
    readonly agentId?: string;
    readonly taskId?: number;
}

const errorText = (error: unknown) => error instanceof Error ? error.message : String(error);

/**
 * The state of one Session Timeline and how it is read: the sessions, the chosen one, the events
 * fetched so far (by index in the filtered session), the scrubber's position, the selected event
 * and its detail, following a live session and replaying. Only what is on screen is fetched
 * (pages of the preference's size); a seek is one round trip. Every change fires `onDidChange`; a
 * selection the list should scroll to fires `onDidRequestScroll` with its index. What the user
 * points it at (a reveal, the scrubber, the filters) is `SessionTimelineModel`'s.
 */
@injectable()
export abstract class SessionTimelineState extends StudioViewModel {

    @inject(SessionTimelineService) protected readonly service: SessionTimelineService;
    @inject(SessionTimelineClientImpl) protected readonly client: SessionTimelineClientImpl;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(SessionTimelinePreferences) protected readonly preferences: SessionTimelinePreferences;

    protected readonly scrollRequested = new Emitter<number>();
    /** The list should bring this index into view (a seek, a step, a replay). */
    readonly onDidRequestScroll: Event<number> = this.scrollRequested.event;

    protected _sessions: SessionInfo[] = [];
    protected _session: SessionInfo | undefined;
    protected _loadError: string | undefined;
    protected filters = TimelineFilters.none;
    protected paging: TimelinePaging;
    protected replay: TimelineReplay;
    /** The scrubber: a position `n` in the whole session. */
    protected _position = 0;
    protected _selected: TimelineEventSummary | undefined;
    protected _selectedIndex = -1;
    protected _detail: TimelineEvent | undefined;
    protected _detailError: string | undefined;
    protected _following = false;
    /** Only the latest seek's answer is applied. */
    protected seekSerial = 0;
    /** Whether the view is on screen: a live session is followed with seeks only while it is. */
    protected isShown: () => boolean = () => true;
    protected loaded: Promise<void>;

    @postConstruct()
    protected init(): void {
        this.paging = new TimelinePaging(this.service, () => this.pageSize);
        this.replay = new TimelineReplay(() => this.step(1), () => this._selectedIndex >= this.total - 1, () => this.fire());
        this.toDispose.push(this.scrollRequested);
        this.toDispose.push(this.client.onDidGrow(growth => this.onGrow(growth)));
        this.toDispose.push(this.client.onDidChangeSessions(() => void this.reloadSessions()));
        this.toDispose.push(this.preferences.onPreferenceChanged(e => {
            if (e.preferenceName === TimelinePageSizePreference) {
                this.paging.resize();
                void this.refilter();
            }
        }));
        this.toDispose.push(this.replay);
        this.loaded = this.reloadSessions(true);
    }

    /** Settles once the sessions were first read (and the initial one opened). */
    get ready(): Promise<void> { return this.loaded; }
    get sessions(): readonly SessionInfo[] { return this._sessions; }
    get session(): SessionInfo | undefined { return this._session; }
    get loadError(): string | undefined { return this._loadError; }
    /** Events matching the filters (all of the session's when unfiltered). */
    get total(): number { return this.paging.total; }
    /** Changes whenever indexes start meaning other events (another session or filter). */
    get generation(): number { return this.paging.generation; }
    get position(): number { return this._position; }
    get selected(): TimelineEventSummary | undefined { return this._selected; }
    get selectedIndex(): number { return this._selectedIndex; }
    get detail(): TimelineEvent | undefined { return this._detail; }
    get detailError(): string | undefined { return this._detailError; }
    get following(): boolean { return this._following; }
    get playing(): boolean { return this.replay.playing; }

    get filtered(): boolean { return this.filters.active; }

    /** The fetched event at `index` of the filtered session, if fetched. */
    eventAt(index: number): TimelineEventSummary | undefined {
        return this.paging.eventAt(index);
    }

    /** The session and event the view is at (for "show the workspace at this point"). */
    get point(): { sessionId: string; seq: number; session: SessionInfo } | undefined {
        return this._session && this._selected ? { sessionId: this._session.id, seq: this._selected.seq, session: this._session } : undefined;
    }

    /** The view says how to tell whether it is on screen. */
    setVisibility(isShown: () => boolean): void {
        this.isShown = isShown;
    }

    protected get pageSize(): number {
        return Math.max(50, Math.min(1000, this.preferences[TimelinePageSizePreference] ?? 200));
    }

    async reloadSessions(selectInitial = false): Promise<void> {
        try {
            this._sessions = await this.service.sessions();
            this._loadError = undefined;
        } catch (error) {
            this._loadError = errorText(error);
            this.fire();
            return;
        }
        if (this._session) {
            const id = this._session.id;
            this._session = this._sessions.find(s => s.id === id) ?? this._session;
        }
        if (selectInitial && !this._session) {
            const initial = this._sessions.find(s => s.live) ?? this._sessions[0];
            if (initial) {
                await this.openSession(initial.id);
            }
        }
        this.fire();
    }

    /** Opens a session; another session (or a narrowing reveal) starts from no filters but the reveal's. */
    async openSession(id: string, reveal: TimelineReveal = {}): Promise<void> {
        const session = this._sessions.find(s => s.id === id);
        if (!session) {
            this.messages.warn(nls.localize('coditect/session-timeline/session-gone', 'There is no session "{0}" any more.', id));
            return;
        }
        const switching = this._session?.id !== id;
        this._session = session;
        if (switching || reveal.agentId !== undefined || reveal.taskId !== undefined) {
            this.filters = reveal.agentId !== undefined ? TimelineFilters.onlyLane(session, reveal.agentId, reveal.taskId) : TimelineFilters.onlyTask(reveal.taskId);
        }
        this.paging.reset();
        this._selected = undefined;
        this._detail = undefined;
        this.stopPlaying();
        const target = reveal.target ?? (session.live ? 'end' : { n: 0 });
        await this.seekTo(target === 'end' ? { n: Math.max(0, session.eventCount - 1) } : target);
        this._following = target === 'end' && session.live;
    }

    protected filter(): TimelineFilter {
        return this.filters.toFilter(this._session);
    }

    /** One round trip: the filter's index of the target, the events from there; selects the first and scrolls to it. */
    async seekTo(target: SeekTarget, options: { select?: boolean } = {}): Promise<void> {
        const session = this._session;
        if (!session) {
            return;
        }
        const serial = ++this.seekSerial;
        try {
            const result = await this.paging.seek(session.id, target, this.filter(), () => serial === this.seekSerial && session === this._session);
            if (!result) {
                return;
            }
            this._loadError = undefined;
            const first = result.events[0];
            if (first && options.select !== false) {
                this.select(first, result.index, { scroll: true });
            } else if (!first && result.total > 0 && options.select !== false) {
                // Past the last matching event: show the last one.
                await this.seekToIndex(result.total - 1);
                return;
            }
        } catch (error) {
            this._loadError = errorText(error);
        }
        this.fire();
    }

    /** The end of the session (the End key). */
    seekToEnd(): Promise<void> {
        return this.seekTo({ n: Math.max(0, (this._session?.eventCount ?? 1) - 1) });
    }

    protected async seekToIndex(index: number): Promise<void> {
        const session = this._session;
        if (!session) {
            return;
        }
        const event = await this.paging.readOne(session.id, this.filter(), index);
        if (event) {
            this.select(event, index, { scroll: true });
        }
        this.fire();
    }

    /** Fetches the pages of the visible range (and half a page either side) that are not held yet. */
    fetchRange(start: number, end: number): void {
        const session = this._session;
        if (!session) {
            return;
        }
        this.paging.readRange(session.id, this.filter(), start, end, () => this.fire(), error => {
            this._loadError = errorText(error);
            this.fire();
        });
    }

    select(event: TimelineEventSummary, index: number, options: { scroll?: boolean } = {}): void {
        this._selected = event;
        this._selectedIndex = index;
        this._position = event.n;
        this._following = !!this._session?.live && event.n >= this._session.eventCount - 1;
        if (options.scroll) {
            this.scrollRequested.fire(index);
        }
        void this.loadDetail(event.seq);
        this.fire();
    }

    protected async loadDetail(seq: number): Promise<void> {
        try {
            const detail = await this.service.event(seq);
            if (this._selected?.seq === seq) {
                this._detail = detail;
                this._detailError = undefined;
            }
        } catch (error) {
            this._detailError = errorText(error);
        }
        this.fire();
    }

    protected async refilter(): Promise<void> {
        this.paging.reset();
        await this.seekTo({ n: this._position });
    }

    /** The view is on screen again: a followed live session that grew meanwhile is caught up with one seek. */
    catchUp(): void {
        const session = this._session;
        if (this._following && session?.live && this._selected && this._selected.n < session.eventCount - 1) {
            void this.seekTo({ n: session.eventCount - 1 });
        }
    }

    /** A live session grew: count it, page in the end if it is on screen, and follow it when at the end. */
    protected onGrow(growth: TimelineGrowth): void {
        const known = this._sessions.findIndex(s => s.id === growth.sessionId);
        if (known >= 0) {
            this._sessions[known] = { ...this._sessions[known], eventCount: growth.eventCount, lastAt: growth.lastAt, lanes: growth.lanes };
        }
        const session = this._session;
        if (!session || session.id !== growth.sessionId) {
            this.fire();
            return;
        }
        this._session = { ...session, eventCount: growth.eventCount, lastAt: growth.lastAt, lanes: growth.lanes };
        if (this._following && !this.isShown()) {
            // Caught up when shown again (catchUp), rather than a seek per beat for a view nobody sees.
            this.fire();
            return;
        }
        if (this._following && this.preferences[TimelineFollowLivePreference] !== false) {
            void this.seekTo({ n: growth.eventCount - 1 }).then(() => {
                this._following = true;
            });
            return;
        }
        this.paging.grew(session.id, this.filter(), this.filtered, growth.eventCount, () => this.fire());
    }

    /** Moves the selection by `delta` events of the filtered session (fetching the target when not held). */
    step(delta: number): void {
        if (this.total === 0) {
            return;
        }
        const index = Math.max(0, Math.min(this.total - 1, (this._selectedIndex < 0 ? 0 : this._selectedIndex) + delta));
        const cached = this.paging.eventAt(index);
        if (cached) {
            this.select(cached, index, { scroll: true });
        } else {
            void this.seekToIndex(index);
        }
    }

    /** Replays: one event every 150 ms until the last. */
    togglePlay(): void {
        this.replay.toggle();
    }

    stopPlaying(): void {
        this.replay.stop();
    }
}
