import type { Disposable, RpcPolicy, SessionTimeline, WorkspaceCore } from '@coditect/workspace-backend';
import { CoreConnectionService } from '@coditect/studio-platform/node';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { injectable } from '@theia/core/shared/inversify';
import {
    EditedFile, FileState, ImportReport, SeekResult, SeekTarget, SessionInfo, SessionTimelineClient, SessionTimelineService, TaskLocation,
    TimelineEvent, TimelineFilter, TimelineGrowth, TimelinePage, TranscriptFormat,
} from '../common/session-timeline-protocol';

/** How often a connection hears that a live session grew, at most: the view pages in what it shows, so one push per beat is enough. */
const GrowthPushMs = 200;

/** The action of each method (policy/entry-policy.ts). */
export const SessionTimelineServicePolicy: RpcPolicy<SessionTimelineService> = {
    sessions: 'workspace.read', currentSessionId: 'workspace.read', page: 'workspace.read', seek: 'workspace.read', event: 'workspace.read',
    fileAt: 'workspace.read', editedFiles: 'workspace.read', taskLocation: 'workspace.read', importTranscript: 'timeline.import',
    setClient: 'connection', getClient: 'connection', dispose: 'connection',
};

/** One per browser connection: replay queries and imports over the core's timeline, and live growth pushed to its client. */
@injectable()
export class SessionTimelineServiceImpl extends CoreConnectionService<SessionTimelineClient> implements SessionTimelineService {

    protected pendingGrowth = new Map<string, TimelineGrowth>();
    protected growthTimer: NodeJS.Timeout | undefined;

    protected subscribe(core: WorkspaceCore): Disposable[] {
        let timeline: SessionTimeline;
        try {
            timeline = core.timeline;
        } catch {
            // Not recording (sessions.db down): the queries say why when asked.
            return [];
        }
        return [
            timeline.onDidAppend(({ session }) => this.pushGrowth({ sessionId: session.id, eventCount: session.eventCount, lastAt: session.lastAt, lanes: session.lanes })),
            timeline.onDidChangeSessions(() => this.client?.onSessionsChanged()),
            { dispose: () => clearTimeout(this.growthTimer) },
        ];
    }

    async sessions(): Promise<SessionInfo[]> {
        return (await this.timeline()).sessions();
    }

    async currentSessionId(): Promise<string | undefined> {
        return (await this.timeline()).currentSessionId;
    }

    async page(sessionId: string, filter: TimelineFilter, offset: number, limit: number): Promise<TimelinePage> {
        return (await this.timeline()).page(sessionId, filter, offset, limit);
    }

    async seek(sessionId: string, target: SeekTarget, filter: TimelineFilter, limit: number): Promise<SeekResult> {
        return (await this.timeline()).seek(sessionId, target, filter, limit);
    }

    async event(seq: number): Promise<TimelineEvent> {
        return (await this.timeline()).event(seq);
    }

    async fileAt(sessionId: string, path: string, seq: number): Promise<FileState> {
        return (await this.timeline()).fileAt(sessionId, path, seq);
    }

    async editedFiles(sessionId: string, uptoSeq?: number): Promise<EditedFile[]> {
        return (await this.timeline()).editedFiles(sessionId, uptoSeq);
    }

    async taskLocation(taskId: number): Promise<TaskLocation | undefined> {
        if (!Number.isSafeInteger(taskId)) {
            throw new Error(`A task number is needed to find a task on the timeline, not ${JSON.stringify(taskId)}.`);
        }
        return (await this.timeline()).taskLocation(taskId);
    }

    async importTranscript(fileUri: string, importId: string, format?: TranscriptFormat): Promise<ImportReport> {
        if (!fileUri.startsWith('file:')) {
            throw new Error(`Choose a transcript file of the studio's file system; ${fileUri} is not one.`);
        }
        const timeline = await this.timeline();
        return timeline.importFile(FileUri.fsPath(fileUri), { format, onProgress: progress => this.client?.onImportProgress(importId, progress) });
    }

    protected async timeline(): Promise<SessionTimeline> {
        return (await this.core()).timeline;
    }

    protected pushGrowth(growth: TimelineGrowth): void {
        this.pendingGrowth.set(growth.sessionId, growth);
        this.growthTimer ??= setTimeout(() => {
            this.growthTimer = undefined;
            const pending = [...this.pendingGrowth.values()];
            this.pendingGrowth.clear();
            pending.forEach(g => this.client?.onTimelineGrew(g));
        }, GrowthPushMs);
    }
}
