import * as React from '@theia/core/shared/react';
import { Virtuoso } from '@theia/core/shared/react-virtuoso';
import { codicon, Message, ReactWidget, Widget } from '@theia/core/lib/browser';
import { QuickInputService } from '@theia/core/lib/browser/quick-input/quick-input-service';
import { CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import type { SessionInfo, TimelineLane } from '../common/session-timeline-protocol';
import { SessionTimelineCommands } from './session-timeline-commands';
import { SessionTimelineModel, TimelineReveal } from './session-timeline-model';
import { TimelineEventDetail } from './timeline-event-detail';
import { TimelineEventRow, TimelineRowHeight } from './timeline-event-row';
import { TimelineFilterBar } from './timeline-filter-bar';
import { TimelineHeader } from './timeline-header';
import { TimelineLabels } from './timeline-labels';
import { TimelineScrubber } from './timeline-scrubber';
import { TimelineSessionList } from './timeline-session-list';
import { StudioViews } from '@coditect/studio-platform/common';

export type { TimelineReveal } from './session-timeline-model';

/**
 * The Session Timeline's view: the sessions, a scrubber over the chosen one, its events as a
 * virtualised list in agent lanes, and the selected event's detail. What it shows and fetches is
 * `SessionTimelineModel`'s; the view renders it, keeps the list scrolled to the selection, and
 * turns keys, clicks and pickers into the model's calls and the extension's commands.
 */
@injectable()
export class SessionTimelineWidget extends ReactWidget {
    static readonly ID = StudioViews.sessionTimeline;
    static readonly LABEL = nls.localize('coditect/session-timeline/view-title', 'Session Timeline');

    @inject(SessionTimelineModel) readonly model: SessionTimelineModel;
    @inject(CommandService) protected readonly commands: CommandService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;

    protected renders = 0;
    /** The index the list should scroll to once it can (see flushPendingScroll). */
    protected pendingScroll: number | undefined;
    protected scroller: HTMLElement | undefined;

    @postConstruct()
    protected init(): void {
        this.id = SessionTimelineWidget.ID;
        this.title.label = SessionTimelineWidget.LABEL;
        this.title.caption = nls.localize('coditect/session-timeline/view-caption', 'Session Timeline: who did what, when, in every session; replay and rewind');
        this.title.iconClass = codicon('history');
        this.title.closable = true;
        this.addClass(StudioViews.sessionTimeline);
        this.node.tabIndex = 0;
        this.model.setVisibility(() => this.isVisible);
        this.toDispose.push(this.model);
        this.toDispose.push(this.model.onDidChange(() => this.update()));
        this.toDispose.push(this.model.onDidRequestScroll(index => this.scrollAfterRender(index)));
    }

    protected override onActivateRequest(msg: Message): void {
        super.onActivateRequest(msg);
        this.node.focus();
    }

    /** The session and event the view is at (for "show the workspace at this point"). */
    get point(): { sessionId: string; seq: number; session: SessionInfo } | undefined {
        return this.model.point;
    }

    /** Opens a session (default: the live one, else the newest) at a point, optionally narrowed to an agent or a task. */
    reveal(sessionId: string | undefined, reveal: TimelineReveal = {}): Promise<void> {
        return this.model.reveal(sessionId, reveal);
    }

    // ---- scrolling ----

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
        const lastTop = Math.max(0, this.model.total * TimelineRowHeight - scroller.clientHeight);
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
        if (fresh && (this.pendingScroll !== undefined || this.model.selectedIndex >= 0)) {
            this.scrollAfterRender(this.pendingScroll ?? this.model.selectedIndex);
        }
    };

    protected override onResize(msg: Widget.ResizeMessage): void {
        super.onResize(msg);
        this.flushPendingScroll();
    }

    protected override onAfterShow(msg: Message): void {
        super.onAfterShow(msg);
        this.model.catchUp();
        requestAnimationFrame(() => this.flushPendingScroll());
    }

    // ---- user actions ----

    protected async pickKinds(): Promise<void> {
        const current = new Set(this.model.kinds ?? TimelineLabels.allKinds);
        const picked = await this.quickInput.pick(TimelineLabels.allKinds.map(kind => ({
            label: TimelineLabels.kindLabel[kind], kind, iconClasses: [...codicon(TimelineLabels.kindIcon[kind]).split(' ')], picked: current.has(kind),
        })), {
            canPickMany: true, placeHolder: nls.localize('coditect/session-timeline/kinds-placeholder', 'Show which kinds of events?'),
        });
        if (!picked) {
            return;
        }
        if (picked.length === 0) {
            this.messages.info(nls.localize('coditect/session-timeline/kinds-none', 'Pick at least one kind of event to show.'));
            return;
        }
        await this.model.setKinds(picked.map(p => p.kind));
    }

    protected onKeyDown(e: React.KeyboardEvent): void {
        const model = this.model;
        const keys: Record<string, () => void> = {
            ArrowDown: () => model.step(1), ArrowUp: () => model.step(-1), PageDown: () => model.step(20), PageUp: () => model.step(-20),
            Home: () => void model.seekTo({ n: 0 }), End: () => void model.seekToEnd(),
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
        const model = this.model;
        const session = model.session;
        return <div className='coditect-timeline' onKeyDown={e => this.onKeyDown(e)}>
            <TimelineSessionList sessions={model.sessions} selectedId={session?.id} onOpen={id => void model.openSession(id)}
                onImport={() => this.commands.executeCommand(SessionTimelineCommands.IMPORT.id)} onRefresh={() => void model.reloadSessions()} />
            <div className='coditect-timeline-main'>
                {session ? <>
                    <TimelineHeader session={session} hasSelection={!!model.selected}
                        onShowWorkspaceAt={() => this.commands.executeCommand(SessionTimelineCommands.SHOW_WORKSPACE_AT.id)} />
                    <TimelineScrubber session={session} position={model.position} selected={model.selected} playing={model.playing} following={model.following}
                        onSeek={n => void model.seekTo({ n })} onStep={delta => model.step(delta)} onTogglePlay={() => model.togglePlay()} onScrub={n => model.scrubTo(n)} />
                    <TimelineFilterBar session={session} hiddenLanes={model.hiddenLanes} kinds={model.kinds} pathFilter={model.pathFilter} taskFilter={model.taskFilter}
                        matching={model.filtered ? model.total : undefined} onToggleLane={id => model.toggleLane(id)} onPickKinds={() => void this.pickKinds()}
                        onPathFilter={value => model.setPathFilter(value)} onClearTask={() => void model.setTaskFilter(undefined)} onClearAll={() => void model.clearFilters()} />
                    {this.renderList(session)}
                    {this.renderDetail(session)}
                </> : <div className='theia-widget-noInfo'>{model.loadError
                    ? nls.localize('coditect/session-timeline/load-failed', 'The session timeline could not be loaded: {0}', model.loadError)
                    : nls.localize('coditect/session-timeline/no-sessions',
                        'No sessions yet. Every run of the studio is recorded as a session; agent transcripts can be imported (CODITECT: Import Agent Transcript…).')}</div>}
            </div>
        </div>;
    }

    protected renderList(session: SessionInfo): React.ReactNode {
        const model = this.model;
        const lanes = TimelineLabels.lanesOf(session);
        if (model.total === 0) {
            return <div className='coditect-timeline-list coditect-timeline-empty'>{model.loadError ?? (model.filtered
                ? nls.localize('coditect/session-timeline/no-match', 'No event matches the filters.')
                : nls.localize('coditect/session-timeline/no-events', 'No events in this session yet.'))}</div>;
        }
        // A new list per session and filter, opened on the selected event. Virtuoso positions a new list at its
        // initial index once it knows its viewport (index 0 unless told), which can come after onScroller's
        // scroll and undo it: both aim at the same row. `context` changes every render, so rows re-render
        // when their page arrives (the list itself only re-renders rows whose index range changed).
        return <div className='coditect-timeline-list'>
            <Virtuoso key={`${session.id}:${model.generation}`} style={{ height: '100%' }} totalCount={model.total} fixedItemHeight={TimelineRowHeight}
                increaseViewportBy={TimelineRowHeight * 10} context={{ render: ++this.renders }}
                initialTopMostItemIndex={{ index: Math.max(0, this.pendingScroll ?? model.selectedIndex), align: 'center' }}
                scrollerRef={this.onScroller}
                totalListHeightChanged={() => this.flushPendingScroll()}
                rangeChanged={range => model.fetchRange(range.startIndex, range.endIndex)}
                itemContent={index => this.renderRow(index, lanes, session)} />
        </div>;
    }

    protected renderRow(index: number, lanes: readonly TimelineLane[], session: SessionInfo): React.ReactNode {
        const event = this.model.eventAt(index);
        return <TimelineEventRow event={event} lanes={lanes} session={session} selected={!!event && event.seq === this.model.selected?.seq}
            onSelect={e => this.model.select(e, index)}
            onOpenDiff={e => this.commands.executeCommand(SessionTimelineCommands.OPEN_DIFF.id, { sessionId: session.id, path: e.path, seq: e.seq })} />;
    }

    protected renderDetail(session: SessionInfo): React.ReactNode {
        const { detail, detailError, selected } = this.model;
        return <div className='coditect-timeline-detail'>
            {detailError ? <div className='coditect-timeline-error'>{detailError}</div>
                : detail && detail.seq === selected?.seq
                    ? <TimelineEventDetail event={detail} session={session} commands={this.commands} onTask={taskId => void this.model.setTaskFilter(taskId)} />
                    : <div className='coditect-timeline-detail-empty'>{selected
                        ? nls.localize('coditect/session-timeline/detail-loading', 'Loading…')
                        : nls.localize('coditect/session-timeline/detail-empty', 'Select an event to see what happened.')}</div>}
        </div>;
    }
}
