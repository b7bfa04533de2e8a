import { nls } from '@theia/core/lib/common/nls';
import type { SessionInfo, TimelineEventKind, TimelineLane } from '../common/session-timeline-protocol';

/** How the timeline names and draws things; pure, so it is specced without a browser. */
export namespace TimelineLabels {

    /** The lane of events without an agent: people, the studio itself. */
    export const StudioLane: TimelineLane = { id: '', name: nls.localize('coditect/session-timeline/studio-lane', 'Studio') };

    export const kindLabel: Readonly<Record<TimelineEventKind, string>> = {
        'chat-message': nls.localize('coditect/session-timeline/kind-chat-message', 'Chat message'),
        'task': nls.localize('coditect/session-timeline/kind-task', 'Task'),
        'agent-state': nls.localize('coditect/session-timeline/kind-agent-state', 'Agent state'),
        'tool-call': nls.localize('coditect/session-timeline/kind-tool-call', 'Tool call'),
        'model-turn': nls.localize('coditect/session-timeline/kind-model-turn', 'Model turn'),
        'usage': nls.localize('coditect/session-timeline/kind-usage', 'Token usage'),
        'file-edit': nls.localize('coditect/session-timeline/kind-file-edit', 'File edit'),
        'file-change': nls.localize('coditect/session-timeline/kind-file-change', 'File change'),
        'lock': nls.localize('coditect/session-timeline/kind-lock', 'Lock'),
        'message': nls.localize('coditect/session-timeline/kind-message', 'Agent message'),
        'restart': nls.localize('coditect/session-timeline/kind-restart', 'Restart'),
        'definition': nls.localize('coditect/session-timeline/kind-definition', 'Agent definition'),
        'cost': nls.localize('coditect/session-timeline/kind-cost', 'Cost'),
        'budget': nls.localize('coditect/session-timeline/kind-budget', 'Budget'),
        'note': nls.localize('coditect/session-timeline/kind-note', 'Note'),
        'workflow': nls.localize('coditect/session-timeline/kind-workflow', 'Workflow'),
    };

    /** Every kind, in the order the kinds picker lists them. */
    export const allKinds = Object.keys(kindLabel) as readonly TimelineEventKind[];

    /** A codicon per kind. */
    export const kindIcon: Readonly<Record<TimelineEventKind, string>> = {
        'chat-message': 'comment', 'task': 'tasklist', 'agent-state': 'pulse', 'tool-call': 'tools', 'model-turn': 'sparkle',
        'usage': 'dashboard', 'file-edit': 'diff', 'file-change': 'files', 'lock': 'lock', 'message': 'mail', 'restart': 'debug-restart',
        'definition': 'settings-gear', 'cost': 'credit-card', 'budget': 'warning', 'note': 'note', 'workflow': 'type-hierarchy',
    };

    /** Theia's chart colours, one per lane in order; the studio lane is drawn in the foreground colour. */
    const palette = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'];

    export function laneColor(lanes: readonly TimelineLane[], laneId: string): string {
        if (laneId === '') {
            return 'var(--theia-descriptionForeground)';
        }
        const index = lanes.findIndex(l => l.id === laneId);
        return `var(--theia-charts-${palette[(index < 0 ? 0 : index) % palette.length]})`;
    }

    /** Every lane of a session: its agents in order of appearance, then the studio's. */
    export function lanesOf(session: SessionInfo | undefined): TimelineLane[] {
        return [...(session?.lanes ?? []), StudioLane];
    }

    const pad = (n: number, width = 2) => String(n).padStart(width, '0');

    /** 14:03:07.250, local time. */
    export function clock(at: number): string {
        const d = new Date(at);
        return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    }

    /** 2025-09-02 14:03, local time. */
    export function dateTime(at: number): string {
        const d = new Date(at);
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }

    /** How long, the way people say it: 420 ms, 4.2 s, 3 min 5 s, 2 h 10 min. */
    export function duration(ms: number): string {
        if (ms < 1000) {
            return `${Math.max(0, Math.round(ms))} ms`;
        }
        if (ms < 60_000) {
            return `${(ms / 1000).toFixed(1)} s`;
        }
        if (ms < 3_600_000) {
            return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
        }
        return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
    }

    export function count(n: number, one: string, many = `${one}s`): string {
        return `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${n === 1 ? one : many}`;
    }

    /** One line about a session for the sessions list. */
    export function sessionDetail(session: SessionInfo): string {
        const span = (session.endedAt ?? session.lastAt ?? session.startedAt) - session.startedAt;
        return `${dateTime(session.startedAt)} · ${count(session.eventCount, 'event')}${span > 0 ? ` · ${duration(span)}` : ''}`;
    }

    export function sessionIcon(session: SessionInfo): string {
        return session.live ? 'record' : session.kind === 'import' ? 'cloud-download' : 'history';
    }
}
