import { enableJSDOM } from '@theia/core/lib/browser/test/jsdom';
let disableJSDOM = enableJSDOM();

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import URI from '@theia/core/lib/common/uri';
import { CancellationTokenSource } from '@theia/core/lib/common/cancellation';
import { Container } from '@theia/core/shared/inversify';
import { ScmContextKeyService } from '@theia/scm/lib/browser/scm-context-key-service';
import { PAGE_SIZE, ScmHistoryGraphModel } from '@theia/scm/lib/browser/scm-history-graph-model';
import { ScmHistoryItemRefsChangeEvent } from '@theia/scm/lib/browser/scm-provider';
import { ScmRepository } from '@theia/scm/lib/browser/scm-repository';
import { ScmService } from '@theia/scm/lib/browser/scm-service';
import { GitGraphOptions, GitService } from '../common/git-protocol';
import { parseGitUri } from '../common/git-uri';
import { branchedRepository, git, gitServiceOn, withoutPersonalGitConfig, write } from '../node/git-repository-test-support';
import { GitHistoryProvider } from './git-history-provider';
import { GitResourceOpener, GitScmProvider } from './git-scm-provider';

disableJSDOM();

/** Resolves once the graph has loaded and `check` holds; fails naming what it shows after 20 s. */
function settled(model: ScmHistoryGraphModel, check: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            listener.dispose();
            reject(new Error(`The graph shows: ${model.entries.map(entry => entry.item.subject).join(', ')} (loading: ${model.loading})`));
        }, 20_000);
        const test = () => {
            if (!model.loading && model.hasAttemptedLoad && check()) {
                clearTimeout(timer);
                listener.dispose();
                resolve();
            }
        };
        const listener = model.onDidChange(test);
        test();
    });
}

