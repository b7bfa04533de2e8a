import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempCluster } from '../database/test-support/temp-cluster';
import { WorkspacePaths } from '../policy/workspace-paths';
import { ChangeSets, InvalidReviewError, Reviewer } from './change-sets';
import { PlainReviewWriter } from './plain-review-writer';

/*
 * Change sets that wait for review in their agent's overlay (`apply: "after-review"`): the overlay
 * kept in a real sessions.db, decided whole, landing in a real workspace folder all or nothing.
 */

const ada: Reviewer = { id: 'user:ada', displayName: 'Ada' };

describe('a change set waiting in its agent\'s overlay', function () {
    this.timeout(60_000);
    const temp = TempCluster.perTest('coditect-overlay-');
    let workspace: string;
    let changes: ChangeSets;
    let status: string;
    let at = 1_000;

    beforeEach(() => {
        workspace = path.join(temp.root, 'workspace');
        fs.mkdirSync(workspace, { recursive: true });
        status = 'done';
        changes = open();
    });
    afterEach(() => changes.dispose());

    function open(): ChangeSets {
        return new ChangeSets({ db: temp.open().get('sessions'), writer: new PlainReviewWriter(new WorkspacePaths(workspace)), taskStatuses: () => new Map([[1, status]]) });
    }
    const read = (file: string) => (fs.existsSync(path.join(workspace, file)) ? fs.readFileSync(path.join(workspace, file), 'utf8') : undefined);
    const setOnDisk = (file: string, content: string) => fs.writeFileSync(path.join(workspace, file), content);

    /** An after-review agent's write, as the guarded writer and the capture make it: into the overlay, recorded against what the agent saw. */
    function writeInOverlay(file: string, after: string | undefined): void {
        const before = changes.overlays.read(1, file) ?? { content: read(file) };
        changes.overlays.write(1, 'claude', file, after, read(file));
        changes.record({ taskId: 1, agentId: 'claude', title: 'task 1', path: file, before: before.content, after, origin: 'tool', at: at++ });
    }

    /** Three files: one changed, one created, one deleted, none of it in the workspace. */
    function waitingSet(): void {
        setOnDisk('a.ts', 'const a = 1;\n');
        setOnDisk('old.ts', 'gone soon\n');
        writeInOverlay('a.ts', 'const a = 2;\n');
        writeInOverlay('b.ts', 'export const b = true;\n');
        writeInOverlay('old.ts', undefined);
    }

    it('lists as waiting, with the agent\'s edits as its after sides, and leaves the workspace as it was', () => {
        waitingSet();
        const [set] = changes.list();
        assert.equal(set.apply, 'waiting');
        assert.deepEqual(set.files.map(f => [f.path, f.status]), [['a.ts', 'modified'], ['b.ts', 'added'], ['old.ts', 'deleted']]);
        assert.equal(changes.content(1, 'a.ts', 'after'), 'const a = 2;\n');
        assert.deepEqual([read('a.ts'), read('b.ts'), read('old.ts')], ['const a = 1;\n', undefined, 'gone soon\n']);
        assert.equal(changes.get(1).apply, 'waiting');
    });

    it('keeps the overlay across a restart (sessions.db closed and opened again)', async () => {
        waitingSet();
        changes.dispose();
        await temp.cluster.close();
        changes = open();
        assert.equal(changes.list()[0].apply, 'waiting');
        assert.deepEqual(changes.overlays.entries(1).map(e => [e.path, e.content, e.baseSha256 === null]), [
            ['a.ts', 'const a = 2;\n', false], ['b.ts', 'export const b = true;\n', true], ['old.ts', undefined, false],
        ]);
    });

    it('lands every file when accepted, then holds no overlay and is an ordinary, accepted change set', async () => {
        waitingSet();
        const result = await changes.review({ taskId: 1, decision: 'accept' }, ada);
        assert.deepEqual(result.files.map(f => [f.path, f.outcome]), [['a.ts', 'applied'], ['b.ts', 'applied'], ['old.ts', 'applied']]);
        assert.equal(result.review, 'accepted');
        assert.deepEqual([read('a.ts'), read('b.ts'), read('old.ts')], ['const a = 2;\n', 'export const b = true;\n', undefined]);
        assert.deepEqual(changes.overlays.entries(1), []);
        const [set] = changes.list();
        assert.deepEqual([set.apply, set.review], ['applied', 'accepted']);
        // Landed, a file can be taken back on its own, as any change set's.
        await changes.review({ taskId: 1, path: 'a.ts', decision: 'reject' }, ada);
        assert.equal(read('a.ts'), 'const a = 1;\n');
    });

    it('writes nothing when a file changed in the workspace since, naming each such file and what to do', async () => {
        waitingSet();
        setOnDisk('a.ts', 'const a = 10; // a person\'s edit\n');
        setOnDisk('old.ts', 'edited too\n');
        const result = await changes.review({ taskId: 1, decision: 'accept' }, ada);
        assert.deepEqual(result.files.map(f => [f.path, f.outcome]), [['a.ts', 'conflict'], ['old.ts', 'conflict']]);
        const reason = result.files[0].outcome === 'conflict' ? result.files[0].reason : '';
        assert.match(reason, /^a\.ts was changed in the workspace after task #1's agent started from it, so nothing of the change set was written \(old\.ts changed too\)\. Reject the set/);
        assert.equal(result.review, 'pending');
        assert.deepEqual([read('a.ts'), read('b.ts'), read('old.ts')], ['const a = 10; // a person\'s edit\n', undefined, 'edited too\n']);
        assert.equal(changes.list()[0].apply, 'waiting', 'still waiting: it can be accepted once the files are back');
        setOnDisk('a.ts', 'const a = 1;\n');
        setOnDisk('old.ts', 'gone soon\n');
        assert.equal((await changes.review({ taskId: 1, decision: 'accept' }, ada)).review, 'accepted');
        assert.equal(read('b.ts'), 'export const b = true;\n');
    });

    it('discards the overlay when rejected, leaving the workspace untouched', async () => {
        waitingSet();
        const result = await changes.review({ taskId: 1, decision: 'reject' }, ada);
        assert.equal(result.review, 'rejected');
        assert.deepEqual([read('a.ts'), read('b.ts'), read('old.ts')], ['const a = 1;\n', undefined, 'gone soon\n']);
        assert.deepEqual(changes.overlays.entries(1), []);
        assert.deepEqual([changes.list()[0].apply, changes.list()[0].review], ['discarded', 'rejected']);
    });

    it('refuses to decide one file or hunk of it, or while the task still runs', async () => {
        waitingSet();
        await assert.rejects(changes.review({ taskId: 1, path: 'a.ts', decision: 'accept' }, ada),
            (e: Error) => e instanceof InvalidReviewError && /have not landed in the workspace yet: accept or reject the whole set/.test(e.message));
        status = 'running';
        await assert.rejects(changes.review({ taskId: 1, decision: 'accept' }, ada),
            (e: Error) => e instanceof InvalidReviewError && /Task #1 is still running/.test(e.message));
        assert.equal(read('b.ts'), undefined);
    });

    it('lands what the agent wrote on top of what its own commands changed, and decides the commands\' changes as any change set\'s', async () => {
        // The agent's command (on the workspace: commands see no overlay) changes a.ts and creates built.txt; then its tools edit a.ts.
        setOnDisk('a.ts', 'v1\n');
        setOnDisk('a.ts', 'v2\n');
        changes.record({ taskId: 1, agentId: 'claude', title: 'task 1', path: 'a.ts', before: 'v1\n', after: 'v2\n', origin: 'command', at: at++ });
        setOnDisk('built.txt', 'built\n');
        changes.record({ taskId: 1, agentId: 'claude', title: 'task 1', path: 'built.txt', before: undefined, after: 'built\n', origin: 'command', at: at++ });
        writeInOverlay('a.ts', 'v3\n');
        const result = await changes.review({ taskId: 1, decision: 'accept' }, ada);
        assert.deepEqual(result.files.map(f => [f.path, f.outcome, f.outcome === 'applied' && f.wrote]), [['a.ts', 'applied', true], ['built.txt', 'applied', false]]);
        assert.deepEqual([read('a.ts'), read('built.txt'), result.review], ['v3\n', 'built\n', 'accepted']);
    });

    it('takes back its commands\' changes the ordinary way when the waiting set is rejected', async () => {
        waitingSet();
        setOnDisk('built.txt', 'built\n');
        changes.record({ taskId: 1, agentId: 'claude', title: 'task 1', path: 'built.txt', before: undefined, after: 'built\n', origin: 'command', at: at++ });
        const result = await changes.review({ taskId: 1, decision: 'reject' }, ada);
        assert.equal(result.review, 'rejected');
        assert.deepEqual([read('a.ts'), read('b.ts'), read('built.txt')], ['const a = 1;\n', undefined, undefined]);
    });

    it('puts back the files already written when a later one cannot be written', async () => {
        setOnDisk('a.ts', 'one\n');
        setOnDisk('b.ts', 'two\n');
        const writer = new PlainReviewWriter(new WorkspacePaths(workspace));
        await assert.rejects(writer.replaceTogether(['a.ts', 'b.ts'], () => {
            // b.ts becomes a folder between the read and the write: renaming onto it fails.
            fs.rmSync(path.join(workspace, 'b.ts'));
            fs.mkdirSync(path.join(workspace, 'b.ts', 'inside'), { recursive: true });
            return new Map([['a.ts', 'ONE\n'], ['b.ts', 'TWO\n']]);
        }), /Writing the files together failed, and the ones already written were put back as they were/);
        assert.equal(read('a.ts'), 'one\n');
    });
});
