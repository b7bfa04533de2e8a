import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempCluster } from '../database/test-support/temp-cluster';
import { WorkspacePaths } from '../policy/workspace-paths';
import { ChangeSets } from './change-sets';
import { commandCommits, CommittingCommand, MaxCommitsPerCommand } from './command-commits';
import { PlainReviewWriter } from './plain-review-writer';

/** The identity an agent's command commits with (the command runner sets these for every command). */
const claudeIdentity = {
    GIT_AUTHOR_NAME: 'Claude', GIT_AUTHOR_EMAIL: 'claude@agents.coditect.ai', GIT_COMMITTER_NAME: 'Claude', GIT_COMMITTER_EMAIL: 'claude@agents.coditect.ai',
};
const adaIdentity = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' };
const claudeCommand: CommittingCommand = { taskId: 1, agentId: 'claude', committerEmail: 'claude@agents.coditect.ai' };

describe('command commits: the git commits an agent\'s command made, in its task\'s change set', function () {
    this.timeout(60_000);
    const temp = TempCluster.perTest('coditect-command-commits-');
    let workspace: string;
    let changes: ChangeSets;
    let around: (command: CommittingCommand) => Promise<() => Promise<void>>;

    /** Real git in `cwd`, as a command (or a person) runs it, with the given identity. */
    const git = (cwd: string, identity: Record<string, string>, ...args: string[]) =>
        execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...identity, GIT_CEILING_DIRECTORIES: path.dirname(cwd) } }).trim();
    const commit = (message: string, identity: Record<string, string> = claudeIdentity) => git(workspace, identity, 'commit', '-q', '--allow-empty', '-m', message);
    /** Runs `work` the way the command runner runs a command: HEAD read before, the commits recorded after. */
    async function command(work: () => void, which: CommittingCommand = claudeCommand): Promise<void> {
        const after = await around(which);
        work();
        await after();
    }
    const commitsOf = (taskId: number) => changes.list().find(s => s.taskId === taskId)?.commits;

    beforeEach(() => {
        workspace = path.join(temp.root, 'workspace');
        fs.mkdirSync(workspace, { recursive: true });
        changes = new ChangeSets({ db: temp.open().get('sessions'), writer: new PlainReviewWriter(new WorkspacePaths(workspace)) });
        around = commandCommits({ workspaceDir: workspace, changes, titleOf: taskId => `task ${taskId}` });
    });
    afterEach(() => changes.dispose());

    function initRepository(): void {
        git(workspace, adaIdentity, 'init', '-q', '--initial-branch=main');
        commit('Initial commit', adaIdentity);
    }

    it('records both commits of a command that commits twice, newest first, with hash, subject, author and time, in a set of its own', async () => {
        initRepository();
        const events: string[] = [];
        changes.onDidChange(event => events.push(`${event.kind} #${event.taskId}`));
        const started = Date.now();
        await command(() => {
            fs.writeFileSync(path.join(workspace, 'a.ts'), 'export const a = 1;\n');
            git(workspace, claudeIdentity, 'add', 'a.ts');
            commit('Add a');
            commit('Empty follow-up: tidy');
        });
        const shas = git(workspace, {}, 'rev-list', '--max-count=2', 'HEAD').split('\n');
        const commits = commitsOf(1);
        assert.deepEqual(commits?.map(c => [c.sha, c.subject, c.authorName]), [[shas[0], 'Empty follow-up: tidy', 'Claude'], [shas[1], 'Add a', 'Claude']]);
        assert.ok(commits!.every(c => c.at >= Math.floor(started / 1000) * 1000 && c.at <= Date.now()), 'the author time, in ms');
        const [set] = changes.list();
        assert.deepEqual([set.taskId, set.agentId, set.title, set.files], [1, 'claude', 'task 1', []], 'a task that only committed has a change set of its commits');
        assert.deepEqual(changes.get(1).commits, commits);
        assert.deepEqual(events, ['committed #1']);
    });

    it('records nothing for a command that commits nothing, and only the agent\'s own commits of one that does', async () => {
        initRepository();
        await command(() => fs.writeFileSync(path.join(workspace, 'b.ts'), 'changed, not committed\n'));
        assert.deepEqual(changes.list(), []);

        // Meanwhile a person commits in the same repository: that commit is theirs, not the task's.
        await command(() => {
            commit('Ada\'s fix', adaIdentity);
            commit('Claude\'s change');
        });
        assert.deepEqual(commitsOf(1)?.map(c => c.subject), ['Claude\'s change']);
    });

    it('records nothing in a workspace that is not a repository, even inside one (the workspace folder itself only)', async () => {
        const outer = temp.root;
        git(outer, adaIdentity, 'init', '-q');
        git(outer, adaIdentity, 'commit', '-q', '--allow-empty', '-m', 'outer');
        await command(() => git(outer, claudeIdentity, 'commit', '-q', '--allow-empty', '-m', 'in the outer repository'));
        assert.deepEqual(changes.list(), []);
    });

    it('records nothing, and does not throw, for a reset to an older HEAD; a commit after it is recorded', async () => {
        initRepository();
        await command(() => commit('Kept for now'));
        await command(() => git(workspace, claudeIdentity, 'reset', '-q', '--hard', 'HEAD~1'));
        assert.deepEqual(commitsOf(1)?.map(c => c.subject), ['Kept for now'], 'the reset adds nothing (and the task still made that commit)');
        await command(() => commit('After the reset'));
        assert.deepEqual(commitsOf(1)?.map(c => c.subject), ['After the reset', 'Kept for now']);
    });

    it('records the first commits of a repository the command itself created', async () => {
        await command(() => {
            git(workspace, claudeIdentity, 'init', '-q');
            commit('First');
        });
        assert.deepEqual(commitsOf(1)?.map(c => c.subject), ['First']);
    });

    it(`keeps at most ${MaxCommitsPerCommand} commits of one command, the newest`, async () => {
        initRepository();
        await command(() => execFileSync('/bin/sh', ['-c', 'for i in $(seq 1 60); do git commit -q --allow-empty -m "c$i"; done'], {
            cwd: workspace, env: { ...process.env, ...claudeIdentity },
        }));
        const subjects = commitsOf(1)?.map(c => c.subject);
        assert.equal(subjects?.length, MaxCommitsPerCommand);
        assert.deepEqual([subjects![0], subjects![MaxCommitsPerCommand - 1]], ['c60', 'c11']);
    });

    it('records nothing and does not throw when git is missing', async () => {
        initRepository();
        around = commandCommits({ workspaceDir: workspace, changes, titleOf: () => undefined, git: path.join(temp.root, 'no-such-git') });
        await command(() => commit('Unseen'));
        assert.deepEqual(changes.list(), []);
    });

    it('keeps a set with commits when the task takes its file changes back', async () => {
        initRepository();
        await command(() => commit('Committed'));
        changes.record({ taskId: 1, agentId: 'claude', title: 'task 1', path: 'c.ts', before: undefined, after: 'x\n', origin: 'tool', at: 1 });
        changes.record({ taskId: 1, agentId: 'claude', title: 'task 1', path: 'c.ts', before: 'x\n', after: undefined, origin: 'tool', at: 2 });
        const [set] = changes.list();
        assert.deepEqual([set.taskId, set.files, set.commits?.map(c => c.subject)], [1, [], ['Committed']]);
    });
});
