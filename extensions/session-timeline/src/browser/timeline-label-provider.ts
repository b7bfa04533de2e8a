import { nls } from '@theia/core/lib/common/nls';
import { LabelProvider, LabelProviderContribution } from '@theia/core/lib/browser/label-provider';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { TimelineUri } from '../common/timeline-uri';

/** Editor tabs of files from the past read "greet.ts @ #123", with the file's own icon. */
@injectable()
export class TimelineLabelProvider implements LabelProviderContribution {
    @inject(LabelProvider) protected readonly labels: LabelProvider;

    canHandle(element: object): number {
        return element instanceof URI && TimelineUri.is(element) ? 150 : 0;
    }

    getIcon(element: object): string | undefined {
        const parsed = this.parse(element);
        return parsed && this.labels.getIcon(new URI(`file:///${parsed.path}`));
    }

    getName(element: object): string | undefined {
        const parsed = this.parse(element);
        return parsed && `${parsed.path.split('/').pop()} @ #${parsed.seq}`;
    }

    getLongName(element: object): string | undefined {
        const parsed = this.parse(element);
        return parsed && nls.localize('coditect/session-timeline/file-at-long-name', '{0} as it was at event #{1} of session {2} (read-only)', parsed.path, parsed.seq, parsed.sessionId);
    }

    getDetails(element: object): string | undefined {
        const parsed = this.parse(element);
        return parsed && `session ${parsed.sessionId}, event #${parsed.seq}`;
    }

    protected parse(element: object): { sessionId: string; path: string; seq: number } | undefined {
        if (!(element instanceof URI) || !TimelineUri.is(element)) {
            return undefined;
        }
        try {
            return TimelineUri.parse(element);
        } catch {
            return undefined;
        }
    }
}
