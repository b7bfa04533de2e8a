import { nls } from '@theia/core/lib/common/nls';
import { Resource, ResourceResolver } from '@theia/core/lib/common/resource';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ChangeReviewService } from '../common/change-review-protocol';
import { ChangeUri } from '../common/change-uri';

/**
 * A file of a task's change set as it was before the task or after it (`coditect-change:` URIs),
 * read from the backend's record; the two sides of the Changes view's diff editor. Read-only: a
 * side is a record, and the review (Accept, Reject) is what changes the workspace file.
 */
class ChangeFileResource implements Resource {
    readonly readOnly: { value: string };
    readonly autosaveable = false;

    constructor(readonly uri: URI, protected readonly service: ChangeReviewService) {
        const { taskId, path, side } = ChangeUri.parse(uri);
        this.readOnly = {
            value: side === 'before'
                ? nls.localize('coditect/change-review/before-read-only', '{0} as it was before task #{1}: a record, read-only. Reject the change in the Changes view to restore it.', path, taskId)
                : nls.localize('coditect/change-review/after-read-only', '{0} as task #{1} left it: a record, read-only. Edit the workspace file itself to change it.', path, taskId),
        };
    }

    async readContents(): Promise<string> {
        const { taskId, path, side } = ChangeUri.parse(this.uri);
        const { exists, content } = await this.service.content(taskId, path, side);
        // A side where the file did not exist (created or deleted by the task) is an empty document.
        return exists ? content : '';
    }

    dispose(): void {
        // Nothing held.
    }
}

@injectable()
export class ChangeResourceResolver implements ResourceResolver {
    @inject(ChangeReviewService) protected readonly service: ChangeReviewService;

    resolve(uri: URI): Resource {
        if (!ChangeUri.is(uri)) {
            throw new Error(`${uri.toString()} is not a file of a task's change set.`);
        }
        return new ChangeFileResource(uri, this.service);
    }
}
