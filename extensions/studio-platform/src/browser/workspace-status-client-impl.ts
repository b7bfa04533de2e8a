import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';
import { FileConflict, WorkspaceHealth, WorkspaceStatusClient } from '../common/workspace-status-protocol';

/** Receives the health the backend pushes and re-fires it to the frontend's listeners. */
@injectable()
export class WorkspaceStatusClientImpl implements WorkspaceStatusClient {
    protected readonly didChangeHealth = new Emitter<WorkspaceHealth>();
    readonly onHealthChanged: Event<WorkspaceHealth> = this.didChangeHealth.event;

    onDidChangeHealth(health: WorkspaceHealth): void {
        this.didChangeHealth.fire(health);
    }

    protected readonly fileConflict = new Emitter<FileConflict>();
    readonly onDidConflict: Event<FileConflict> = this.fileConflict.event;

    onFileConflict(conflict: FileConflict): void {
        this.fileConflict.fire(conflict);
    }
}
