import * as React from '@theia/core/shared/react';
import { Virtuoso } from '@theia/core/shared/react-virtuoso';
import { codicon, Message, ReactWidget, Widget } from '@theia/core/lib/browser';
import { QuickInputService } from '@theia/core/lib/browser/quick-input/quick-input-service';
import { CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { SessionTimelinePreferences, TimelinePageSizePreference } from '../common/session-timeline-preferences';
import {
    SeekTarget, SessionInfo, SessionTimelineService, TimelineEvent, TimelineEventKind, TimelineEventSummary, TimelineFilter, TimelineGrowth, TimelineLane,
} from '../common/session-timeline-protocol';
import { SessionTimelineClientImpl } from './session-timeline-client-impl';
import { SessionTimelineCommands } from './session-timeline-commands';
import { TimelineEventCache } from './timeline-event-cache';
import { TimelineEventDetail } from './timeline-event-detail';
import { TimelineEventRow, TimelineRowHeight } from './timeline-event-row';
import { TimelineFilterBar } from './timeline-filter-bar';
import { TimelineHeader } from './timeline-header';
import { TimelineLabels } from './timeline-labels';
import { TimelineScrubber } from './timeline-scrubber';
import { TimelineSessionList } from './timeline-session-list';


/** Where to open a session: a position, a sequence number, the end; optionally narrowed. */
export interface TimelineReveal {
    readonly target?: SeekTarget | 'end';
    readonly agentId?: string;
    readonly taskId?: number;
}

/**
 * The Session Timeline: the sessions, a scrubber over the chosen one, its events as a
 * virtualised list in agent lanes, and the selected event's detail. Only what is on screen is
 * fetched (pages of the preference's size); a seek is one round trip.
 */
@injectable()
export class SessionTimelineWidget extends ReactWidget {
    static readonly ID = 'coditect-session-timeline';
    static readonly LABEL = 'Session Timeline';

    @inject(SessionTimelineService) protected readonly service: SessionTimelineService;
    @inject(SessionTimelineClientImpl) protected readonly client: SessionTimelineClientImpl;
    @inject(CommandService) protected readonly commands: CommandService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(SessionTimelinePreferences) protected readonly preferences: SessionTimelinePreferences;

    protected sessions: SessionInfo[] = [];
    protected session: SessionInfo | undefined;
    protected loadError: string | undefined;
    protected hiddenLanes = new Set<string>();
    protected kinds: TimelineEventKind[] | undefined;
    protected pathFilter = '';
    protected taskFilter: number | undefined;
    protected total = 0;
    protected cache = new TimelineEventCache(200);
    /** The scrubber: a position `n` in the whole session. */
    protected position = 0;
    protected selected: TimelineEventSummary | undefined;
    protected selectedIndex = -1;
    protected detail: TimelineEvent | undefined;
    protected detailError: string | undefined;
    protected following = false;
    protected playing: ReturnType<typeof setInterval> | undefined;
    protected scrubTimer: ReturnType<typeof setTimeout> | undefined;
    protected pathTimer: ReturnType<typeof setTimeout> | undefined;
    protected seekSerial = 0;
    protected renders = 0;
    protected pendingScroll: number | undefined;
    protected scroller: HTMLElement | undefined;
    protected ready: Promise<void>;

    @postConstruct()
    protected init(): void {
        this.id = SessionTimelineWidget.ID;
        this.title.label = SessionTimelineWidget.LABEL;
        this.title.caption = 'Session Timeline: who did what, when, in every session; replay and rewind';
        this.title.iconClass = codicon('history');
        this.title.closable = true;
        this.addClass('coditect-session-timeline');
        this.node.tabIndex = 0;
        this.cache = new TimelineEventCache(this.pageSize);
        this.toDispose.push(this.client.onDidGrow(growth => this.onGrow(growth)));
        this.toDispose.push(this.client.onDidChangeSessions(() => void this.reloadSessions()));
        this.toDispose.push(this.preferences.onPreferenceChanged(e => {
            if (e.preferenceName === TimelinePageSizePreference) {
                this.cache = new TimelineEventCache(this.pageSize, this.cache);
                void this.refilter();
            }
        }));
        this.toDispose.push({ dispose: () => this.stopPlaying() });
        this.ready = this.reloadSessions(true);
    }

    protected override onActivateRequest(msg: Message): void {
        super.onActivateRequest(msg);
        this.node.focus();
    }

    protected get pageSize(): number {
        return Math.max(50, Math.min(1000, this.preferences[TimelinePageSizePreference] ?? 200));
    }

    /** The session and event the view is at (for "show the workspace at this point"). */
    get point(): { sessionId: string; seq: number; session: SessionInfo } | undefined {
        return this.session && this.selected ? { sessionId: this.session.id, seq: this.selected.seq, session: this.session } : undefined;
    }

    /** Opens a session (default: the live one, else the newest) at a point, optionally narrowed to an agent or a task. */
    async reveal(sessionId: string | undefined, reveal: TimelineReveal = {}): Promise<void> {
        await this.ready;
        if (!this.sessions.some(s => s.id === sessionId)) {
            await this.reloadSessions();
        }
        const id = sessionId ?? this.sessions.find(s => s.live)?.id ?? this.sessions[0]?.id;
        if (!id) {
            return;
        }
        await this.openSession(id, reveal);
    }

    // ---- loading ----

    protected async reloadSessions(selectInitial = false): Promise<void> {
        try {
            this.sessions = await this.service.sessions();
            this.loadError = undefined;
        } catch (error) {
            this.loadError = error instanceof Error ? error.message : String(error);
            this.update();
            return;
        }
        if (this.session) {
            this.session = this.sessions.find(s => s.id === this.session!.id) ?? this.session;
        }
        if (selectInitial && !this.session) {
            const initial = this.sessions.find(s => s.live) ?? this.sessions[0];
            if (initial) {
                await this.openSession(initial.id);
            }
        }
        this.update();
    }

    protected async openSession(id: string, reveal: TimelineReveal = {}): Promise<void> {
        const session = this.sessions.find(s => s.id === id);
        if (!session) {
            this.messages.warn(`There is no session "${id}" any more.`);
            return;
        }
        const switching = this.session?.id !== id;
        this.session = session;
        if (switching || reveal.agentId !== undefined || reveal.taskId !== undefined) {
            this.hiddenLanes = reveal.agentId !== undefined ? new Set(TimelineLabels.lanesOf(session).map(l => l.id).filter(l => l !== reveal.agentId)) : new Set();
            this.kinds = undefined;
            this.pathFilter = '';
            this.taskFilter = reveal.taskId;
        }
        this.cache.reset();
        this.selected = undefined;
        this.detail = undefined;
        this.stopPlaying();
        const target = reveal.target ?? (session.live ? 'end' : { n: 0 });
        await this.seekTo(target === 'end' ? { n: Math.max(0, session.eventCount - 1) } : target);
        this.following = target === 'end' && session.live;
    }

    protected filter(): TimelineFilter {
        const lanes = TimelineLabels.lanesOf(this.session);
        const path = this.pathFilter.trim();
        return {
            ...(this.hiddenLanes.size ? { agents: lanes.map(l => l.id).filter(id => !this.hiddenLanes.has(id)) } : {}),
            ...(this.kinds ? { kinds: this.kinds } : {}),
            ...(path ? { path } : {}),
            ...(this.taskFilter !== undefined ? { taskId: this.taskFilter } : {}),
        };
    }

    protected get filtered(): boolean {
        return this.hiddenLanes.size > 0 || this.kinds !== undefined || this.pathFilter.trim() !== '' || this.taskFilter !== undefined;
    }

    /** One round trip: the filter's index of the target, the events from there; selects the first and scrolls to it. */
    protected async seekTo(target: SeekTarget, options: { select?: boolean } = {}): Promise<void> {
        const session = this.session;
        if (!session) {
            return;
        }
        const serial = ++this.seekSerial;
        const generation = this.cache.generation;
        try {
            const result = await this.service.seek(session.id, target, this.filter(), this.pageSize);
            if (serial !== this.seekSerial || session !== this.session) {
                return;
            }
            this.total = result.total;
            this.cache.store(generation, result.index, result.events);
            this.loadError = undefined;
            const first = result.events[0];
            if (first && options.select !== false) {
                this.select(first, result.index, { scroll: true });
            } else if (!first && result.total > 0 && options.select !== false) {
                // Past the last matching event: show the last one.
                await this.seekToIndex(result.total - 1);
                return;
            }
        } catch (error) {
            this.loadError = error instanceof Error ? error.message : String(error);
        }
        this.update();
    }

    protected async seekToIndex(index: number): Promise<void> {
        const session = this.session;
        if (!session) {
            return;
        }
        const generation = this.cache.generation;
        const page = await this.service.page(session.id, this.filter(), index, 1);
        this.total = page.total;
        this.cache.store(generation, index, page.events);
        if (page.events[0]) {
            this.select(page.events[0], index, { scroll: true });
        }
        this.update();
    }

    /** Fetches the pages of the visible range (and half a page either side) that are not held yet. */
    protected fetchRange(start: number, end: number): void {
        const session = this.session;
        if (!session) {
            return;
        }
        const half = Math.floor(this.pageSize / 2);
        const generation = this.cache.generation;
        for (const offset of this.cache.missing(start - half, end + half, this.total)) {
            this.service.page(session.id, this.filter(), offset, this.pageSize).then(page => {
                if (!this.cache.store(generation, offset, page.events)) {
                    return;
                }
                if (page.events.length < Math.min(this.pageSize, page.total - offset)) {
                    this.cache.release(offset);
                }
                this.total = page.total;
                this.update();
            }, error => {
                this.cache.release(offset);
                this.loadError = error instanceof Error ? error.message : String(error);
                this.update();
            });
        }
    }

    protected select(event: TimelineEventSummary, index: number, options: { scroll?: boolean } = {}): void {
        this.selected = event;
        this.selectedIndex = index;
        this.position = event.n;
        this.following = !!this.session?.live && event.n >= this.session.eventCount - 1;
        if (options.scroll) {
            this.scrollAfterRender(index);
        }
        void this.loadDetail(event.seq);
        this.update();
    }

    /**
     * Scrolls the list to `index` once the render under way has committed: the list may not
     * exist yet (the first seek), or may not know the new total yet (a live session grew).
     */
    protected scrollAfterRender(index: number): void {
        this.pendingScroll = index;
        requestAnimationFrame(() => requestAnimationFrame(() => this.flushPendingScroll()));
    }

    /**
     * Scrolls to the pending index once the list is on screen with a size; until then it stays
     * pending (see onResize, onAfterShow). Rows have a fixed height, so the offset is exact: the
     * scroller is moved directly and the list renders what comes into view.
     */
    protected flushPendingScroll(): void {
        const scroller = this.scroller;
        if (this.pendingScroll === undefined || !scroller || !scroller.isConnected || scroller.clientHeight === 0) {
            return;
        }
        const lastTop = Math.max(0, this.total * TimelineRowHeight - scroller.clientHeight);
        const target = Math.min(lastTop, Math.max(0, this.pendingScroll * TimelineRowHeight - (scroller.clientHeight - TimelineRowHeight) / 2));
        scroller.scrollTop = target;
        // The list sizes its content after it mounts: until it is tall enough, the scroll stays pending (totalListHeightChanged).
        if (scroller.scrollHeight - scroller.clientHeight >= target - 1) {
            this.pendingScroll = undefined;
        }
    }

    /** A new list (another session or filter, or the first): it opens on the selected event. Bound once, so React calls it only on mount and unmount. */
    protected readonly onScroller = (element: HTMLElement | Window | null): void => {
        const scroller = element instanceof HTMLElement ? element : undefined;
        const fresh = scroller !== undefined && scroller !== this.scroller;
        this.scroller = scroller;
        if (fresh && (this.pendingScroll !== undefined || this.selectedIndex >= 0)) {
            this.scrollAfterRender(this.pendingScroll ?? this.selectedIndex);
        }
    };

    protected override onResize(msg: Widget.ResizeMessage): void {
        super.onResize(msg);
        this.flushPendingScroll();
    }

    protected override onAfterShow(msg: Message): void {
        super.onAfterShow(msg);
        if (this.following && this.session?.live && this.selected && this.selected.n < this.session.eventCount - 1) {
            void this.seekTo({ n: this.session.eventCount - 1 });
        }
        requestAnimationFrame(() => this.flushPendingScroll());
    }

    protected async loadDetail(seq: number): Promise<void> {
        try {
            const detail = await this.service.event(seq);
            if (this.selected?.seq === seq) {
                this.detail = detail;
                this.detailError = undefined;
            }
        } catch (error) {
            this.detailError = error instanceof Error ? error.message : String(error);
        }
        this.update();
    }

    protected async refilter(): Promise<void> {
        this.cache.reset();
        await this.seekTo({ n: this.position });
    }

    /** A live session grew: count it, page in the end if it is on screen, and follow it when at the end. */
    protected onGrow(growth: TimelineGrowth): void {
        const known = this.sessions.findIndex(s => s.id === growth.sessionId);
        if (known >= 0) {
            this.sessions[known] = { ...this.sessions[known], eventCount: growth.eventCount, lastAt: growth.lastAt, lanes: growth.lanes };
        }
        const session = this.session;
        if (!session || session.id !== growth.sessionId) {
            this.update();
            return;
        }
        this.session = { ...session, eventCount: growth.eventCount, lastAt: growth.lastAt, lanes: growth.lanes };
        if (this.following && !this.isVisible) {
            // Caught up when shown again (onAfterShow), rather than a seek per beat for a view nobody sees.
            this.update();
            return;
        }
        if (this.following && this.preferences['coditect.timeline.followLive'] !== false) {
            void this.seekTo({ n: growth.eventCount - 1 }).then(() => {
                this.following = true;
            });
            return;
        }
        const previous = this.total;
        this.cache.grew(previous);
        if (!this.filtered) {
            this.total = growth.eventCount;
            this.update();
        } else {
            const generation = this.cache.generation;
            this.service.page(session.id, this.filter(), previous, this.pageSize).then(page => {
                if (this.cache.store(generation, previous, page.events)) {
                    this.total = page.total;
                    this.update();
                }
            }, () => undefined);
        }
    }

    // ---- steering ----

    protected scrubTo(n: number): void {
        this.position = n;
        this.following = !!this.session?.live && n >= (this.session?.eventCount ?? 0) - 1;
        this.update();
        clearTimeout(this.scrubTimer);
        this.scrubTimer = setTimeout(() => void this.seekTo({ n }), 40);
    }

    protected step(delta: number): void {
        if (this.total === 0) {
            return;
        }
        const index = Math.max(0, Math.min(this.total - 1, (this.selectedIndex < 0 ? 0 : this.selectedIndex) + delta));
        const cached = this.cache.get(index);
        if (cached) {
            this.select(cached, index, { scroll: true });
        } else {
            void this.seekToIndex(index);
        }
    }

    protected togglePlay(): void {
        if (this.playing) {
            this.stopPlaying();
        } else {
            this.playing = setInterval(() => {
                if (this.selectedIndex >= this.total - 1) {
                    this.stopPlaying();
                } else {
                    this.step(1);
                }
            }, 150);
        }
        this.update();
    }

    protected stopPlaying(): void {
        if (this.playing) {
            clearInterval(this.playing);
            this.playing = undefined;
            this.update();
        }
    }

    protected toggleLane(id: string): void {
        const next = new Set(this.hiddenLanes);
        if (next.has(id)) {
            next.delete(id);
        } else {
            next.add(id);
        }
        if (next.size >= TimelineLabels.lanesOf(this.session).length) {
            this.messages.info('At least one lane stays visible; show another lane before hiding this one.');
            return;
        }
        this.hiddenLanes = next;
        void this.refilter();
    }

    protected async pickKinds(): Promise<void> {
        const current = new Set(this.kinds ?? TimelineLabels.allKinds);
        const picked = await this.quickInput.pick(TimelineLabels.allKinds.map(kind => ({ label: TimelineLabels.kindLabel[kind], kind, iconClasses: [...codicon(TimelineLabels.kindIcon[kind]).split(' ')], picked: current.has(kind) })), {
            canPickMany: true, placeHolder: 'Show which kinds of events?',
        });
        if (!picked) {
            return;
        }
        if (picked.length === 0) {
            this.messages.info('Pick at least one kind of event to show.');
            return;
        }
        this.kinds = picked.length === TimelineLabels.allKinds.length ? undefined : picked.map(p => p.kind);
        await this.refilter();
    }

    protected setPathFilter(value: string): void {
        this.pathFilter = value;
        this.update();
        clearTimeout(this.pathTimer);
        this.pathTimer = setTimeout(() => void this.refilter(), 300);
    }

    protected clearFilters(): void {
        this.hiddenLanes = new Set();
        this.kinds = undefined;
        this.pathFilter = '';
        this.taskFilter = undefined;
        void this.refilter();
    }

    protected onKeyDown(e: React.KeyboardEvent): void {
        const keys: Record<string, () => void> = {
            ArrowDown: () => this.step(1), ArrowUp: () => this.step(-1), PageDown: () => this.step(20), PageUp: () => this.step(-20),
            Home: () => void this.seekTo({ n: 0 }), End: () => void this.seekTo({ n: Math.max(0, (this.session?.eventCount ?? 1) - 1) }),
        };
        const run = keys[e.key];
        // Inputs keep their keys (the scrubber moves itself with the arrows).
        if (run && !(e.target instanceof HTMLInputElement)) {
            e.preventDefault();
            run();
        }
    }

    // ---- rendering ----

    protected render(): React.ReactNode {
        return <div className='coditect-timeline' onKeyDown={e => this.onKeyDown(e)}>
            {this.renderSessions()}
            <div className='coditect-timeline-main'>
                {this.session ? <>
                    {this.renderHeader(this.session)}
                    {this.renderScrubber(this.session)}
                    {this.renderFilters(this.session)}
                    {this.renderList(this.session)}
                    {this.renderDetail(this.session)}
                </> : <div className='theia-widget-noInfo'>{this.loadError
                    ? `The session timeline could not be loaded: ${this.loadError}`
                    : 'No sessions yet. Every run of the studio is recorded as a session; agent transcripts can be imported (CODITECT: Import Agent Transcript…).'}</div>}
            </div>
        </div>;
    }

    protected renderSessions(): React.ReactNode {
        return <TimelineSessionList sessions={this.sessions} selectedId={this.session?.id} onOpen={id => void this.openSession(id)}
            onImport={() => this.commands.executeCommand(SessionTimelineCommands.IMPORT.id)} onRefresh={() => void this.reloadSessions()} />;
    }

    protected renderHeader(session: SessionInfo): React.ReactNode {
        return <TimelineHeader session={session} hasSelection={!!this.selected}
            onShowWorkspaceAt={() => this.commands.executeCommand(SessionTimelineCommands.SHOW_WORKSPACE_AT.id)} />;
    }

    protected renderScrubber(session: SessionInfo): React.ReactNode {
        return <TimelineScrubber session={session} position={this.position} selected={this.selected} playing={!!this.playing} following={this.following}
            onSeek={n => void this.seekTo({ n })} onStep={delta => this.step(delta)} onTogglePlay={() => this.togglePlay()} onScrub={n => this.scrubTo(n)} />;
    }

    protected renderFilters(session: SessionInfo): React.ReactNode {
        return <TimelineFilterBar session={session} hiddenLanes={this.hiddenLanes} kinds={this.kinds} pathFilter={this.pathFilter} taskFilter={this.taskFilter}
            matching={this.filtered ? this.total : undefined} onToggleLane={id => this.toggleLane(id)} onPickKinds={() => void this.pickKinds()}
            onPathFilter={value => this.setPathFilter(value)} onClearTask={() => { this.taskFilter = undefined; void this.refilter(); }} onClearAll={() => this.clearFilters()} />;
    }

    protected renderList(session: SessionInfo): React.ReactNode {
        const lanes = TimelineLabels.lanesOf(session);
        if (this.total === 0) {
            return <div className='coditect-timeline-list coditect-timeline-empty'>{this.loadError ?? (this.filtered ? 'No event matches the filters.' : 'No events in this session yet.')}</div>;
        }
        // A new list per session and filter, opened on the selected event (onScroller; Virtuoso's own initial
        // index would race with it); `context` changes every render, so rows
        // re-render when their page arrives (the list itself only re-renders rows whose index range changed).
        return <div className='coditect-timeline-list'>
            <Virtuoso key={`${session.id}:${this.cache.generation}`} style={{ height: '100%' }} totalCount={this.total} fixedItemHeight={TimelineRowHeight}
                increaseViewportBy={TimelineRowHeight * 10} context={{ render: ++this.renders }}
                scrollerRef={this.onScroller}
                totalListHeightChanged={() => this.flushPendingScroll()}
                rangeChanged={range => this.fetchRange(range.startIndex, range.endIndex)}
                itemContent={index => this.renderRow(index, lanes, session)} />
        </div>;
    }

    protected renderRow(index: number, lanes: readonly TimelineLane[], session: SessionInfo): React.ReactNode {
        const event = this.cache.get(index);
        return <TimelineEventRow event={event} lanes={lanes} session={session} selected={!!event && event.seq === this.selected?.seq}
            onSelect={e => this.select(e, index)}
            onOpenDiff={e => this.commands.executeCommand(SessionTimelineCommands.OPEN_DIFF.id, { sessionId: session.id, path: e.path, seq: e.seq })} />;
    }

    protected renderDetail(session: SessionInfo): React.ReactNode {
        return <div className='coditect-timeline-detail'>
            {this.detailError ? <div className='coditect-timeline-error'>{this.detailError}</div>
                : this.detail && this.detail.seq === this.selected?.seq
                    ? <TimelineEventDetail event={this.detail} session={session} commands={this.commands}
                        onTask={taskId => { this.taskFilter = taskId; void this.refilter(); }} />
                    : <div className='coditect-timeline-detail-empty'>{this.selected ? 'Loading…' : 'Select an event to see what happened.'}</div>}
        </div>;
    }
}
