import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { CancellationToken } from '@theia/core/lib/common/cancellation';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { nls } from '@theia/core/lib/common/nls';
import { Deferred } from '@theia/core/lib/common/promise-util';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import {
    ScmHistoryItem, ScmHistoryItemChange, ScmHistoryItemRef, ScmHistoryItemRefsChangeEvent, ScmHistoryOptions, ScmHistoryProvider,
} from '@theia/scm/lib/browser/scm-provider';
import { GitGraphCommit, GitRefInfo, GitRefKind, GitRefs, GitService, MAX_GRAPH_COUNT } from '../common/git-protocol';
import { commitChangeSides } from './git-history-support';

/** How each kind of ref looks (the codicons of VS Code's git extension) and where it goes among a commit's refs. */
const REF_LOOKS: Readonly<Record<GitRefKind, { readonly icon: string; readonly order: number; readonly category: () => string }>> = {
    branch: { icon: 'git-branch', order: 1, category: () => nls.localize('coditect/source-control/graph-branches', 'Branches') },
    remote: { icon: 'cloud', order: 2, category: () => nls.localize('coditect/source-control/graph-remote-branches', 'Remote Branches') },
    tag: { icon: 'tag', order: 3, category: () => nls.localize('coditect/source-control/graph-tags', 'Tags') },
};

/**
 * The Source Control view's Graph section (@theia/scm's ScmHistoryGraphModel and widget) for the
 * workspace's repository: the commits of the current branch and its upstream with their parents (the
 * lanes), the branches and tags on them, and each commit's files as `git:` URIs the widget diffs.
 *
 * The graph model reloads from the top whenever one of the two events fires, reading
 * `currentHistoryItemRef`/`currentHistoryItemRemoteRef` as where to start. They are read again at every
 * refresh of the repository (GitScmProvider.refresh, after .git's HEAD or refs change), and the events
 * fire only when something moved: a commit, a checkout, a fetch, a new tag.
 */
@injectable()
export class GitHistoryProvider implements ScmHistoryProvider {
    @inject(GitService) protected readonly git: GitService;

    protected root = new URI();
    /** The repository's refs as last read; undefined outside a repository. */
    protected known: GitRefs | undefined;
    /** Resolved once the refs were read the first time: the graph's first request waits for where to start. */
    protected readonly firstRead = new Deferred<void>();

    /** The checked-out branch, or HEAD itself when detached; undefined before the first commit. */
    currentHistoryItemRef: ScmHistoryItemRef | undefined;
    /** The current branch's upstream, once fetched. */
    currentHistoryItemRemoteRef: ScmHistoryItemRef | undefined;
    /** No base lane: the graph follows the branch and its upstream. */
    readonly currentHistoryItemBaseRef: ScmHistoryItemRef | undefined = undefined;

    protected readonly onDidChangeCurrentHistoryItemRefsEmitter = new Emitter<void>();
    readonly onDidChangeCurrentHistoryItemRefs: Event<void> = this.onDidChangeCurrentHistoryItemRefsEmitter.event;
    protected readonly onDidChangeHistoryItemRefsEmitter = new Emitter<ScmHistoryItemRefsChangeEvent>();
    readonly onDidChangeHistoryItemRefs: Event<ScmHistoryItemRefsChangeEvent> = this.onDidChangeHistoryItemRefsEmitter.event;

    /** Where the repository's files are (the workspace folder), for the URIs of a commit's files. */
    setRoot(root: URI): void {
        this.root = root;
    }

    /** Reads the refs again and fires what changed; outside a repository there are none. */
    async refresh(isRepository: boolean): Promise<void> {
        try {
            const refs = isRepository ? await this.git.refs() : undefined;
            const change = refsChange(this.known?.refs ?? [], refs?.refs ?? []);
            const current = currentRef(refs);
            const remote = refs?.upstream !== undefined ? refs.refs.find(ref => ref.fullName === refs.upstream) : undefined;
            const remoteRef = remote && toHistoryItemRef(remote);
            const currentMoved = !sameRef(current, this.currentHistoryItemRef) || !sameRef(remoteRef, this.currentHistoryItemRemoteRef);
            this.known = refs;
            this.currentHistoryItemRef = current;
            this.currentHistoryItemRemoteRef = remoteRef;
            if (change.added.length > 0 || change.removed.length > 0 || change.modified.length > 0) {
                this.onDidChangeHistoryItemRefsEmitter.fire(change);
            }
            if (currentMoved) {
                this.onDidChangeCurrentHistoryItemRefsEmitter.fire();
            }
        } finally {
            this.firstRead.resolve();
        }
    }

    async provideHistoryItemRefs(historyItemRefs: string[] | undefined): Promise<ScmHistoryItemRef[]> {
        const refs = (await this.git.refs())?.refs ?? [];
        // Patterns as for-each-ref takes them: a full name, or a prefix such as refs/tags.
        const wanted = (ref: GitRefInfo) => !historyItemRefs || historyItemRefs.some(pattern =>
            ref.fullName === pattern || ref.fullName.startsWith(pattern.endsWith('/') ? pattern : `${pattern}/`));
        return refs.filter(wanted).map(toHistoryItemRef);
    }

