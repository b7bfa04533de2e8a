import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChangeSets } from '../changes/change-sets';
import { DatabaseCluster } from '../database/database-cluster';
import { runCli } from './test-support/run-cli';

describe('coditect-workspace changes / revert (child process)', function () {
    this.timeout(60_000);
    let root: string;
    let ws: string;
    let env: Record<string, string>;
    const read = (name: string) => fs.readFileSync(path.join(ws, name), 'utf8');

    /** Two tasks' writes as the studio would have recorded them, then the studio stopped. */
    beforeEach(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-changes-'));
        ws = path.join(root, 'ws');
        fs.mkdirSync(ws);
        env = { STUDIO_DATA_DIR: path.join(root, 'data'), STUDIO_REPLICA_URL: 'off' };
        const cluster = new DatabaseCluster({ dataDir: env.STUDIO_DATA_DIR }).open();
        const changes = new ChangeSets({ db: cluster.get('sessions'), writer: { replace: () => Promise.reject(new Error('not in this test')) } });
        const write = (taskId: number, agentId: string, name: string, before: string | undefined, after: string) => {
            fs.writeFileSync(path.join(ws, name), after);
            changes.record({ taskId, agentId, title: `Task ${taskId}`, path: name, before, after, origin: 'tool', at: Date.now() });
        };
        write(1, 'claude', 'a.ts', 'one\ntwo\nthree\nfour\nfive\nsix\n', 'one\nTWO\nthree\nfour\nfive\nSIX\n');
        write(1, 'claude', 'b.ts', undefined, 'created\n');
        write(2, 'gemini', 'c.ts', 'x\ny\n', 'x\nY\n');
        changes.dispose();
        await cluster.close();
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('lists the change sets newest first and shows one with its diffs and numbered hunks', async () => {
        const listed = await runCli(['changes'], env);
        assert.equal(listed.code, 0, listed.stderr);
        assert.equal(listed.stdout, [
            '#2 gemini "Task 2" pending +1 -1', '  M c.ts +1 -1 pending',
            '#1 claude "Task 1" pending +3 -2', '  M a.ts +2 -2 pending', '  A b.ts +1 -0 pending', '',
        ].join('\n'));
        const json = JSON.parse((await runCli(['changes', '--agent', 'claude', '--json'], env)).stdout);
        assert.deepEqual(json.changeSets.map((s: { taskId: number }) => s.taskId), [1]);

        const one = await runCli(['changes', '--task', '1'], env);
        assert.equal(one.code, 0, one.stderr);
        assert.match(one.stdout, /M a\.ts: hunk 0 \(pending\), hunk 1 \(pending\)\n--- a\/a\.ts\n\+\+\+ b\/a\.ts\n@@ -1,6 \+1,6 @@\n one\n-two\n\+TWO\n/);
        assert.match(one.stdout, /A b\.ts: hunk 0 \(pending\)\n--- \/dev\/null\n\+\+\+ b\/b\.ts\n/);
    });

    it('takes back one hunk, then a whole task, and prints a conflict without overwriting (exit 1)', async () => {
        const hunk = await runCli(['revert', '--task', '1', '--path', 'a.ts', '--hunk', '1', '--workspace', ws], env);
        assert.equal(hunk.code, 0, hunk.stderr + hunk.stdout);
        assert.equal(hunk.stdout, 'a.ts: taken back (now pending)\n');
        assert.equal(read('a.ts'), 'one\nTWO\nthree\nfour\nfive\nsix\n');

        fs.writeFileSync(path.join(ws, 'a.ts'), 'one\nMINE\nthree\nfour\nfive\nsix\n');
        const task = await runCli(['revert', '--task', '1', '--workspace', ws], env);
        assert.equal(task.code, 1, task.stderr);
        assert.match(task.stdout, /^a\.ts: NOT taken back: a\.ts was changed since at the same lines \(line 2 now\).*\n {2}line 2: now "MINE\\n", the task wrote "TWO\\n", before it "two\\n"\nb\.ts: taken back \(now rejected\)\n$/);
        assert.equal(read('a.ts'), 'one\nMINE\nthree\nfour\nfive\nsix\n');
        assert.equal(fs.existsSync(path.join(ws, 'b.ts')), false, 'the file the task created is gone');
    });

    it('marks a set waiting for review, discards it whole when reverted, and refuses to revert one file of it', async () => {
        const cluster = new DatabaseCluster({ dataDir: env.STUDIO_DATA_DIR }).open();
        const changes = new ChangeSets({ db: cluster.get('sessions'), writer: { replace: () => Promise.reject(new Error('not in this test')) } });
        // An after-review agent's write: in its overlay, not in the workspace.
        changes.overlays.write(3, 'claude', 'c.ts', 'x\nZ\n', read('c.ts'));
        changes.record({ taskId: 3, agentId: 'claude', title: 'Task 3', path: 'c.ts', before: read('c.ts'), after: 'x\nZ\n', origin: 'tool', at: Date.now() });
        changes.dispose();
        await cluster.close();

        assert.match((await runCli(['changes', '--task', '3'], env)).stdout, /^#3 claude "Task 3" pending \(waiting for review: not in the workspace\) \+1 -1\n/);
        const oneFile = await runCli(['revert', '--task', '3', '--path', 'c.ts', '--workspace', ws], env);
        assert.equal(oneFile.code, 2);
        assert.match(oneFile.stderr, /have not landed in the workspace yet: accept or reject the whole set/);
        const whole = await runCli(['revert', '--task', '3', '--workspace', ws], env);
        assert.equal(whole.code, 0, whole.stderr + whole.stdout);
        assert.equal(read('c.ts'), 'x\nY\n', 'the workspace is untouched');
        assert.equal(JSON.parse((await runCli(['changes', '--task', '3', '--json'], env)).stdout).apply, 'discarded');
    });

    it('says what was wrong (exit 2), and refuses while a studio writes the database (exit 3)', async () => {
        const noTask = await runCli(['revert', '--workspace', ws], env);
        assert.deepEqual([noTask.code, noTask.stderr.trim()], [2, 'coditect-workspace revert: Name the task: --task <id> (coditect-workspace changes lists them).']);
        const unknown = await runCli(['revert', '--task', '9', '--workspace', ws], env);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /Task #9 has no change set/);
        const badHunk = await runCli(['revert', '--task', '1', '--path', 'a.ts', '--hunk', '7', '--workspace', ws], env);
        assert.equal(badHunk.code, 2);
        assert.match(badHunk.stderr, /a\.ts has 2 hunk\(s\) in task #1's change set, numbered from 0; there is no hunk 7/);

        const studio = new DatabaseCluster({ dataDir: env.STUDIO_DATA_DIR }).open();
        try {
            const refused = await runCli(['revert', '--task', '2', '--workspace', ws], env);
            assert.equal(refused.code, 3, refused.stderr);
            assert.match(refused.stderr, /Refusing to revert in .*: a studio is running on it; .*Review in the IDE \(the Changes view\) or POST \/coditect\/api\/changes\/2\/review/);
            assert.equal(read('c.ts'), 'x\nY\n');
            const listed = await runCli(['changes'], env);
            assert.equal(listed.code, 0, 'listing works beside the studio');
        } finally {
            await studio.close();
        }
    });
});
