import { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type {
    EditedFile, FileState, ImportProgress, ImportReport, SeekResult, SeekTarget, SessionInfo, TaskLocation, TimelineEvent, TimelineFilter,
    TimelineLane, TimelinePage, TranscriptFormat,
} from '@coditect/workspace-backend/types';

export type {
    EditedFile, FileState, ImportProgress, ImportReport, SeekResult, SeekTarget, SessionInfo, SkippedLine, TaskLocation, TimelineEvent,
    TimelineEventKind, TimelineEventSummary, TimelineFilter, TimelineLane, TimelinePage, TranscriptFormat,
} from '@coditect/workspace-backend/types';

export const SESSION_TIMELINE_PATH = '/services/coditect/session-timeline';

/** A live session grew: its new size, time and lanes (the view pages in what it shows). */
export interface TimelineGrowth {
    readonly sessionId: string;
    readonly eventCount: number;
    readonly lastAt?: number;
    readonly lanes: readonly TimelineLane[];
}

export interface SessionTimelineClient {
    onTimelineGrew(growth: TimelineGrowth): void;
    /** A session was added (an import) or ended. */
    onSessionsChanged(): void;
    onImportProgress(importId: string, progress: ImportProgress): void;
}

/** The session timeline as the browser sees it: read-only replay, and import. */
export const SessionTimelineService = Symbol('SessionTimelineService');
export interface SessionTimelineService extends RpcServer<SessionTimelineClient> {
    /** Newest first. */
    sessions(): Promise<SessionInfo[]>;
    /** The run being recorded now, if any. */
    currentSessionId(): Promise<string | undefined>;
    page(sessionId: string, filter: TimelineFilter, offset: number, limit: number): Promise<TimelinePage>;
    seek(sessionId: string, target: SeekTarget, filter: TimelineFilter, limit: number): Promise<SeekResult>;
    event(seq: number): Promise<TimelineEvent>;
    /** A file as it was just after event `seq` of the session. */
    fileAt(sessionId: string, path: string, seq: number): Promise<FileState>;
    editedFiles(sessionId: string, uptoSeq?: number): Promise<EditedFile[]>;
    /** Where a task first shows on the timeline, over every session. */
    taskLocation(taskId: number): Promise<TaskLocation | undefined>;
    /**
     * Imports a transcript file of the backend's file system (a `file://` URI from the file
     * dialog); progress arrives through `onImportProgress(importId, …)`.
     */
    importTranscript(fileUri: string, importId: string, format?: TranscriptFormat): Promise<ImportReport>;
}