    async provideHistoryItems(options: ScmHistoryOptions, token: CancellationToken): Promise<ScmHistoryItem[] | undefined> {
        // Both events fire together when the current branch moves, and the graph reloads at each: the
        // first request is cancelled by then, and never reaches git. (Awaiting yields even once resolved.)
        await this.firstRead.promise;
        if (token.isCancellationRequested) {
            return undefined;
        }
        const { limit } = options;
        const commits = await this.git.graph({
            revisions: options.historyItemRefs?.length ? [...new Set(options.historyItemRefs)] : undefined,
            skip: options.skip,
            // `{ id }` asks for every commit down to that one.
            maxCount: typeof limit === 'object' ? MAX_GRAPH_COUNT : limit,
            until: typeof limit === 'object' ? limit.id : undefined,
            messageText: options.filterText,
        });
        return token.isCancellationRequested ? undefined : commits.map(commit => this.toHistoryItem(commit));
    }

    /** The files the commit changed against `parentId` (the graph passes its first parent), as the two sides of a diff. */
    async provideHistoryItemChanges(historyItemId: string, historyItemParentId: string | undefined): Promise<ScmHistoryItemChange[]> {
        const changes = await this.git.commitChanges(historyItemId, historyItemParentId);
        const fileUri = (path: string) => this.root.resolve(path);
        return changes.map(change => {
            const file = fileUri(change.path).toString();
            const { before, after } = commitChangeSides(historyItemId, historyItemParentId, change, fileUri);
            return { uri: file, originalUri: before?.toString(), modifiedUri: after?.toString(), renameUri: change.kind === 'renamed' ? file : undefined };
        });
    }

    async resolveHistoryItem(historyItemId: string): Promise<ScmHistoryItem | undefined> {
        const [commit] = await this.git.graph({ revisions: [historyItemId], maxCount: 1 });
        return commit && this.toHistoryItem(commit);
    }

    async resolveHistoryItemRefsCommonAncestor(historyItemRefs: string[]): Promise<string | undefined> {
        return this.git.mergeBase(historyItemRefs);
    }

    protected toHistoryItem(commit: GitGraphCommit): ScmHistoryItem {
        const checkedOut = this.known?.branch;
        // The checked-out branch first (the graph shows three badges at most), then branches, remote branches, tags.
        const rank = (ref: GitRefInfo) => ref.fullName === checkedOut ? 0 : REF_LOOKS[ref.kind].order;
        const refs = [...commit.refs].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
        return {
            id: commit.sha,
            parentIds: commit.parents,
            subject: commit.subject,
            message: commit.body ? `${commit.subject}\n\n${commit.body}` : commit.subject,
            author: commit.authorName,
            authorEmail: commit.authorEmail,
            displayId: commit.shortSha,
            timestamp: commit.authorDate,
            statistics: commit.statistics,
            references: refs.map(toHistoryItemRef),
        };
    }

    dispose(): void {
        this.onDidChangeCurrentHistoryItemRefsEmitter.dispose();
        this.onDidChangeHistoryItemRefsEmitter.dispose();
    }
}

function toHistoryItemRef(ref: GitRefInfo): ScmHistoryItemRef {
    const look = REF_LOOKS[ref.kind];
    return { id: ref.fullName, name: ref.name, revision: ref.commit, icon: codicon(look.icon), category: look.category() };
}

/** The checked-out branch, or a detached HEAD by its commit; undefined without a commit to show. */
function currentRef(refs: GitRefs | undefined): ScmHistoryItemRef | undefined {
    if (!refs?.head) {
        return undefined;
    }
    const branch = refs.branch !== undefined ? refs.refs.find(ref => ref.fullName === refs.branch) : undefined;
    return branch ? toHistoryItemRef(branch) : {
        id: 'HEAD', name: refs.head.slice(0, 7), revision: refs.head, icon: codicon('git-commit'),
        description: nls.localize('coditect/source-control/graph-detached', 'HEAD is detached at {0}', refs.head.slice(0, 7)),
    };
}

function sameRef(a: ScmHistoryItemRef | undefined, b: ScmHistoryItemRef | undefined): boolean {
    return a?.id === b?.id && a?.revision === b?.revision;
}

/** What changed between two readings of the refs, by full name. */
function refsChange(before: readonly GitRefInfo[], after: readonly GitRefInfo[]): ScmHistoryItemRefsChangeEvent {
    const old = new Map(before.map(ref => [ref.fullName, ref]));
    const now = new Set(after.map(ref => ref.fullName));
    return {
        added: after.filter(ref => !old.has(ref.fullName)).map(toHistoryItemRef),
        removed: before.filter(ref => !now.has(ref.fullName)).map(toHistoryItemRef),
        modified: after.filter(ref => {
            const was = old.get(ref.fullName);
            return was !== undefined && was.commit !== ref.commit;
        }).map(toHistoryItemRef),
    };
}
