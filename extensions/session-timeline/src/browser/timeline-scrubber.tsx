import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser';
import type { SessionInfo, TimelineEventSummary } from '../common/session-timeline-protocol';
import { TimelineLabels } from './timeline-labels';

export interface TimelineScrubberProps {
    readonly session: SessionInfo;
    /** The scrubber's position `n` in the whole session. */
    readonly position: number;
    readonly selected: TimelineEventSummary | undefined;
    readonly playing: boolean;
    readonly following: boolean;
    /** Jumps to a position in the whole session. */
    readonly onSeek: (n: number) => void;
    /** Moves the selection by `delta` events of the filtered list. */
    readonly onStep: (delta: number) => void;
    readonly onTogglePlay: () => void;
    /** The range input moved (seeks after a short pause, as a drag goes on). */
    readonly onScrub: (n: number) => void;
}

/** First, previous, play, next, live; a range over the whole session; where the selection is. */
export function TimelineScrubber({ session, position, selected, playing, following, onSeek, onStep, onTogglePlay, onScrub }: TimelineScrubberProps): React.ReactElement {
    const max = Math.max(0, session.eventCount - 1);
    const at = selected?.at;
    return <div className='coditect-timeline-scrubber'>
        <span className={`${codicon('debug-reverse-continue')} action-label`} title={nls.localize('coditect/session-timeline/first-event', 'First event (Home)')} onClick={() => onSeek(0)} />
        <span className={`${codicon('chevron-left')} action-label`} title={nls.localize('coditect/session-timeline/previous-event', 'Previous event (↑)')} onClick={() => onStep(-1)} />
        <span className={`${codicon(playing ? 'debug-pause' : 'play')} action-label coditect-timeline-play`} title={playing ? nls.localize('coditect/session-timeline/pause', 'Pause the replay') : nls.localize('coditect/session-timeline/replay', 'Replay from here, event by event')}
            onClick={onTogglePlay} />
        <span className={`${codicon('chevron-right')} action-label`} title={nls.localize('coditect/session-timeline/next-event', 'Next event (↓)')} onClick={() => onStep(1)} />
        <span className={`${codicon('debug-continue')} action-label`} title={session.live ? nls.localize('coditect/session-timeline/go-live', 'Go live: the latest event (End)') : nls.localize('coditect/session-timeline/last-event', 'Last event (End)')}
            onClick={() => onSeek(max)} />
        <input type='range' className='coditect-timeline-range' min={0} max={max} value={Math.min(position, max)} disabled={session.eventCount === 0}
            aria-label={nls.localize('coditect/session-timeline/position', 'Position in the session')} onChange={e => onScrub(Number(e.currentTarget.value))} />
        <span className='coditect-timeline-position' title={nls.localize('coditect/session-timeline/position-tooltip', 'Position in the session, sequence number and time of the selected event')}>
            {session.eventCount ? `${TimelineLabels.count(Math.min(position, max) + 1, 'event').replace(/ events?$/, '')} / ${TimelineLabels.count(session.eventCount, 'event')}` : nls.localize('coditect/session-timeline/no-events-short', 'no events')}
            {selected && at !== undefined ? ` · #${selected.seq} · ${TimelineLabels.clock(at)}` : ''}
            {session.live && following ? nls.localize('coditect/session-timeline/following', ' · following') : ''}
        </span>
    </div>;
}
