import * as React from '@theia/core/shared/react';
import { codicon } from '@theia/core/lib/browser';
import type { SessionInfo, TimelineEventSummary, TimelineLane } from '../common/session-timeline-protocol';
import { TimelineLabels } from './timeline-labels';

/** Every row has this height: the list scrolls to an index by arithmetic. */
export const TimelineRowHeight = 24;

export interface TimelineEventRowProps {
    /** Undefined while its page is on its way. */
    readonly event: TimelineEventSummary | undefined;
    readonly lanes: readonly TimelineLane[];
    readonly session: SessionInfo;
    readonly selected: boolean;
    readonly onSelect: (event: TimelineEventSummary) => void;
    /** Double-click on a file edit. */
    readonly onOpenDiff: (event: TimelineEventSummary & { path: string }) => void;
}

/** One event: time, sequence number, a node in its agent's lane, the agent and the summary. */
export function TimelineEventRow({ event: e, lanes, session, selected, onSelect, onOpenDiff }: TimelineEventRowProps): React.ReactElement {
    if (!e) {
        return <div className='coditect-timeline-row loading' style={{ height: TimelineRowHeight }}><span className='coditect-timeline-time'>…</span></div>;
    }
    const lane = e.agentId ?? '';
    const laneName = lanes.find(l => l.id === lane)?.name ?? lane;
    const color = TimelineLabels.laneColor(session.lanes, lane);
    return <div className={`coditect-timeline-row${selected ? ' selected' : ''} kind-${e.kind}`} style={{ height: TimelineRowHeight }}
        data-seq={e.seq} data-kind={e.kind} title={`${TimelineLabels.kindLabel[e.kind]} · ${e.summary}`} onClick={() => onSelect(e)}
        onDoubleClick={() => e.kind === 'file-edit' && e.path && onOpenDiff({ ...e, path: e.path })}>
        <span className='coditect-timeline-time'>{TimelineLabels.clock(e.at)}</span>
        <span className='coditect-timeline-seq'>#{e.seq}</span>
        <span className='coditect-timeline-lanes'>
            {lanes.map(l => <span key={l.id} className='coditect-timeline-lane' style={{ '--lane-color': TimelineLabels.laneColor(session.lanes, l.id) } as React.CSSProperties}>
                {l.id === lane && <span className={`coditect-timeline-node ${codicon(TimelineLabels.kindIcon[e.kind])}`} />}
            </span>)}
        </span>
        <span className='coditect-timeline-agent' style={{ color }}>{laneName}</span>
        <span className='coditect-timeline-summary'>{e.summary}</span>
    </div>;
}
