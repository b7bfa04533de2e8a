import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';
import { LockClient, LockEvent, SaveRefusal } from '../common/lock-protocol';

/** Receives what the backend pushes and re-fires it to the frontend. */
@injectable()
export class LockClientImpl implements LockClient {
    protected readonly lockEvent = new Emitter<LockEvent>();
    readonly onDidReceiveLockEvent: Event<LockEvent> = this.lockEvent.event;
    protected readonly saveRefused = new Emitter<SaveRefusal>();
    readonly onDidRefuseSave: Event<SaveRefusal> = this.saveRefused.event;

    onLockEvent(event: LockEvent): void {
        this.lockEvent.fire(event);
    }

    onSaveRefused(refusal: SaveRefusal): void {
        this.saveRefused.fire(refusal);
    }
}
