import * as React from '@theia/core/shared/react';
import { codicon } from '@theia/core/lib/browser';
import type { SessionInfo, TimelineEventKind } from '../common/session-timeline-protocol';
import { TimelineLabels } from './timeline-labels';

export interface TimelineFilterBarProps {
    readonly session: SessionInfo;
    readonly hiddenLanes: ReadonlySet<string>;
    /** The kinds shown, or undefined for all of them. */
    readonly kinds: readonly TimelineEventKind[] | undefined;
    readonly pathFilter: string;
    readonly taskFilter: number | undefined;
    /** How many events match, shown while any filter is on. */
    readonly matching: number | undefined;
    readonly onToggleLane: (laneId: string) => void;
    readonly onPickKinds: () => void;
    readonly onPathFilter: (value: string) => void;
    readonly onClearTask: () => void;
    readonly onClearAll: () => void;
}

/** Lane chips (one per agent), the kinds picker, a file or folder filter, the task narrowing, and the match count. */
export function TimelineFilterBar(props: TimelineFilterBarProps): React.ReactElement {
    const { session, hiddenLanes, kinds, pathFilter, taskFilter, matching } = props;
    return <div className='coditect-timeline-filters'>
        <span className='coditect-timeline-lane-chips'>
            {TimelineLabels.lanesOf(session).map(lane => <span key={lane.id} className={`coditect-timeline-lane-chip${hiddenLanes.has(lane.id) ? ' hidden' : ''}`}
                data-lane={lane.id} style={{ '--lane-color': TimelineLabels.laneColor(session.lanes, lane.id) } as React.CSSProperties}
                title={hiddenLanes.has(lane.id) ? `Show ${lane.name}'s events` : `Hide ${lane.name}'s events`} onClick={() => props.onToggleLane(lane.id)}>
                <span className='coditect-timeline-lane-dot' />{lane.name}
            </span>)}
        </span>
        <button className='theia-button secondary coditect-timeline-kinds' title='Choose the kinds of events shown' onClick={props.onPickKinds}>
            <span className={codicon('filter')} /> {kinds ? `${kinds.length} of ${TimelineLabels.allKinds.length} kinds` : 'All kinds'}
        </button>
        <input className='theia-input coditect-timeline-path' type='text' placeholder='File or folder…' value={pathFilter} spellCheck={false}
            title='Only events about this file, or about anything under this folder' onChange={e => props.onPathFilter(e.currentTarget.value)} />
        {taskFilter !== undefined && <span className='coditect-timeline-task-chip'>Task #{taskFilter}
            <span className={`${codicon('close')} action-label`} title='Show every task' onClick={props.onClearTask} /></span>}
        {matching !== undefined && <span className='coditect-timeline-filter-count'>{TimelineLabels.count(matching, 'event')} match
            <span className={`${codicon('clear-all')} action-label`} title='Clear the filters' onClick={props.onClearAll} /></span>}
    </div>;
}
