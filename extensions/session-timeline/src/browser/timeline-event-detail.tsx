import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser';
import { CommandService } from '@theia/core/lib/common/command';
import type { SessionInfo, TimelineEvent } from '../common/session-timeline-protocol';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';
import { SessionTimelineCommands } from './session-timeline-commands';
import { TimelineLabels } from './timeline-labels';

type Json = TimelineEvent['data'][string];
type Obj = { [key: string]: Json };
const obj = (v: Json | undefined): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: Json | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

export interface TimelineEventDetailProps {
    readonly event: TimelineEvent;
    readonly session: SessionInfo;
    readonly commands: CommandService;
    /** Narrow the timeline to this task. */
    readonly onTask: (taskId: number) => void;
}

/** The selected event in full: who, when, and what, by kind (a message's text, a tool call's arguments and result, an edit's diff). */
export function TimelineEventDetail({ event, session, commands, onTask }: TimelineEventDetailProps): React.ReactElement {
    const lanes = TimelineLabels.lanesOf(session);
    const lane = event.agentId ?? '';
    const openAt = (path: string, seq: number) => commands.executeCommand(SessionTimelineCommands.OPEN_FILE_AT.id, { sessionId: session.id, path, seq });
    return <div className='coditect-timeline-event' data-seq={event.seq}>
        <div className='coditect-timeline-event-header'>
            <span className={codicon(TimelineLabels.kindIcon[event.kind])} />
            <span className='coditect-timeline-event-kind'>{TimelineLabels.kindLabel[event.kind]}</span>
            <span className='coditect-timeline-agent' style={{ color: TimelineLabels.laneColor(session.lanes, lane) }}>{lanes.find(l => l.id === lane)?.name ?? lane}</span>
            <span className='coditect-timeline-event-meta'>#{event.seq} · {new Date(event.at).toLocaleString()}</span>
            {event.taskId !== undefined && <a className='coditect-timeline-link' title={nls.localize('coditect/session-timeline/only-task', 'Show only this task')} onClick={() => onTask(event.taskId!)}>{nls.localize('coditect/session-timeline/task-link', 'task #{0}', event.taskId)}</a>}
            {event.path && <a className='coditect-timeline-link' title={nls.localize('coditect/session-timeline/file-at-tooltip', 'Open this file as it was just after this event (read-only)')} onClick={() => openAt(event.path!, event.seq)}>
                <span className={codicon('go-to-file')} /> {event.path}</a>}
        </div>
        <div className='coditect-timeline-event-body'>{body(event, session, commands)}</div>
    </div>;
}

