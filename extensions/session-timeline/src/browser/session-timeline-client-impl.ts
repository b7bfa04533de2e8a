import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';
import { ImportProgress, SessionTimelineClient, TimelineGrowth } from '../common/session-timeline-protocol';

/** Receives the backend's pushes and re-announces them to the views. */
@injectable()
export class SessionTimelineClientImpl implements SessionTimelineClient {
    protected readonly grew = new Emitter<TimelineGrowth>();
    readonly onDidGrow: Event<TimelineGrowth> = this.grew.event;
    protected readonly sessionsChanged = new Emitter<void>();
    readonly onDidChangeSessions: Event<void> = this.sessionsChanged.event;
    protected readonly importProgress = new Emitter<{ importId: string; progress: ImportProgress }>();
    readonly onDidReportImportProgress: Event<{ importId: string; progress: ImportProgress }> = this.importProgress.event;

    onTimelineGrew(growth: TimelineGrowth): void {
        this.grew.fire(growth);
    }

    onSessionsChanged(): void {
        this.sessionsChanged.fire();
    }

    onImportProgress(importId: string, progress: ImportProgress): void {
        this.importProgress.fire({ importId, progress });
    }
}
