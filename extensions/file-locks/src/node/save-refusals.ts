import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';
import { SaveRefusal } from '../common/lock-protocol';

/**
 * Carries refused saves from the file system provider (which has no client of its own) to the
 * lock service of the same user's connections, which offers to wait or force-release.
 */
@injectable()
export class SaveRefusals {
    protected readonly refused = new Emitter<SaveRefusal & { userId: string }>();
    readonly onRefused: Event<SaveRefusal & { userId: string }> = this.refused.event;

    report(userId: string, refusal: SaveRefusal): void {
        this.refused.fire({ userId, ...refusal });
    }
}
