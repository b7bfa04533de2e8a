import type { SessionTimeline } from './session-timeline';
import { isTimelineEventKind, SessionInfo, TimelineError, TimelineEventKind, TimelineEventSummary, TimelineFilter } from './timeline-types';

/** What an agent asks of the timeline (its `read_timeline` tool). */
export interface TimelineDigestRequest {
    /** `previous` (the default: the last session before this run), `current`, `list` (the sessions), or a session id. */
    readonly session?: string;
    readonly agent?: string;
    /** A file, or a folder (everything under it). */
    readonly path?: string;
    readonly taskId?: number;
    /** Event kinds, or `all`; default: what tells the story (tasks, edits, chat, messages, workflows, notes, restarts). */
    readonly kinds?: readonly string[] | 'all';
    /** The position among the matching events to start from; default the first. */
    readonly from?: number;
    readonly limit?: number;
}

/** The kinds a history reader wants by default: the model's every turn, usage and state changes are noise there. */
const StoryKinds: readonly TimelineEventKind[] = ['chat-message', 'task', 'file-edit', 'file-change', 'message', 'workflow', 'note', 'restart', 'budget'];
const DefaultLimit = 100;
const MaxLimit = 300;

/**
 * The session timeline as text for a model: which sessions there were, and one line per event
 * (`#seq time [lane] kind: summary`) of one of them, filtered and paged. Read-only; what the
 * timeline holds was already stripped of secrets when it was recorded.
 */
export function timelineDigest(timeline: Pick<SessionTimeline, 'sessions' | 'session' | 'page'>, request: TimelineDigestRequest): string {
    const sessions = timeline.sessions(50);
    const which = (request.session ?? 'previous').trim();
    if (which === 'list') {
        return sessions.length === 0 ? 'No sessions are recorded yet.' : ['Sessions, newest first:', ...sessions.map(sessionLine)].join('\n');
    }
    const session = pickSession(timeline, sessions, which);
    const filter = filterOf(request);
    const from = Math.max(0, Math.trunc(request.from ?? 0) || 0);
    const limit = Math.max(1, Math.min(MaxLimit, Math.trunc(request.limit ?? DefaultLimit) || DefaultLimit));
    const page = timeline.page(session.id, filter, from, limit);
    const lines = [`Session ${sessionLine(session)}`];
    if (page.events.length === 0) {
        lines.push(page.total === 0 ? 'No events match.' : `No events from position ${from}; ${page.total} match.`);
        return lines.join('\n');
    }
    lines.push(`Events ${from + 1}-${from + page.events.length} of ${page.total} matching:`);
    lines.push(...page.events.map(eventLine));
    const next = from + page.events.length;
    if (next < page.total) {
        lines.push(`${page.total - next} more: read again with from=${next}.`);
    }
    return lines.join('\n');
}

function pickSession(timeline: Pick<SessionTimeline, 'session'>, sessions: readonly SessionInfo[], which: string): SessionInfo {
    if (which === 'current') {
        const live = sessions.find(s => s.live);
        if (!live) {
            throw new TimelineError('No session is recording now; ask for "previous" or "list".');
        }
        return live;
    }
    if (which === 'previous') {
        const previous = sessions.find(s => !s.live && s.kind === 'run') ?? sessions.find(s => !s.live);
        if (!previous) {
            throw new TimelineError('There is no earlier session: this is the workspace\'s first run. Ask for "current" to read this one.');
        }
        return previous;
    }
    return timeline.session(which);
}

function filterOf(request: TimelineDigestRequest): TimelineFilter {
    let kinds: readonly TimelineEventKind[] | undefined = StoryKinds;
    if (request.kinds === 'all') {
        kinds = undefined;
    } else if (request.kinds !== undefined) {
        const unknown = request.kinds.filter(k => !isTimelineEventKind(k));
        if (unknown.length > 0) {
            throw new TimelineError(`Unknown event kind ${unknown.map(k => `"${k}"`).join(', ')}; use "all" or some of ${[...StoryKinds, 'tool-call', 'model-turn', 'agent-state', 'lock', 'usage', 'cost', 'definition'].join(', ')}.`);
        }
        kinds = request.kinds as TimelineEventKind[];
    }
    return {
        ...(kinds ? { kinds } : {}),
        ...(request.agent ? { agents: [request.agent] } : {}),
        ...(request.path ? { path: request.path } : {}),
        ...(request.taskId !== undefined ? { taskId: request.taskId } : {}),
    };
}

const time = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 19);

function sessionLine(session: SessionInfo): string {
    const ended = session.live ? 'recording now' : session.endedAt ? `to ${time(session.endedAt)}` : 'ended without a clean stop';
    return `${session.id} "${session.title}" (${session.kind}, from ${time(session.startedAt)} ${ended}, ${session.eventCount} events)`;
}

function eventLine(event: TimelineEventSummary): string {
    const lane = event.agentId ? `[${event.agentId}] ` : '';
    const task = event.taskId !== undefined ? ` (task ${event.taskId})` : '';
    return `#${event.seq} ${time(event.at).slice(11)} ${lane}${event.kind}${task}: ${event.summary}`;
}
