import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitGraphCommit, GitService } from '../common/git-protocol';
import { branchedRepository, git, gitServiceOn, withoutPersonalGitConfig } from './git-repository-test-support';

/** What a spec compares of a commit of the graph: its subject, its refs' names, its parents' subjects. */
function shape(commits: readonly GitGraphCommit[]): string[] {
    const subjectOf = new Map(commits.map(commit => [commit.sha, commit.subject]));
    return commits.map(commit => `${commit.subject} [${commit.refs.map(ref => ref.name).join(' ')}] <- ${commit.parents.map(p => subjectOf.get(p) ?? p.slice(0, 7)).join(', ')}`);
}

describe('GitServiceImpl: the history graph on real repositories', function () {
    this.timeout(60_000);

    let tmp: string;
    let workspace: string;
    let service: GitService;
    const sha = (revision: string) => git(workspace, 'rev-parse', revision).trim();

    withoutPersonalGitConfig();

    beforeEach(() => {
        tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'coditect-git-graph-')));
        workspace = path.join(tmp, 'workspace');
        fs.mkdirSync(workspace);
        service = gitServiceOn(workspace);
    });

    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('lists branches, remote branches and tags, with HEAD\'s branch and its upstream', async () => {
        branchedRepository(tmp);
        const refs = await service.refs();
        assert.ok(refs);
        assert.equal(refs.branch, 'refs/heads/main');
        assert.equal(refs.head, sha('HEAD'));
        assert.equal(refs.upstream, 'refs/remotes/origin/main');
        assert.deepEqual(refs.refs.map(ref => `${ref.kind} ${ref.name} ${ref.fullName}`), [
            'branch feature refs/heads/feature',
            'branch main refs/heads/main',
            'remote origin/main refs/remotes/origin/main',
            'tag v1 refs/tags/v1',
            'tag v1.1 refs/tags/v1.1',
        ]);
        // An annotated tag points at the commit it tags, not at the tag object.
        assert.equal(refs.refs.find(ref => ref.name === 'v1.1')?.commit, sha('v1'));
        assert.notEqual(git(workspace, 'rev-parse', 'refs/tags/v1.1').trim(), sha('v1'));

        // An upstream that was never fetched is no remote ref to show.
        git(workspace, 'switch', '-q', 'feature');
        git(workspace, 'config', 'branch.feature.remote', 'origin');
        git(workspace, 'config', 'branch.feature.merge', 'refs/heads/feature');
        const onFeature = await service.refs();
        assert.equal(onFeature?.branch, 'refs/heads/feature');
        assert.equal(onFeature?.upstream, undefined);
    });

    it('walks the branch and its upstream children first, with parents, refs, statistics and messages', async () => {
        branchedRepository(tmp);
        const commits = await service.graph({ revisions: ['refs/heads/main', 'refs/remotes/origin/main'] });
        assert.deepEqual(shape(commits), [
            'Merge feature [main origin/main] <- on main, on feature',
            'on feature [feature] <- first',
            'on main [] <- first',
            'first [v1 v1.1] <- ',
        ]);
        const [merge, feature, main, first] = commits;
        assert.equal(merge.sha, sha('main'));
        assert.equal(merge.shortSha, git(workspace, 'log', '-1', '--format=%h', 'main').trim());
        assert.equal(merge.statistics, undefined, 'git counts no diff for a merge');
        assert.deepEqual(feature.statistics, { files: 1, insertions: 1, deletions: 0 });
        assert.deepEqual(main.statistics, { files: 1, insertions: 0, deletions: 2 });
        assert.deepEqual(first.statistics, { files: 1, insertions: 3, deletions: 0 });
        assert.equal(feature.body, 'Adds b.txt.');
        assert.equal(feature.authorName, 'Repo Owner');
        assert.ok(Math.abs(feature.authorDate - Date.now()) < 600_000, 'the author date is in milliseconds');

        // Pages of skip and maxCount join up into the same walk; HEAD is where it starts without revisions.
        const pages = [...await service.graph({ maxCount: 3 }), ...await service.graph({ skip: 3, maxCount: 3 })];
        assert.deepEqual(pages.map(commit => commit.sha), commits.map(commit => commit.sha));
        // Down to a commit, its own history left out; and only the commits whose message says something.
        assert.deepEqual(shape(await service.graph({ until: feature.sha })).map(line => line.split(' [')[0]), ['Merge feature', 'on feature', 'on main']);
        assert.deepEqual((await service.graph({ messageText: 'FEATURE' })).map(commit => commit.subject), ['Merge feature', 'on feature']);
        assert.deepEqual((await service.graph({ messageText: 'b.txt' })).map(commit => commit.subject), ['on feature'], 'the text is no pattern');
    });

    it('finds the common ancestor of refs, and a merge\'s changes against either parent', async () => {
        branchedRepository(tmp);
        const first = sha('v1');
        assert.equal(await service.mergeBase(['refs/heads/feature', sha('main^1')]), first);
        assert.equal(await service.mergeBase(['refs/heads/main', 'refs/heads/feature']), sha('feature'));
        git(workspace, 'switch', '-q', '--orphan', 'unrelated');
        git(workspace, 'commit', '-q', '--allow-empty', '-m', 'unrelated root');
        assert.equal(await service.mergeBase(['refs/heads/main', 'refs/heads/unrelated']), undefined);

        const merge = sha('main');
        assert.deepEqual(await service.commitChanges(merge), [{ kind: 'added', path: 'b.txt' }]);
        assert.deepEqual(await service.commitChanges(merge, sha('main^2')), [{ kind: 'modified', path: 'a.txt' }]);
    });

    it('starts from a detached HEAD, which is on no branch', async () => {
        branchedRepository(tmp);
        git(workspace, 'checkout', '-q', '--detach', 'main^1');
        const refs = await service.refs();
        assert.equal(refs?.branch, undefined);
        assert.equal(refs?.upstream, undefined);
        assert.equal(refs?.head, sha('main^1'));
        assert.deepEqual(shape(await service.graph({})), ['on main [] <- first', 'first [v1 v1.1] <- ']);
    });

    it('has no history in an empty repository, and none outside a repository', async () => {
        assert.equal(await service.refs(), undefined);
        assert.deepEqual(await service.graph({}), []);
        await assert.rejects(service.mergeBase(['a', 'b']), /not a git repository/);

        git(workspace, 'init', '-q', '--initial-branch=main');
        assert.deepEqual(await service.refs(), { refs: [], branch: 'refs/heads/main', head: undefined });
        assert.deepEqual(await service.graph({ revisions: ['refs/heads/main'] }), []);
    });

    it('refuses revisions that read as options or that the repository lacks, saying which', async () => {
        branchedRepository(tmp);
        await assert.rejects(service.graph({ revisions: ['--output=/tmp/x'] }), /"--output=\/tmp\/x" is not a revision/);
        await assert.rejects(service.graph({ revisions: ['main stuff'] }), /is not a revision/);
        await assert.rejects(service.graph({ revisions: ['refs/heads/gone'] }), /no branch, tag or commit "refs\/heads\/gone".*refresh the Source Control view/);
        await assert.rejects(service.graph({ until: 'HEAD' }), /"HEAD" is not a commit id/);
        await assert.rejects(service.mergeBase(['main']), /give 2 to 16 revisions/);
        await assert.rejects(service.mergeBase(['main', '-p']), /"-p" is not a revision/);
        await assert.rejects(service.mergeBase(['main', 'nope']), /no branch, tag or commit "nope"/);
        await assert.rejects(service.commitChanges(sha('main'), '--root'), /"--root" is not a commit id/);
    });
});
