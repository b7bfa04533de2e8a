import { Emitter, Event } from '@theia/core/lib/common/event';
import { nls } from '@theia/core/lib/common/nls';
import { Resource, ResourceError, ResourceResolver } from '@theia/core/lib/common/resource';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { GitService } from '../common/git-protocol';
import { GitUriParts, parseGitUri } from '../common/git-uri';

/** A workspace file at a revision (`git:` URIs): what the diff editor's left side and the gutter's dirty diff read. Read-only. */
class GitFileResource implements Resource {
    readonly readOnly: { value: string };
    readonly autosaveable = false;

    constructor(readonly uri: URI, protected readonly parts: GitUriParts, protected readonly git: GitService, readonly onDidChangeContents: Event<void>) {
        this.readOnly = { value: nls.localize('coditect/source-control/read-only', 'This is {0} as git has it ({1}): read-only.', parts.path, revisionLabel(parts.ref)) };
    }

    async readContents(): Promise<string> {
        const content = await this.git.show(this.parts.path, this.parts.ref);
        if (content === undefined) {
            // Not in that revision (a new file): the dirty diff then draws nothing, as for an untracked file.
            throw ResourceError.NotFound({ message: nls.localize('coditect/source-control/not-at-revision', '{0} is not in {1}.', this.parts.path, revisionLabel(this.parts.ref)), data: { uri: this.uri } });
        }
        return content;
    }

    dispose(): void {
        // Nothing held.
    }
}

/** How a revision is named to people: the index, HEAD, or a short commit id. */
export function revisionLabel(ref: string): string {
    if (ref === '') {
        return nls.localize('coditect/source-control/index', 'Index');
    }
    return /^[0-9a-f]{40}$/i.test(ref) ? ref.slice(0, 7) : ref;
}

@injectable()
export class GitResourceResolver implements ResourceResolver {
    @inject(GitService) protected readonly git: GitService;

    protected readonly onDidChangeRepositoryEmitter = new Emitter<void>();

    resolve(uri: URI): Resource {
        const parts = parseGitUri(uri);
        if (!parts) {
            throw new Error(`${uri.toString()} is not a git: URI.`);
        }
        return new GitFileResource(uri, parts, this.git, this.onDidChangeRepositoryEmitter.event);
    }

    /** After a refresh: open editors of the index or HEAD read again (a commit or a stage moved them). */
    repositoryChanged(): void {
        this.onDidChangeRepositoryEmitter.fire();
    }
}
