import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
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
                title={hiddenLanes.has(lane.id)
                    ? nls.localize('coditect/session-timeline/show-lane', 'Show {0}\'s events', lane.name)
                    : nls.localize('coditect/session-timeline/hide-lane', 'Hide {0}\'s events', lane.name)} onClick={() => props.onToggleLane(lane.id)}>
                <span className='coditect-timeline-lane-dot' />{lane.name}
            </span>)}
        </span>
        <button className='theia-button secondary coditect-timeline-kinds' title={nls.localize('coditect/session-timeline/kinds-tooltip', 'Choose the kinds of events shown')} onClick={props.onPickKinds}>
            <span className={codicon('filter')} /> {kinds
                ? nls.localize('coditect/session-timeline/some-kinds', '{0} of {1} kinds', kinds.length, TimelineLabels.allKinds.length)
                : nls.localize('coditect/session-timeline/all-kinds', 'All kinds')}
        </button>
        <input className='theia-input coditect-timeline-path' type='text' placeholder={nls.localize('coditect/session-timeline/path-placeholder', 'File or folder…')} value={pathFilter} spellCheck={false}
            title={nls.localize('coditect/session-timeline/path-tooltip', 'Only events about this file, or about anything under this folder')} onChange={e => props.onPathFilter(e.currentTarget.value)} />
        {taskFilter !== undefined && <span className='coditect-timeline-task-chip'>{nls.localize('coditect/session-timeline/task-chip', 'Task #{0}', taskFilter)}
            <span className={`${codicon('close')} action-label`} title={nls.localize('coditect/session-timeline/every-task', 'Show every task')} onClick={props.onClearTask} /></span>}
        {matching !== undefined && <span className='coditect-timeline-filter-count'>{nls.localize('coditect/session-timeline/matching', '{0} match', TimelineLabels.count(matching, 'event'))}
            <span className={`${codicon('clear-all')} action-label`} title={nls.localize('coditect/session-timeline/clear-filters', 'Clear the filters')} onClick={props.onClearAll} /></span>}
    </div>;
}
