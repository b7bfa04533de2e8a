import type { SessionInfo, TimelineEventKind, TimelineFilter } from '../common/session-timeline-protocol';
import { TimelineLabels } from './timeline-labels';

/**
 * What a timeline view is narrowed to: hidden agent lanes, kinds, a file or folder, a task.
 * Immutable: every change is a new value.
 */
export class TimelineFilters {
    static readonly none = new TimelineFilters(new Set(), undefined, '', undefined);

    constructor(
        readonly hiddenLanes: ReadonlySet<string>,
        /** The kinds shown, or undefined for every kind. */
        readonly kinds: readonly TimelineEventKind[] | undefined,
        /** As typed; trimmed when asked for. */
        readonly path: string,
        readonly taskId: number | undefined,
    ) { }

    /** Only `agentId`'s lane of `session`, optionally only a task. */
    static onlyLane(session: SessionInfo, agentId: string, taskId?: number): TimelineFilters {
        return new TimelineFilters(new Set(TimelineLabels.lanesOf(session).map(l => l.id).filter(l => l !== agentId)), undefined, '', taskId);
    }

    static onlyTask(taskId: number | undefined): TimelineFilters {
        return new TimelineFilters(new Set(), undefined, '', taskId);
    }

    /** Whether anything is narrowed: the view then shows how many events match. */
    get active(): boolean {
        return this.hiddenLanes.size > 0 || this.kinds !== undefined || this.path.trim() !== '' || this.taskId !== undefined;
    }

    withHiddenLanes(hiddenLanes: ReadonlySet<string>): TimelineFilters {
        return new TimelineFilters(hiddenLanes, this.kinds, this.path, this.taskId);
    }

    /** Every kind picked counts as no kinds filter. */
    withKinds(kinds: readonly TimelineEventKind[] | undefined): TimelineFilters {
        const all = kinds === undefined || kinds.length === TimelineLabels.allKinds.length;
        return new TimelineFilters(this.hiddenLanes, all ? undefined : [...kinds], this.path, this.taskId);
    }

    withPath(path: string): TimelineFilters {
        return new TimelineFilters(this.hiddenLanes, this.kinds, path, this.taskId);
    }

    withTask(taskId: number | undefined): TimelineFilters {
        return new TimelineFilters(this.hiddenLanes, this.kinds, this.path, taskId);
    }

    /** What the service is asked for: hidden lanes become the list of `session`'s lanes still shown. */
    toFilter(session: SessionInfo | undefined): TimelineFilter {
        const path = this.path.trim();
        return {
            ...(this.hiddenLanes.size ? { agents: TimelineLabels.lanesOf(session).map(l => l.id).filter(id => !this.hiddenLanes.has(id)) } : {}),
            ...(this.kinds ? { kinds: this.kinds } : {}),
            ...(path ? { path } : {}),
            ...(this.taskId !== undefined ? { taskId: this.taskId } : {}),
        };
    }
}
