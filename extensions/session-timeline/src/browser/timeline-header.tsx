import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser';
import type { SessionInfo } from '../common/session-timeline-protocol';
import { TimelineLabels } from './timeline-labels';

export interface TimelineHeaderProps {
    readonly session: SessionInfo;
    /** "Workspace at This Point" needs a selected event. */
    readonly hasSelection: boolean;
    readonly onShowWorkspaceAt: () => void;
}

/** The chosen session: its title, live, run or imported, size, start and length. */
export function TimelineHeader({ session, hasSelection, onShowWorkspaceAt }: TimelineHeaderProps): React.ReactElement {
    const end = session.endedAt ?? session.lastAt ?? session.startedAt;
    return <div className='coditect-timeline-header'>
        <span className={codicon(TimelineLabels.sessionIcon(session))} />
        <span className='coditect-timeline-title'>{session.title}</span>
        {session.live ? <span className='coditect-timeline-live-badge'>{nls.localize('coditect/session-timeline/live', 'Live')}</span>
            : <span className='coditect-timeline-kind-badge'>{session.kind === 'import' ? nls.localize('coditect/session-timeline/imported', 'Imported') : nls.localize('coditect/session-timeline/run', 'Run')}</span>}
        <span className='coditect-timeline-header-detail'>
            {TimelineLabels.count(session.eventCount, 'event')} · {TimelineLabels.dateTime(session.startedAt)} · {TimelineLabels.duration(end - session.startedAt)}
            {session.source ? nls.localize('coditect/session-timeline/from-source', ' · from {0}', session.source) : ''}
        </span>
        <span className='coditect-timeline-spacer' />
        <button className='theia-button secondary coditect-timeline-workspace-at' disabled={!hasSelection}
            title={nls.localize('coditect/session-timeline/workspace-at-tooltip', 'Open the files this session edited as they were at the selected event (read-only)')} onClick={onShowWorkspaceAt}>
            <span className={codicon('file-submodule')} /> {nls.localize('coditect/session-timeline/workspace-at', 'Workspace at This Point')}
        </button>
    </div>;
}