describe('GitHistoryProvider: the Graph section of the Source Control view on a real repository', function () {
    this.timeout(60_000);

    let tmp: string;
    let workspace: string;
    let provider: GitScmProvider;
    let history: GitHistoryProvider;
    let model: ScmHistoryGraphModel;
    /** The backend's graph reads, as the browser asked for them. */
    let graphReads: GitGraphOptions[];
    let refsEvents: ScmHistoryItemRefsChangeEvent[];
    let currentEvents: number;
    const sha = (revision: string) => git(workspace, 'rev-parse', revision).trim();

    withoutPersonalGitConfig();
    before(() => disableJSDOM = enableJSDOM());
    after(() => disableJSDOM());

    beforeEach(() => {
        tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'coditect-git-history-')));
        workspace = path.join(tmp, 'workspace');
        fs.mkdirSync(workspace);
        graphReads = [];
        refsEvents = [];
        currentEvents = 0;
    });

    afterEach(() => {
        model?.dispose();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** The provider over the backend's real GitService, and Theia's real graph model on the selected repository. */
    function start(): void {
        const backend = gitServiceOn(workspace);
        const git: GitService = Object.create(backend);
        git.graph = options => {
            graphReads.push(options);
            return backend.graph(options);
        };
        const container = new Container();
        container.bind(GitService).toConstantValue(git);
        container.bind(GitResourceOpener).toConstantValue({ open: async () => undefined });
        container.bind(GitHistoryProvider).toSelf().inSingletonScope();
        container.bind(GitScmProvider).toSelf().inSingletonScope();
        container.bind(ScmContextKeyService).toConstantValue({} as ScmContextKeyService);
        container.bind(ScmService).toSelf().inSingletonScope();
        container.bind(ScmHistoryGraphModel).toSelf().inSingletonScope();
        provider = container.get(GitScmProvider);
        provider.setRoot(URI.fromFilePath(workspace));
        history = provider.historyProvider;
        history.onDidChangeHistoryItemRefs(event => refsEvents.push(event));
        history.onDidChangeCurrentHistoryItemRefs(() => currentEvents++);
        // As GitRepositoryContribution does at start: select the repository, then refresh it.
        container.get(ScmService).selectedRepository = { provider } as unknown as ScmRepository;
        model = container.get(ScmHistoryGraphModel);
    }

    it('draws the branch and its upstream with a merge\'s lanes and the refs on commits, and moves when a commit is made', async () => {
        branchedRepository(tmp);
        start();
        await provider.refresh();
        await settled(model, () => model.entries.length === 4);

        assert.deepEqual([history.currentHistoryItemRef?.id, history.currentHistoryItemRef?.revision], ['refs/heads/main', sha('main')]);
        assert.deepEqual([history.currentHistoryItemRemoteRef?.name, history.currentHistoryItemRemoteRef?.revision], ['origin/main', sha('main')]);
        const rows = model.entries.map(({ item, graphRow }) =>
            `${graphRow.lane} ${item.subject} [${(item.references ?? []).map(ref => `${ref.name}:${ref.icon}`).join(' ')}]`);
        assert.deepEqual(rows, [
            '0 Merge feature [main:codicon codicon-git-branch origin/main:codicon codicon-cloud]',
            '1 on feature [feature:codicon codicon-git-branch]',
            '0 on main []',
            // Theia's lanes: the feature's lane reaches the root first, and main's curves into it.
            '1 first [v1:codicon codicon-tag v1.1:codicon codicon-tag]',
        ]);
        const [merge, feature] = model.entries.map(entry => entry.item);
        assert.deepEqual(merge.parentIds, [sha('main^1'), sha('main^2')]);
        assert.equal(feature.message, 'on feature\n\nAdds b.txt.');
        assert.deepEqual(feature.statistics, { files: 1, insertions: 1, deletions: 0 });
        assert.equal(feature.author, 'Repo Owner');
        assert.equal(feature.displayId, sha('feature').slice(0, feature.displayId?.length));
        // The graph started from the branch and its upstream; the requests of the first refresh's two events were cancelled before git.
        assert.deepEqual(graphReads.map(read => read.revisions), [[sha('main')]]);

        // A commit (in a terminal, or by an agent) moves main: the graph reloads with it on top, origin/main stays behind.
        write(workspace, 'c.txt', 'sea\n');
        git(workspace, 'add', 'c.txt');
        git(workspace, 'commit', '-q', '-m', 'after the merge');
        refsEvents = [];
        currentEvents = 0;
        await provider.refresh();
        assert.deepEqual(refsEvents.map(event => [event.added.length, event.removed.length, event.modified.map(ref => ref.id)]), [[0, 0, ['refs/heads/main']]]);
        assert.equal(currentEvents, 1);
        await settled(model, () => model.entries[0]?.item.subject === 'after the merge');
        assert.deepEqual(model.entries.slice(0, 2).map(entry => (entry.item.references ?? []).map(ref => ref.name)), [['main'], ['origin/main']]);
        assert.equal(graphReads.length, 2);
        assert.deepEqual(graphReads[1].revisions, [sha('main'), sha('origin/main')]);

        // A refresh that finds the refs where they were (a file saved) leaves the graph alone.
        write(workspace, 'c.txt', 'edited\n');
        await provider.refresh();
        assert.deepEqual([refsEvents.length, currentEvents, graphReads.length], [1, 1, 2]);
    });

    it('gives a commit\'s files as the two sides of a diff against the parent asked for, and the common ancestor of refs', async () => {
        branchedRepository(tmp);
        start();
        await provider.refresh();
        const side = (uri: string | undefined) => {
            const parts = uri === undefined ? undefined : parseGitUri(new URI(uri));
            return parts && `${path.relative(workspace, parts.path)}@${parts.ref}`;
        };
        const merge = sha('main');
        const added = await history.provideHistoryItemChanges(merge, sha('main^1'));
        assert.deepEqual(added.map(change => [change.uri, side(change.originalUri), side(change.modifiedUri)]),
            [[URI.fromFilePath(path.join(workspace, 'b.txt')).toString(), undefined, `b.txt@${merge}`]]);
        const modified = await history.provideHistoryItemChanges(merge, sha('main^2'));
        assert.deepEqual(modified.map(change => [side(change.originalUri), side(change.modifiedUri)]), [[`a.txt@${sha('main^2')}`, `a.txt@${merge}`]]);
        const root = await history.provideHistoryItemChanges(sha('v1'), undefined);
        assert.deepEqual(root.map(change => [side(change.originalUri), side(change.modifiedUri)]), [[undefined, `a.txt@${sha('v1')}`]]);

        assert.equal(await history.resolveHistoryItemRefsCommonAncestor(['refs/heads/feature', sha('main^1')]), sha('v1'));
        assert.equal((await history.resolveHistoryItem(sha('feature')))?.subject, 'on feature');
        assert.deepEqual((await history.provideHistoryItemRefs(['refs/tags'])).map(ref => ref.id), ['refs/tags/v1', 'refs/tags/v1.1']);
        assert.deepEqual((await history.provideHistoryItemRefs(undefined)).map(ref => ref.name), ['feature', 'main', 'origin/main', 'v1', 'v1.1']);

        // A request cancelled before it is served never reaches git.
        const cancelled = new CancellationTokenSource();
        cancelled.cancel();
        const reads = graphReads.length;
        assert.equal(await history.provideHistoryItems({ limit: 50 }, cancelled.token), undefined);
        assert.equal(graphReads.length, reads);
    });

    it('pages through a long history as the graph scrolls, without repeating a commit', async () => {
        git(workspace, 'init', '-q', '--initial-branch=main');
        git(workspace, 'config', 'user.name', 'Repo Owner');
        git(workspace, 'config', 'user.email', 'owner@example.com');
        const total = PAGE_SIZE + 5;
        for (let i = 1; i <= total; i++) {
            git(workspace, 'commit', '-q', '--allow-empty', '-m', `commit ${i}`);
        }
        start();
        await provider.refresh();
        await settled(model, () => model.entries.length === PAGE_SIZE);
        assert.equal(model.hasMore, true);
        await model.loadMore();
        await settled(model, () => model.entries.length === total);
        assert.equal(model.hasMore, false);
        assert.deepEqual(model.entries.map(entry => entry.item.subject), Array.from({ length: total }, (_, i) => `commit ${total - i}`));
        assert.deepEqual(graphReads.map(read => [read.skip, read.maxCount]), [[0, PAGE_SIZE], [PAGE_SIZE, PAGE_SIZE]]);
    });

    it('follows HEAD when it is detached, and has nothing to show before the first commit or outside a repository', async () => {
        start();
        await provider.refresh();
        await settled(model, () => true);
        assert.deepEqual([model.entries.length, history.currentHistoryItemRef, currentEvents, refsEvents.length], [0, undefined, 0, 0]);

        git(workspace, 'init', '-q', '--initial-branch=main');
        await provider.refresh();
        assert.deepEqual([history.currentHistoryItemRef, currentEvents, refsEvents.length], [undefined, 0, 0], 'an unborn branch has no commit to show');

        fs.rmSync(path.join(workspace, '.git'), { recursive: true });
        branchedRepository(tmp);
        await provider.refresh();
        assert.equal(history.currentHistoryItemRef?.id, 'refs/heads/main');
        git(workspace, 'checkout', '-q', '--detach', 'main^2');
        currentEvents = 0;
        await provider.refresh();
        assert.equal(currentEvents, 1);
        assert.deepEqual([history.currentHistoryItemRef?.id, history.currentHistoryItemRef?.revision, history.currentHistoryItemRemoteRef],
            ['HEAD', sha('HEAD'), undefined]);
        await settled(model, () => model.entries[0]?.item.subject === 'on feature');
        assert.deepEqual(model.entries.map(entry => entry.item.subject), ['on feature', 'first']);
    });
});
