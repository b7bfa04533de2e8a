import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempCluster } from '../database/test-support/temp-cluster';
import { workspaceIgnoreRules } from '../file-sync/ignore-rules';
import { WorkspacePaths } from '../policy/workspace-paths';
import { Checkpoints } from './checkpoints';
import { PlainReviewWriter } from './plain-review-writer';
import { sha256Of } from './workspace-journal-repository';
import { lineOrigins } from './line-history';
import { WorkspaceJournal } from './workspace-journal';

const ada = { id: 'user:ada', displayName: 'Ada' };

describe('WorkspaceJournal: every state of the workspace\'s files, and checkpoints over it', function () {
    this.timeout(60_000);
    const temp = TempCluster.perTest('coditect-journal-');
    let ws: string;
    let clock: number;

    beforeEach(() => {
        ws = path.join(temp.root, 'ws');
        fs.mkdirSync(ws, { recursive: true });
        clock = 1_000;
    });

    const put = (file: string, content: string | Buffer) => {
        fs.mkdirSync(path.dirname(path.join(ws, file)), { recursive: true });
        fs.writeFileSync(path.join(ws, file), content);
    };
    const journalOf = (maxKeptBytes?: number) => new WorkspaceJournal({
        db: temp.open().get('sessions'), workspaceDir: ws, rules: workspaceIgnoreRules(ws, path.join(temp.root, 'data')), maxKeptBytes, now: () => clock,
    });

    it('notes every file at its first scan but what is ignored, git\'s internals and the studio\'s configuration', async () => {
        put('src/a.ts', 'a\n');
        put('node_modules/x/index.js', 'x\n');
        put('.git/HEAD', 'ref: refs/heads/main\n');
        put('.coditect/agents/claude.json', '{}');
        const journal = journalOf();
        assert.deepEqual(await journal.scan(), { files: 1, changed: 1 });
        assert.equal(journal.stateOf('src/a.ts'), sha256Of(Buffer.from('a\n')));
        assert.equal(journal.stateOf('node_modules/x/index.js'), null);
    });

    it('reads again at the next start only the files changed meanwhile, and notes those deleted', async () => {
        put('a.txt', 'a\n');
        put('b.txt', 'b\n');
        put('c.txt', 'c\n');
        assert.deepEqual(await journalOf().scan(), { files: 3, changed: 3 });
        await temp.cluster.close();
        clock = 2_000;
        put('b.txt', 'b2\n');
        fs.rmSync(path.join(ws, 'c.txt'));
        const journal = journalOf();
        assert.deepEqual(await journal.scan(), { files: 2, changed: 2 });
        assert.deepEqual(Object.fromEntries(journal.statesAt(1_500)), { 'b.txt': sha256Of(Buffer.from('b\n')), 'c.txt': sha256Of(Buffer.from('c\n')) });
        assert.deepEqual(await journal.observe([{ path: 'a.txt', at: 3_000, by: 'Ada (editor)' }]), [], 'a file read again unchanged is no change');
    });

    it('keeps contents up to its limit; a larger file is known by hash only, and a restore says it cannot put it back', async () => {
        put('small.txt', 'small\n');
        put('big.bin', Buffer.alloc(64, 7));
        const journal = journalOf(32);
        await journal.scan();
        assert.deepEqual(journal.content(journal.stateOf('small.txt')), Buffer.from('small\n'));
        assert.equal(journal.content(journal.stateOf('big.bin')), 'not-kept');
        assert.equal(journal.stateOf('big.bin'), sha256Of(Buffer.alloc(64, 7)));

        const checkpoints = new Checkpoints({ db: temp.cluster.get('sessions'), journal, writer: new PlainReviewWriter(new WorkspacePaths(ws)), now: () => clock++ });
        checkpoints.markTask({ id: 1, title: 'grow', agentId: 'claude', startedAt: 1_500 });
        clock = 2_000;
        put('big.bin', Buffer.alloc(64, 8));
        put('small.txt', 'changed\n');
        assert.deepEqual((await journal.observe([{ path: 'big.bin', at: 2_000, by: 'a terminal' }, { path: 'small.txt', at: 2_000, by: 'a terminal' }])).map(c => c.path), ['big.bin', 'small.txt']);
        const result = await checkpoints.restore({ checkpointId: checkpoints.list()[0].id }, ada);
        assert.deepEqual(result.files.map(f => [f.path, f.outcome]), [['big.bin', 'skipped'], ['small.txt', 'restored']]);
        assert.match(result.files[0].reason!, /larger than the studio keeps/);
        assert.equal(fs.readFileSync(path.join(ws, 'small.txt'), 'utf8'), 'small\n');
        checkpoints.dispose();
    });

    it('reads the files it restores from disk first, so its undo brings back a change the watcher had not reported', async () => {
        put('a.txt', 'first\n');
        const journal = journalOf();
        await journal.scan();
        const checkpoints = new Checkpoints({ db: temp.cluster.get('sessions'), journal, writer: new PlainReviewWriter(new WorkspacePaths(ws)), now: () => clock++ });
        checkpoints.markTask({ id: 1, title: 'edit a', agentId: 'claude', startedAt: 1_500 });
        clock = 2_000;
        put('a.txt', 'by the agent\n');
        await journal.observe([{ path: 'a.txt', at: 2_000, by: 'Claude (agent tool)' }]);
        // A terminal's write the watcher has not reported yet.
        put('a.txt', 'by a terminal\n');
        const restored = await checkpoints.restore({ checkpointId: checkpoints.list()[0].id }, ada);
        assert.equal(fs.readFileSync(path.join(ws, 'a.txt'), 'utf8'), 'first\n');
        // The studio's writer tells the journal what it wrote; this plain one does not, so the restore's write is observed.
        await journal.observe([{ path: 'a.txt', at: clock++, by: 'Ada (restore)' }]);
        await checkpoints.restore({ checkpointId: restored.undoCheckpointId }, ada);
        assert.equal(fs.readFileSync(path.join(ws, 'a.txt'), 'utf8'), 'by a terminal\n');
        checkpoints.dispose();
    });

    it('puts binary files back byte for byte, and refuses checkpoints from before it began', async () => {
        const bytes = Buffer.from([0, 1, 2, 255, 254, 0, 10]);
        put('logo.png', bytes);
        const journal = journalOf();
        const checkpoints = new Checkpoints({ db: temp.cluster.get('sessions'), journal, writer: new PlainReviewWriter(new WorkspacePaths(ws)), now: () => clock++ });
        checkpoints.markTask({ id: 1, title: 'before the journal', agentId: 'claude', startedAt: 500 });
        await journal.scan();
        checkpoints.markTask({ id: 2, title: 'redraw', agentId: 'claude', startedAt: 1_500 });
        clock = 2_000;
        put('logo.png', Buffer.from('not a logo'));
        await journal.observe([{ path: 'logo.png', at: 2_000, by: 'a terminal' }]);
        const [second, first] = checkpoints.list();
        assert.deepEqual([second.available, first.available], [true, false]);
        await assert.rejects(checkpoints.restore({ checkpointId: first.id }, ada), /from before the studio began keeping the workspace's history/);
        await checkpoints.restore({ checkpointId: second.id }, ada);
        assert.deepEqual(fs.readFileSync(path.join(ws, 'logo.png')), bytes);
        checkpoints.dispose();
    });

    it('follows each line through every state to the one that wrote it', async () => {
        put('a.ts', 'one\ntwo\nthree\n');
        const journal = journalOf();
        await journal.scan();
        put('a.ts', 'one\nTWO\nthree\nfour\n');
        journal.wrote('a.ts', 'one\nTWO\nthree\nfour\n', { by: 'Claude (agent tool)', taskId: 3 }, 2_000);
        put('a.ts', 'zero\none\nTWO\nfour\n');
        await journal.observe([{ path: 'a.ts', at: 3_000, by: 'Ada (editor)' }]);
        const origins = lineOrigins(journal, 'a.ts')!;
        assert.deepEqual(origins.map(o => [o.by, o.taskId ?? null, o.at]), [
            ['Ada (editor)', null, 3_000], ['the workspace as the studio found it', null, 1_000], ['Claude (agent tool)', 3, 2_000], ['Claude (agent tool)', 3, 2_000],
        ]);
        fs.rmSync(path.join(ws, 'a.ts'));
        await journal.observe([{ path: 'a.ts', at: 4_000, by: 'a terminal' }]);
        assert.equal(lineOrigins(journal, 'a.ts'), undefined);
        put('a.ts', 'back\n');
        await journal.observe([{ path: 'a.ts', at: 5_000, by: 'a terminal' }]);
        assert.deepEqual(lineOrigins(journal, 'a.ts')!.map(o => o.by), ['a terminal']);
        journal.wrote('a.ts', 'zero\none\nTWO\nfour\n', { by: 'Ada (restore)' }, 6_000);
        assert.deepEqual(lineOrigins(journal, 'a.ts'), origins, 'a restored content has the origins it had');
    });

    it('forgets the states older than its retention but each file\'s state then, with their checkpoints and unneeded contents', async () => {
        put('a.ts', 'v1\n');
        const journal = journalOf();
        await journal.scan();
        const db = temp.cluster.get('sessions');
        const checkpoints = new Checkpoints({ db, journal, writer: new PlainReviewWriter(new WorkspacePaths(ws)), retentionMs: 10_000, now: () => clock++ });
        checkpoints.markTask({ id: 1, title: 'old', agentId: 'claude', startedAt: 1_500 });
        for (const [at, text] of [[2_000, 'v2\n'], [3_000, 'v3\n'], [20_000, 'v4\n']] as const) {
            put('a.ts', text);
            await journal.observe([{ path: 'a.ts', at, by: 'Ada (editor)' }]);
        }
        checkpoints.markTask({ id: 2, title: 'recent', agentId: 'claude', startedAt: 19_000 });
        const blobCount = () => (db.get<{ n: number }>('SELECT count(*) AS n FROM change_blobs'))!.n;
        assert.equal(blobCount(), 4);

        clock = 25_000;
        assert.deepEqual(await checkpoints.prune(), { states: 2, checkpoints: 1, blobs: 2 }, 'v1 and v2 go; v3 is the state at the cutoff');
        assert.deepEqual(checkpoints.list().map(c => c.taskId), [2]);
        assert.deepEqual(journal.states('a.ts', 10).map(s => [s.at, journal.content(s.sha256)?.toString()]), [[15_000, 'v3\n'], [20_000, 'v4\n']]);
        const restored = await checkpoints.restore({ checkpointId: checkpoints.list()[0].id }, ada);
        assert.deepEqual(restored.files.map(f => f.outcome), ['restored']);
        assert.equal(fs.readFileSync(path.join(ws, 'a.ts'), 'utf8'), 'v3\n');
        checkpoints.dispose();
    });
});
