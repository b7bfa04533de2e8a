import { nls } from '@theia/core/lib/common/nls';
import URI from '@theia/core/lib/common/uri';
import { ScmResource, ScmResourceDecorations, ScmResourceGroup } from '@theia/scm/lib/browser/scm-provider';
import { GitChange, GitChangeKind } from '../common/git-protocol';

/** The SCM view's groups, with VS Code's ids (menus' `scmResourceGroup == …` clauses use them). */
export type GitGroupId = 'merge' | 'index' | 'workingTree';

/** Letter, colour (a theme colour id, git-colors.ts) and words of each kind of change. */
export const CHANGE_LOOKS: Readonly<Record<GitChangeKind, { readonly letter: string; readonly colorId: string; readonly tooltip: () => string }>> = {
    modified: { letter: 'M', colorId: 'gitDecoration.modifiedResourceForeground', tooltip: () => nls.localize('coditect/source-control/modified', 'Modified') },
    added: { letter: 'A', colorId: 'gitDecoration.addedResourceForeground', tooltip: () => nls.localize('coditect/source-control/added', 'Added') },
    deleted: { letter: 'D', colorId: 'gitDecoration.deletedResourceForeground', tooltip: () => nls.localize('coditect/source-control/deleted', 'Deleted') },
    renamed: { letter: 'R', colorId: 'gitDecoration.renamedResourceForeground', tooltip: () => nls.localize('coditect/source-control/renamed', 'Renamed') },
    copied: { letter: 'C', colorId: 'gitDecoration.addedResourceForeground', tooltip: () => nls.localize('coditect/source-control/copied', 'Copied') },
    'type-changed': { letter: 'T', colorId: 'gitDecoration.modifiedResourceForeground', tooltip: () => nls.localize('coditect/source-control/type-changed', 'Type changed') },
    untracked: { letter: 'U', colorId: 'gitDecoration.untrackedResourceForeground', tooltip: () => nls.localize('coditect/source-control/untracked', 'Untracked') },
    conflicted: { letter: '!', colorId: 'gitDecoration.conflictingResourceForeground', tooltip: () => nls.localize('coditect/source-control/conflicted', 'Conflict') },
};

/** One changed file in one group of the SCM view. */
export class GitScmResource implements ScmResource {
    readonly decorations: ScmResourceDecorations;

    constructor(
        readonly sourceUri: URI,
        readonly change: GitChange,
        readonly group: ScmResourceGroup & { readonly id: GitGroupId },
        protected readonly opener: (resource: GitScmResource) => Promise<void>,
        /** Where a renamed or copied file came from. */
        readonly oldUri?: URI,
    ) {
        const look = CHANGE_LOOKS[change.kind];
        this.decorations = {
            letter: look.letter,
            color: look.colorId,
            tooltip: change.oldPath ? `${look.tooltip()} (${change.oldPath})` : look.tooltip(),
            strikeThrough: change.kind === 'deleted',
        };
    }

    open(): Promise<void> {
        return this.opener(this);
    }
}

/** A group of the view; its resources are replaced at each refresh. */
export class GitScmResourceGroup implements ScmResourceGroup {
    resources: GitScmResource[] = [];

    constructor(
        readonly id: GitGroupId,
        readonly label: string,
        readonly provider: ScmResourceGroup['provider'],
        readonly hideWhenEmpty: boolean,
    ) { }

    dispose(): void {
        this.resources = [];
    }
}