function body(event: TimelineEvent, session: SessionInfo, commands: CommandService): React.ReactNode {
    const d = event.data;
    switch (event.kind) {
        case 'chat-message':
        case 'model-turn':
        case 'note':
            return <>
                {event.kind === 'chat-message' && <div className='coditect-timeline-field'>{str(obj(d.user)?.displayName) ?? str(d.role)}</div>}
                {d.reasoning === true && <div className='coditect-timeline-field'>{nls.localize('coditect/session-timeline/thinking', 'Thinking')}</div>}
                <pre className='coditect-timeline-text'>{str(d.text) ?? ''}</pre>
            </>;
        case 'tool-call': {
            const call = obj(d.call);
            const result = obj(d.result);
            return <>
                <div className='coditect-timeline-field'><b>{str(call?.name) ?? 'tool'}</b> · {str(d.phase) ?? ''}{num(d.durationMs) !== undefined ? ` · ${TimelineLabels.duration(num(d.durationMs)!)}` : ''}</div>
                <div className='coditect-timeline-label'>{nls.localize('coditect/session-timeline/arguments', 'Arguments')}</div>
                <pre className='coditect-timeline-json'>{JSON.stringify(call?.arguments ?? {}, undefined, 2)}</pre>
                {result && <>
                    <div className='coditect-timeline-label'>{result.isError === true ? nls.localize('coditect/session-timeline/error', 'Error') : nls.localize('coditect/session-timeline/result', 'Result')}</div>
                    <pre className={`coditect-timeline-text${result.isError === true ? ' error' : ''}`}>{str(result.content) ?? ''}</pre>
                </>}
            </>;
        }
        case 'file-edit': {
            const path = str(d.path) ?? event.path ?? '';
            const change = str(d.change);
            return <>
                <div className='coditect-timeline-field'>
                    {change === 'create' ? nls.localize('coditect/session-timeline/created', 'Created') : change === 'delete' ? nls.localize('coditect/session-timeline/deleted', 'Deleted') : nls.localize('coditect/session-timeline/edited', 'Edited')} <b>{path}</b>
                    <span className='coditect-timeline-added'> +{num(d.added) ?? 0}</span><span className='coditect-timeline-removed'> −{num(d.removed) ?? 0}</span>
                    {str(d.by) ? nls.localize('coditect/session-timeline/by-suffix', ' by {0}', str(d.by)!) : ''}
                </div>
                {str(d.omitted) ? <div className='coditect-timeline-error'>{str(d.omitted)}</div> : <div className='coditect-timeline-actions'>
                    <button className='theia-button coditect-timeline-open-diff' onClick={() => commands.executeCommand(SessionTimelineCommands.OPEN_DIFF.id, { sessionId: session.id, path, seq: event.seq })}>
                        <span className={codicon('diff')} /> {nls.localize('coditect/session-timeline/open-diff', 'Open Diff')}</button>
                    <button className='theia-button secondary' onClick={() => commands.executeCommand(SessionTimelineCommands.OPEN_FILE_AT.id, { sessionId: session.id, path, seq: event.seq })}>
                        <span className={codicon('go-to-file')} /> {nls.localize('coditect/session-timeline/open-file-as-it-was', 'Open File as It Was')}</button>
                    {event.taskId !== undefined && taskChangesButton(commands, event.taskId)}
                </div>}
                {str(d.patch) && <pre className='coditect-timeline-patch'>{patchLines(str(d.patch)!)}</pre>}
            </>;
        }
        case 'file-change': {
            const ran = Array.isArray(d.commands) ? d.commands.map(obj).filter(c => c !== undefined) : [];
            const counts = obj(d.counts);
            const paths = Array.isArray(d.paths) ? d.paths.filter((p): p is string => typeof p === 'string') : [];
            return <>
                <div className='coditect-timeline-field'>{event.summary}</div>
                <table className='coditect-timeline-table'><tbody>
                    <tr><th>{nls.localize('coditect/session-timeline/by', 'By')}</th><td>{str(d.by) ?? str(d.author) ?? ''}{d.viaGit === true ? nls.localize('coditect/session-timeline/running-git', ' (running git)') : ''}</td></tr>
                    {ran.map((c, i) => <tr key={i}><th>{nls.localize('coditect/session-timeline/command', 'Command')}</th><td>{str(c!.agentId)}{num(c!.taskId) !== undefined ? nls.localize('coditect/session-timeline/task-suffix', ' · task #{0}', num(c!.taskId)!) : ''}: <code>{str(c!.command)}</code></td></tr>)}
                    {counts && <tr><th>{nls.localize('coditect/session-timeline/files', 'Files')}</th><td>{nls.localize('coditect/session-timeline/file-counts', '{0} ({1} created, {2} updated, {3} deleted)', String(num(d.count) ?? ''), num(counts.created) ?? 0, num(counts.updated) ?? 0, num(counts.deleted) ?? 0)}</td></tr>}
                </tbody></table>
                {ran.some(c => num(c!.taskId) !== undefined) && <div className='coditect-timeline-actions'>
                    {[...new Set(ran.flatMap(c => (num(c!.taskId) === undefined ? [] : [num(c!.taskId)!])))].map(taskId => taskChangesButton(commands, taskId))}
                </div>}
                {paths.length > 0 && <><div className='coditect-timeline-label'>{nls.localize('coditect/session-timeline/first-paths', 'First {0} of {1}', paths.length, String(num(d.count) ?? ''))}</div>
                    <pre className='coditect-timeline-text'>{paths.join('\n')}</pre></>}
            </>;
        }
        case 'task': {
            const task = obj(d.task);
            return <>
                <div className='coditect-timeline-field'>{nls.localize('coditect/session-timeline/task-field', 'Task #{0} {1} · {2} · attempt {3} of {4} · priority {5}',
                    String(num(task?.id) ?? ''), str(d.change) ?? '', str(task?.status) ?? '', String(num(task?.attempts) ?? ''), String(num(task?.maxAttempts) ?? ''), String(num(task?.priority) ?? ''))}</div>
                <div className='coditect-timeline-label'>{nls.localize('coditect/session-timeline/title', 'Title')}</div>
                <pre className='coditect-timeline-text'>{str(task?.title) ?? ''}</pre>
                {str(task?.summary) && <><div className='coditect-timeline-label'>{nls.localize('coditect/session-timeline/summary', 'Summary')}</div><pre className='coditect-timeline-text'>{str(task?.summary)}</pre></>}
                {str(task?.error) && <><div className='coditect-timeline-label'>{nls.localize('coditect/session-timeline/error', 'Error')}</div><pre className='coditect-timeline-text error'>{str(task?.error)}</pre></>}
            </>;
        }
        case 'usage': {
            const usage = obj(d.usage) ?? {};
            return <table className='coditect-timeline-table'><tbody>
                <tr><th>{nls.localize('coditect/session-timeline/model', 'Model')}</th><td>{str(d.model)}</td></tr>
                {Object.entries(usage).map(([k, v]) => <tr key={k}><th>{k.replace(/Tokens$/, '').replace(/([A-Z])/g, ' $1').toLowerCase()}</th><td>{String(v)}</td></tr>)}
            </tbody></table>;
        }
        default:
            return <>
                <div className='coditect-timeline-field'>{event.summary}</div>
                <pre className='coditect-timeline-json'>{JSON.stringify(d, undefined, 2)}</pre>
            </>;
    }
}

/** A unified diff's hunks (its file headers left out: the header above names the file), added and removed lines coloured. */
function patchLines(patch: string): React.ReactNode {
    const lines = patch.split('\n');
    const first = lines.findIndex(l => l.startsWith('@@'));
    return lines.slice(first < 0 ? 0 : first).map((line, i) => <div key={i} className={line.startsWith('+') && !line.startsWith('+++') ? 'added' : line.startsWith('-') && !line.startsWith('---') ? 'removed' : line.startsWith('@@') ? 'hunk' : ''}>{line || ' '}</div>);
}

/** Opens the task's change set in the Changes view. */
function taskChangesButton(commands: CommandService, taskId: number): React.ReactNode {
    return <button key={taskId} className='theia-button secondary coditect-timeline-task-changes'
        title={nls.localize('coditect/session-timeline/task-changes-tooltip', 'Show the change set of task #{0} in the Changes view, to review it', taskId)}
        onClick={() => runSharedCommand(commands, SharedCommands.CHANGES_REVEAL_TASK, { taskId })}>
        <span className={codicon('git-compare')} /> {nls.localize('coditect/session-timeline/task-n-changes', 'Task #{0}\'s Changes', taskId)}</button>;
}
