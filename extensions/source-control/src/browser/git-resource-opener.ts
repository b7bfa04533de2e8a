import { open, OpenerService } from '@theia/core/lib/browser/opener-service';
import { DiffUris } from '@theia/core/lib/browser/diff-uris';
import { nls } from '@theia/core/lib/common/nls';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { toGitUri } from '../common/git-uri';
import { GitResourceOpener } from './git-scm-provider';
import { GitScmResource } from './git-scm-resource';
import { revisionLabel } from './git-resource-resolver';

/**
 * Opens a changed file from the SCM view: a staged file as HEAD against the index, a working-tree
 * change as the index against the file on disk (editable), in the Monaco diff editor; a new,
 * deleted or conflicted file by itself (there is no other side worth comparing).
 */
@injectable()
export class GitResourceOpenerImpl implements GitResourceOpener {
    @inject(OpenerService) protected readonly openerService: OpenerService;

    async open(resource: GitScmResource): Promise<void> {
        await open(this.openerService, this.uriToOpen(resource), { mode: 'reveal' });
    }

    /** What Open Changes shows for the resource. */
    uriToOpen(resource: GitScmResource): URI {
        const file = resource.sourceUri;
        const { kind } = resource.change;
        if (resource.group.id === 'index') {
            if (kind === 'added' || kind === 'copied') {
                return toGitUri(file, '');
            }
            if (kind === 'deleted') {
                return toGitUri(file, 'HEAD');
            }
            return this.diff(toGitUri(resource.oldUri ?? file, 'HEAD'), toGitUri(file, ''), file, 'HEAD', '');
        }
        if (resource.group.id === 'workingTree' && (kind === 'modified' || kind === 'type-changed')) {
            return this.diff(toGitUri(file, ''), file, file, '', undefined);
        }
        if (kind === 'deleted') {
            return toGitUri(file, '');
        }
        return file;
    }

    protected diff(left: URI, right: URI, file: URI, leftRef: string, rightRef: string | undefined): URI {
        const rightLabel = rightRef === undefined ? nls.localize('coditect/source-control/working-tree', 'Working Tree') : revisionLabel(rightRef);
        return DiffUris.encode(left, right, `${file.path.base} (${revisionLabel(leftRef)} ↔ ${rightLabel})`);
    }
}
