import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser';
import type { SessionInfo } from '../common/session-timeline-protocol';
import { TimelineLabels } from './timeline-labels';

export interface TimelineSessionListProps {
    readonly sessions: readonly SessionInfo[];
    readonly selectedId: string | undefined;
    readonly onOpen: (sessionId: string) => void;
    readonly onImport: () => void;
    readonly onRefresh: () => void;
}

/** The sessions column: every run of the studio and every imported transcript, the live one badged. */
export function TimelineSessionList({ sessions, selectedId, onOpen, onImport, onRefresh }: TimelineSessionListProps): React.ReactElement {
    return <div className='coditect-timeline-sessions'>
        <div className='coditect-timeline-sessions-header'>
            <span>{nls.localize('coditect/session-timeline/sessions', 'Sessions')}</span>
            <span className={`${codicon('cloud-download')} action-label coditect-timeline-import`} title={nls.localize('coditect/session-timeline/import-tooltip', 'Import an agent transcript (Claude Code JSONL or a timeline archive)')}
                onClick={onImport} />
            <span className={`${codicon('refresh')} action-label`} title={nls.localize('coditect/session-timeline/refresh-tooltip', 'Refresh the sessions')} onClick={onRefresh} />
        </div>
        <div className='coditect-timeline-session-list'>
            {sessions.map(s => <div key={s.id} className={`coditect-timeline-session${s.id === selectedId ? ' selected' : ''}${s.live ? ' live' : ''}`}
                data-session-id={s.id} title={`${s.title}\n${s.id}${s.source ? `\n${nls.localize('coditect/session-timeline/from', 'from {0}', s.source)}` : ''}`} onClick={() => onOpen(s.id)}>
                <span className={`${codicon(TimelineLabels.sessionIcon(s))} coditect-timeline-session-icon`} />
                <div className='coditect-timeline-session-text'>
                    <div className='coditect-timeline-session-title'>{s.title}{s.live && <span className='coditect-timeline-live-badge'>{nls.localize('coditect/session-timeline/live', 'Live')}</span>}</div>
                    <div className='coditect-timeline-session-detail'>{TimelineLabels.sessionDetail(s)}</div>
                </div>
            </div>)}
        </div>
    </div>;
}
