import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitService } from '../common/git-protocol';
import { git, gitServiceOn, withoutPersonalGitConfig, write } from './git-repository-test-support';

const numbered = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`).join('\n') + '\n';

describe('GitServiceImpl on a real repository', function () {
    this.timeout(60_000);

    let tmp: string;
    let workspace: string;
    let service: GitService;

    /** A repository with one commit of a.txt, by a configured identity. */
    function committedRepository(): void {
        git(workspace, 'init', '-q', '--initial-branch=main');
        git(workspace, 'config', 'user.name', 'Repo Owner');
        git(workspace, 'config', 'user.email', 'owner@example.com');
        write(workspace, 'a.txt', numbered(1, 20));
        git(workspace, 'add', 'a.txt');
        git(workspace, 'commit', '-q', '-m', 'first');
    }

    withoutPersonalGitConfig();

    beforeEach(() => {
        tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'coditect-git-')));
        workspace = path.join(tmp, 'workspace');
        fs.mkdirSync(workspace);
        service = gitServiceOn(workspace);
    });

    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('says a folder is not a repository, even inside another checkout, and initializes one', async () => {
        git(tmp, 'init', '-q'); // an outer repository the workspace sits in must not be taken for the workspace's
        assert.equal(await service.status(), undefined);
        await service.init();
        const status = await service.status();
        assert.equal(status?.hasCommits, false);
        assert.equal(status?.branch, 'main');
        await assert.rejects(service.init(), /already a git repository/);
    });

    it('never runs a program the repository\'s own configuration names for core.fsmonitor (an agent can write .git/config)', async () => {
        committedRepository();
        const marker = path.join(tmp, 'fsmonitor-ran');
        const monitor = path.join(tmp, 'monitor.sh');
        fs.writeFileSync(monitor, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
        git(workspace, 'config', 'core.fsmonitor', monitor);
        write(workspace, 'a.txt', 'changed\n');
        // The plain CLI runs it: the setting is live.
        git(workspace, 'status', '--porcelain');
        assert.ok(fs.existsSync(marker), 'git itself ran the configured fsmonitor');
        fs.rmSync(marker);
        const status = await service.status();
        assert.deepEqual(status?.unstaged.map(change => change.path), ['a.txt']);
        assert.equal(fs.existsSync(marker), false, 'the Source Control view\'s status ran it');
    });

    it('sorts modified, staged, renamed, deleted and untracked files into their groups', async () => {
        committedRepository();
        write(workspace, 'b.txt', 'bee\n');
        git(workspace, 'add', 'b.txt');
        git(workspace, 'commit', '-q', '-m', 'second');
        write(workspace, 'a.txt', numbered(1, 21));
        git(workspace, 'mv', 'b.txt', 'renamed.txt');
        write(workspace, 'new/untracked.txt', 'new\n');
        write(workspace, 'staged-new.txt', 'staged\n');
        git(workspace, 'add', 'staged-new.txt');
        write(workspace, 'staged-new.txt', 'staged and edited\n');

        const status = await service.status();
        assert.ok(status);
        assert.deepEqual([...status.unstaged].sort((x, y) => x.path.localeCompare(y.path)), [
            { path: 'a.txt', kind: 'modified' },
            { path: 'staged-new.txt', kind: 'modified' },
        ]);
        assert.deepEqual([...status.staged].sort((x, y) => x.path.localeCompare(y.path)), [
            { path: 'renamed.txt', oldPath: 'b.txt', kind: 'renamed' },
            { path: 'staged-new.txt', kind: 'added' },
        ]);
        assert.deepEqual(status.untracked, [{ path: 'new/untracked.txt', kind: 'untracked' }]);
        assert.deepEqual(status.conflicts, []);
        assert.equal(status.hasCommits, true);
    });

    it('reports merge conflicts, and staging a resolved file takes it out of them', async () => {
        committedRepository();
        git(workspace, 'switch', '-q', '-c', 'other');
        write(workspace, 'a.txt', 'theirs\n');
        git(workspace, 'commit', '-q', '-am', 'theirs');
        git(workspace, 'switch', '-q', 'main');
        write(workspace, 'a.txt', 'ours\n');
        git(workspace, 'commit', '-q', '-am', 'ours');
        assert.throws(() => git(workspace, 'merge', 'other'));

        assert.deepEqual((await service.status())?.conflicts, [{ path: 'a.txt', kind: 'conflicted' }]);
        await assert.rejects(service.commit('merge'), /still have merge conflicts \(a\.txt\)/);
        write(workspace, 'a.txt', 'resolved\n');
        await service.stage(['a.txt']);
        const status = await service.status();
        assert.deepEqual(status?.conflicts, []);
        assert.deepEqual(status?.staged, [{ path: 'a.txt', kind: 'modified' }]);
    });

    it('stages and unstages whole files (absolute or relative paths), and discards changes and untracked files', async () => {
        committedRepository();
        write(workspace, 'a.txt', 'changed\n');
        write(workspace, 'loose.txt', 'untracked\n');
        await service.stage([path.join(workspace, 'a.txt')]);
        assert.deepEqual((await service.status())?.staged, [{ path: 'a.txt', kind: 'modified' }]);
        await service.unstage(['a.txt']);
        assert.deepEqual((await service.status())?.staged, []);

        await service.discard(['a.txt', 'loose.txt']);
        assert.equal(fs.readFileSync(path.join(workspace, 'a.txt'), 'utf8'), numbered(1, 20));
        assert.equal(fs.existsSync(path.join(workspace, 'loose.txt')), false);
        const status = await service.status();
        assert.deepEqual([status?.unstaged, status?.untracked], [[], []]);
    });

    it('stages one hunk of a file through git apply --cached, and unstages it again', async () => {
        committedRepository();
        const edited = numbered(1, 20).replace('line 2\n', 'line two\n').replace('line 18\n', 'line eighteen\n');
        write(workspace, 'a.txt', edited);
        await service.applyHunks('a.txt', '@@ -1,3 +1,3 @@\n line 1\n-line 2\n+line two\n line 3\n', false);

        const index = await service.show('a.txt', '');
        assert.equal(index, numbered(1, 20).replace('line 2\n', 'line two\n'), 'only the first hunk is in the index');
        assert.match(git(workspace, 'diff'), /-line 18\n\+line eighteen/, 'the second hunk is still unstaged');

        await service.applyHunks('a.txt', '@@ -1,3 +1,3 @@\n line 1\n-line 2\n+line two\n line 3\n', true);
        assert.equal(await service.show('a.txt', ''), numbered(1, 20));
        await assert.rejects(service.applyHunks('a.txt', 'diff --git a/x b/x\n@@ -1 +1 @@\n-a\n+b\n', false), /not a unified-diff hunk/);
        await assert.rejects(service.applyHunks('a.txt', '@@ -1 +1 @@\n-a\n+++ b/other\nrm -rf /\n', false), /not part of a hunk/);
    });

    it('commits the staged files with the message, as git\'s configured identity', async () => {
        committedRepository();
        write(workspace, 'a.txt', 'changed\n');
        await service.stage(['a.txt']);
        const result = await service.commit('Change a\n\nwith a body');
        assert.equal(result.identityNote, undefined);
        assert.equal(result.branch, 'main');
        assert.equal(git(workspace, 'rev-parse', 'HEAD').trim(), result.sha);
        assert.equal(git(workspace, 'log', '-1', '--format=%an <%ae>|%s|%b').trim(), 'Repo Owner <owner@example.com>|Change a|with a body');
        const status = await service.status();
        assert.deepEqual([status?.staged, status?.unstaged], [[], []]);
    });

    it('commits as the signed-in studio user when git has no identity, and says how to set one', async () => {
        await service.init();
        write(workspace, 'first.txt', 'hello\n');
        await service.stage(['first.txt']);
        const result = await service.commit('First commit');
        assert.match(result.identityNote ?? '', /git config --global user\.name/);
        assert.equal(git(workspace, 'log', '-1', '--format=%an <%ae>|%cn|%s').trim(), 'Ada Lovelace <ada@users.noreply.coditect.ai>|Ada Lovelace|First commit');
    });

    it('refuses an empty message and a commit with nothing staged, saying what to do', async () => {
        committedRepository();
        write(workspace, 'a.txt', 'changed\n');
        await assert.rejects(service.commit('   \n'), /commit message is empty/);
        await assert.rejects(service.commit('Something'), /Nothing is staged to commit: stage the changes/);
        assert.equal(git(workspace, 'rev-list', '--count', 'HEAD').trim(), '1');
    });

    it('refuses paths outside the workspace and inside .git', async () => {
        committedRepository();
        fs.writeFileSync(path.join(tmp, 'outside.txt'), 'x');
        await assert.rejects(service.stage(['../outside.txt']), { name: 'WorkspacePathError', message: /outside/ });
        await assert.rejects(service.stage([path.join(tmp, 'outside.txt')]), { name: 'WorkspacePathError' });
        await assert.rejects(service.discard(['.git/config']), /not a file of the workspace's repository/);
        await assert.rejects(service.show('../outside.txt', 'HEAD'), { name: 'WorkspacePathError' });
        await assert.rejects(service.show('a.txt', '--output=/tmp/x'), /not a revision/);
        assert.equal(fs.existsSync(path.join(workspace, '.git', 'config')), true);
    });

    it('lists, creates and checks out branches, refusing names git would not take', async () => {
        committedRepository();
        await service.createBranch('feature/x', true);
        assert.equal((await service.status())?.branch, 'feature/x');
        await service.createBranch('later', false);
        assert.equal((await service.status())?.branch, 'feature/x');
        await service.checkout('main');
        assert.equal((await service.status())?.branch, 'main');
        assert.deepEqual((await service.branches()).map(b => `${b.name}${b.current ? '*' : ''}`).sort(), ['feature/x', 'later', 'main*']);
        await assert.rejects(service.createBranch('bad name', false), /not a valid branch name/);
        await assert.rejects(service.createBranch('--force', false), /not a valid branch name/);
        await assert.rejects(service.checkout('nope'), /There is no branch "nope"/);
    });

    it('pushes (publishing a new branch) and pulls against a bare repository as the remote', async () => {
        committedRepository();
        const remote = path.join(tmp, 'remote.git');
        git(tmp, 'init', '-q', '--bare', '--initial-branch=main', remote);
        await assert.rejects(service.push(), /no remote: add one in a terminal with git remote add origin <url>/);
        await assert.rejects(service.pull(), /no remote/);
        git(workspace, 'remote', 'add', 'origin', remote);
        await assert.rejects(service.pull(), /has no upstream branch to pull from: push it first/);

        assert.match(await service.push(), /Published main to origin/);
        assert.equal(git(remote, 'log', '-1', '--format=%s', 'main').trim(), 'first');
        let status = await service.status();
        assert.equal(status?.upstream, 'origin/main');

        // Someone else pushes a commit; pulling brings it here.
        const other = path.join(tmp, 'other');
        git(tmp, 'clone', '-q', remote, other);
        git(other, 'config', 'user.name', 'Other');
        git(other, 'config', 'user.email', 'o@example.com');
        write(other, 'from-other.txt', 'hi\n');
        git(other, 'add', '.');
        git(other, 'commit', '-q', '-m', 'from other');
        git(other, 'push', '-q');
        git(workspace, 'fetch', '-q');
        assert.equal((await service.status())?.behind, 1);
        await service.pull();
        assert.equal(fs.readFileSync(path.join(workspace, 'from-other.txt'), 'utf8'), 'hi\n');

        // A local commit is ahead until pushed.
        write(workspace, 'a.txt', 'mine\n');
        await service.stage(['a.txt']);
        await service.commit('mine');
        status = await service.status();
        assert.equal(status?.ahead, 1);
        assert.match(await service.push(), /Pushed main to origin/);
        assert.equal(git(remote, 'log', '-1', '--format=%s', 'main').trim(), 'mine');

        // The other clone pushed first: our push is rejected with what to do.
        write(other, 'x.txt', 'x\n');
        git(other, 'add', '.');
        git(other, 'commit', '-q', '-m', 'x');
        git(other, 'pull', '-q', '--no-rebase');
        git(other, 'push', '-q');
        write(workspace, 'a.txt', 'mine again\n');
        await service.stage(['a.txt']);
        await service.commit('mine again');
        await assert.rejects(service.push(), /rejected: "origin" has commits this branch does not have\. Pull first/);
    });

    it('says when the remote cannot be reached', async () => {
        committedRepository();
        git(workspace, 'remote', 'add', 'origin', path.join(tmp, 'no-such-remote.git'));
        await assert.rejects(service.push(), /the remote "origin" cannot be reached/);
        git(workspace, 'config', 'branch.main.remote', 'origin');
        git(workspace, 'config', 'branch.main.merge', 'refs/heads/main');
        await assert.rejects(service.pull(), /the remote "origin" cannot be reached/);
    });

    it('reads a file at HEAD and in the index, the log, and a commit\'s changes with renames', async () => {
        committedRepository();
        write(workspace, 'a.txt', 'staged\n');
        git(workspace, 'add', 'a.txt');
        write(workspace, 'a.txt', 'working\n');
        assert.equal(await service.show('a.txt', 'HEAD'), numbered(1, 20));
        assert.equal(await service.show('a.txt', ''), 'staged\n');
        assert.equal(await service.show('missing.txt', 'HEAD'), undefined);

        git(workspace, 'checkout', '--', 'a.txt');
        git(workspace, 'reset', '-q', 'HEAD', 'a.txt');
        git(workspace, 'checkout', '--', 'a.txt');
        git(workspace, 'mv', 'a.txt', 'moved.txt');
        git(workspace, 'commit', '-q', '-m', 'move it');
        const log = await service.log({ maxCount: 10 });
        assert.deepEqual(log.map(c => c.subject), ['move it', 'first']);
        assert.equal(log[0].parents[0], log[1].sha);
        assert.equal(log[0].authorName, 'Repo Owner');
        assert.deepEqual(await service.commitChanges(log[0].sha), [{ kind: 'renamed', oldPath: 'a.txt', path: 'moved.txt' }]);
        assert.deepEqual(await service.commitChanges(log[1].sha), [{ kind: 'added', path: 'a.txt' }]);
        assert.deepEqual((await service.log({ path: 'moved.txt' })).map(c => c.subject), ['move it', 'first']);
    });
});
