import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Checkpoints } from '../changes/checkpoints';
import { WorkspaceJournal } from '../changes/workspace-journal';
import { DatabaseCluster } from '../database/database-cluster';
import { workspaceIgnoreRules } from '../file-sync/ignore-rules';
import { runCli } from './test-support/run-cli';

describe('coditect-workspace checkpoints / rewind (child process)', function () {
    this.timeout(60_000);
    let root: string;
    let ws: string;
    let env: Record<string, string>;
    const read = (name: string) => (fs.existsSync(path.join(ws, name)) ? fs.readFileSync(path.join(ws, name), 'utf8') : undefined);

    /** A workspace the studio journaled, a task that started, then changes made with the studio stopped. */
    beforeEach(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-checkpoints-'));
        ws = path.join(root, 'ws');
        fs.mkdirSync(ws);
        fs.writeFileSync(path.join(ws, 'a.ts'), 'a\n');
        fs.writeFileSync(path.join(ws, 'b.ts'), 'b\n');
        env = { STUDIO_DATA_DIR: path.join(root, 'data'), STUDIO_REPLICA_URL: 'off' };
        const cluster = new DatabaseCluster({ dataDir: env.STUDIO_DATA_DIR }).open();
        const db = cluster.get('sessions');
        const journal = new WorkspaceJournal({ db, workspaceDir: ws, rules: workspaceIgnoreRules(ws, env.STUDIO_DATA_DIR) });
        await journal.scan();
        const checkpoints = new Checkpoints({ db, journal, writer: { replace: () => Promise.reject(new Error('not in this test')) } });
        checkpoints.markTask({ id: 7, title: 'Rename things', agentId: 'codex', startedAt: Date.now() + 1 });
        checkpoints.dispose();
        await cluster.close();
        await new Promise(resolve => setTimeout(resolve, 5));
        fs.writeFileSync(path.join(ws, 'a.ts'), 'a, changed\n');
        fs.rmSync(path.join(ws, 'b.ts'));
        fs.writeFileSync(path.join(ws, 'c.ts'), 'new\n');
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('lists the checkpoints, rewinds the workspace to one, and rewinds the rewind', async () => {
        const listed = await runCli(['checkpoints', '--workspace', ws], env);
        assert.equal(listed.code, 0, listed.stderr);
        assert.match(listed.stdout, /^#1 \S+ Before task #7 \(codex\): Rename things\n$/);

        const rewound = await runCli(['rewind', '--checkpoint', '1', '--workspace', ws], env);
        assert.equal(rewound.code, 0, rewound.stderr + rewound.stdout);
        assert.equal(rewound.stdout, 'a.ts: restored\nb.ts: restored\nc.ts: deleted\nUndo with: coditect-workspace rewind --checkpoint 2\n');
        assert.deepEqual([read('a.ts'), read('b.ts'), read('c.ts')], ['a\n', 'b\n', undefined]);

        const undone = await runCli(['rewind', '--checkpoint', '2', '--workspace', ws, '--json'], env);
        assert.equal(undone.code, 0, undone.stderr);
        assert.equal(JSON.parse(undone.stdout).undoCheckpointId, 3);
        assert.deepEqual([read('a.ts'), read('b.ts'), read('c.ts')], ['a, changed\n', undefined, 'new\n']);
    });

    it('rewinds one file only, and says what was wrong with a bad request (exit 2)', async () => {
        const one = await runCli(['rewind', '--checkpoint', '1', '--path', 'a.ts', '--workspace', ws], env);
        assert.equal(one.code, 0, one.stderr);
        assert.deepEqual([read('a.ts'), read('c.ts')], ['a\n', 'new\n']);
        const unknown = await runCli(['rewind', '--checkpoint', '99', '--workspace', ws], env);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /There is no checkpoint #99\. List them with/);
        const outside = await runCli(['rewind', '--checkpoint', '1', '--path', '../elsewhere.ts', '--workspace', ws], env);
        assert.equal(outside.code, 2);
        assert.match(outside.stderr, /"\.\.\/elsewhere\.ts" is not a path inside the workspace/);
        const missing = await runCli(['rewind', '--workspace', ws], env);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /Name the checkpoint: --checkpoint <id>/);
    });
});
