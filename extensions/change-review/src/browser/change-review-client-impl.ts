import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';
import { ChangeReviewClient, ChangeSetEvent } from '../common/change-review-protocol';

/** Receives what the backend pushes about change sets and re-fires it to the frontend. */
@injectable()
export class ChangeReviewClientImpl implements ChangeReviewClient {
    protected readonly changeSetsChanged = new Emitter<ChangeSetEvent>();
    readonly onDidChangeChangeSets: Event<ChangeSetEvent> = this.changeSetsChanged.event;

    protected readonly taskStatusChanged = new Emitter<{ readonly taskId: number; readonly status: string }>();
    readonly onDidChangeTaskStatus: Event<{ readonly taskId: number; readonly status: string }> = this.taskStatusChanged.event;

    onChangeSetsChanged(event: ChangeSetEvent): void {
        this.changeSetsChanged.fire(event);
    }

    onTaskStatusChanged(taskId: number, status: string): void {
        this.taskStatusChanged.fire({ taskId, status });
    }
}
