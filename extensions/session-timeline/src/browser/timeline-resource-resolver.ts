import { nls } from '@theia/core/lib/common/nls';
import { Resource, ResourceError, ResourceResolver } from '@theia/core/lib/common/resource';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { SessionTimelineService } from '../common/session-timeline-protocol';
import { TimelineUri } from '../common/timeline-uri';

/**
 * A workspace file as it was at a point of a session (`coditect-timeline:` URIs), rebuilt in the
 * backend from the session's edit diffs. Read-only: editors say so when someone types.
 */
class TimelineFileResource implements Resource {
    readonly readOnly: { value: string };
    readonly autosaveable = false;

    constructor(readonly uri: URI, protected readonly service: SessionTimelineService) {
        const { path, seq } = TimelineUri.parse(uri);
        this.readOnly = { value: nls.localize('coditect/session-timeline/file-at-read-only', '{0} as it was at event #{1} of a recorded session: a record of the past, read-only.', path, seq) };
    }

    async readContents(): Promise<string> {
        const { sessionId, path, seq } = TimelineUri.parse(this.uri);
        const state = await this.service.fileAt(sessionId, path, seq);
        if (state.status === 'exists') {
            return state.content;
        }
        if (state.status === 'absent') {
            // An empty document says "nothing here" better than an error page; the reason goes in its place.
            return '';
        }
        throw ResourceError.NotFound({ message: state.reason, data: { uri: this.uri } });
    }

    dispose(): void {
        // Nothing held.
    }
}

@injectable()
export class TimelineResourceResolver implements ResourceResolver {
    @inject(SessionTimelineService) protected readonly service: SessionTimelineService;

    resolve(uri: URI): Resource {
        if (!TimelineUri.is(uri)) {
            throw new Error(`${uri.toString()} is not a session timeline file.`);
        }
        return new TimelineFileResource(uri, this.service);
    }
}
