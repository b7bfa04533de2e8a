import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LockManager } from '../locks/lock-manager';
import { MemoryLockStore } from '../locks/lock-store';
import type { LockEvent, LockOwner } from '../locks/lock-types';
import { CommandRunner } from './command-runner';
import { GuardedFileWriter } from './guarded-file-writer';
import { WorkspacePaths } from '../policy/workspace-paths';
import type { FileChangeRecord } from '../file-changes/change-author';
import { markOutsideChanges } from '../file-changes/outside-change-marks';
import { WorkspaceChangeWatcher } from '../file-changes/workspace-change-watcher';
import { waitForValue } from '../common/test-support/wait-for-value';
import { agentIdOf } from '../policy/principal';

/*
 * The real watcher on a real folder, changed by real processes: a child `node`, git, the agents'
 * command runner, the guarded file writer. Every wait is for a condition, with a generous
 * deadline (the CI machine is small and busy).
 */

const claude: LockOwner = { id: 'agent:claude', kind: 'agent', displayName: 'Claude' };
const agentB: LockOwner = { id: 'agent:b', kind: 'agent', displayName: 'B' };

/** A process outside the studio (a terminal's), writing with Node. */
const terminal = (cwd: string, script: string) => execFileSync(process.execPath, ['-e', script], { cwd });
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'pipe' });

describe('WorkspaceChangeWatcher (real folder, real processes)', function () {
    this.timeout(180_000);
    let root: string;
    let ws: string;
    let watcher: WorkspaceChangeWatcher;
    let records: FileChangeRecord[];
    let locks: LockManager;

    const recordOf = (p: string) => records.find(r => r.path === p);
    /** Waits until no record has arrived for `ms` (the attributor's passes are done). */
    const quiet = async (ms: number) => {
        let count = -1;
        let since = Date.now();
        await waitForValue(`${ms} ms without new records`, () => {
            if (records.length !== count) {
                count = records.length;
                since = Date.now();
            }
            return Date.now() - since >= ms;
        });
    };

    beforeEach(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'file-changes-'));
        ws = path.join(root, 'ws');
        fs.mkdirSync(ws);
        records = [];
        watcher = new WorkspaceChangeWatcher({ workspaceDir: ws, dataDir: path.join(root, 'data') });
        watcher.onRecords(r => records.push(...r));
        locks = new LockManager(new WorkspacePaths(ws), new MemoryLockStore());
        await watcher.start();
    });

    afterEach(async () => {
        await watcher.stop();
        locks.dispose();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('records a change by another process as a terminal\'s, and skips ignored folders and .coditect/', async () => {
        terminal(ws, `const fs = require('fs');
            fs.mkdirSync('node_modules/pkg', { recursive: true }); fs.writeFileSync('node_modules/pkg/index.js', '1');
            fs.mkdirSync('.coditect/agents', { recursive: true }); fs.writeFileSync('.coditect/agents/x.json', '{}');
            fs.writeFileSync('debris.swp', 'x');
            fs.writeFileSync('notes.txt', 'hello');`);
        const record = await waitForValue('notes.txt recorded', () => recordOf('notes.txt'));
        assert.equal(record.author.kind, 'terminal');
        assert.equal(record.change, 'created');
        await quiet(2_000);
        const seen = records.flatMap(r => r.path ?? r.paths ?? []);
        assert.deepEqual(seen.filter(p => /node_modules|\.coditect|debris/.test(p)), [], `ignored paths were recorded: ${seen.join(', ')}`);
        assert.ok(!seen.some(p => p.startsWith('.git')));
    });

    it('attributes a git checkout\'s working-tree changes to git', async () => {
        fs.writeFileSync(path.join(ws, 'a.txt'), 'one\n');
        git(ws, 'init', '-q');
        git(ws, 'add', '.');
        git(ws, 'commit', '-q', '-m', 'one');
        git(ws, 'checkout', '-q', '-b', 'other');
        fs.writeFileSync(path.join(ws, 'a.txt'), 'two\n');
        fs.writeFileSync(path.join(ws, 'c.txt'), 'new\n');
        git(ws, 'add', '.');
        git(ws, 'commit', '-q', '-m', 'two');
        await waitForValue('c.txt recorded', () => recordOf('c.txt'));
        await quiet(4_000);
        records = [];

        git(ws, 'checkout', '-q', 'main');
        const a = await waitForValue('a.txt recorded', () => recordOf('a.txt'));
        const c = await waitForValue('c.txt recorded', () => recordOf('c.txt'));
        assert.equal(a.author.kind, 'git', JSON.stringify(a));
        assert.equal(c.author.kind, 'git', JSON.stringify(c));
        assert.equal(c.change, 'deleted');
    });

    it('does not record a claimed write again, and records an unrecorded claim under its author', async () => {
        const writer = new GuardedFileWriter(locks, 50, undefined, (relative, owner, taskId) =>
            watcher.claim(relative, { kind: 'agent-tool', agentId: agentIdOf(owner.id), taskId, by: owner.displayName }, true));
        await writer.apply('tool.txt', { kind: 'write', content: 'by the tool' }, { owner: claude, taskId: 3, waitMs: 1000 });
        await writer.apply('new-folder/deep/tool.txt', { kind: 'write', content: 'in new folders' }, { owner: claude, taskId: 3, waitMs: 1000 });
        watcher.claim('saved.txt', { kind: 'editor', by: 'Alice' }, true);
        fs.writeFileSync(path.join(ws, 'saved.txt'), 'by the editor');
        watcher.claim('made-folder', { kind: 'editor', by: 'Alice' }, false);
        fs.mkdirSync(path.join(ws, 'made-folder'));
        terminal(ws, `require('fs').writeFileSync('sentinel.txt', 'after')`);
        await waitForValue('sentinel.txt recorded', () => recordOf('sentinel.txt'));
        const folder = await waitForValue('made-folder recorded', () => recordOf('made-folder'));
        assert.deepEqual(folder.author, { kind: 'editor', by: 'Alice' });
        await quiet(2_000);
        const seen = records.map(r => r.path);
        assert.ok(!seen.some(p => p?.startsWith('tool.txt') || p?.startsWith('new-folder')), `the tool's write (its temporary file, its new folders) was recorded again: ${seen.join(', ')}`);
        assert.ok(!seen.includes('saved.txt'), 'the editor\'s save was recorded again');
    });

    it('attributes changes made while agents\' commands run to those commands, naming all of them', async () => {
        const runner = new CommandRunner(locks, {}, watcher);
        const run = (owner: LockOwner, taskId: number, command: string) => runner.run(command, {
            cwd: ws, timeoutMs: 30_000, signal: new AbortController().signal, outputCap: 10_000, owner, network: false, taskId,
        });
        const one = await run(claude, 7, 'echo hi > by-agent.txt');
        assert.equal(one.code, 0, one.output);
        const record = await waitForValue('by-agent.txt recorded', () => recordOf('by-agent.txt'));
        assert.deepEqual(record.author, { kind: 'agent-command', commands: [{ agentId: 'claude', taskId: 7, command: 'echo hi > by-agent.txt' }] });

        const both = await Promise.all([run(claude, 8, 'sleep 1; echo 1 > x1.txt'), run(agentB, 9, 'sleep 1; echo 2 > x2.txt')]);
        assert.deepEqual(both.map(b => b.code), [0, 0]);
        for (const file of ['x1.txt', 'x2.txt']) {
            const r = await waitForValue(`${file} recorded`, () => recordOf(file));
            assert.equal(r.author.kind, 'agent-command');
            const commands = r.author.kind === 'agent-command' ? r.author.commands.map(c => `${c.agentId}#${c.taskId}`).sort() : [];
            assert.deepEqual(commands, ['b#9', 'claude#8'], `${file}: ${JSON.stringify(r.author)}`);
        }
        // Long after the commands ended, a change is a terminal's again.
        await new Promise(resolve => setTimeout(resolve, 2_000));
        terminal(ws, `require('fs').writeFileSync('later.txt', 'x')`);
        assert.equal((await waitForValue('later.txt recorded', () => recordOf('later.txt'))).author.kind, 'terminal');
    });

    it('records a bulk change of 500 files as a few bounded events', async () => {
        fs.mkdirSync(path.join(ws, 'bulk'));
        await quiet(2_500);
        records = [];
        terminal(ws, `const fs = require('fs'); for (let i = 0; i < 500; i++) fs.writeFileSync('bulk/f' + i + '.txt', String(i));`);
        const counted = () => records.filter(r => (r.path ?? r.paths?.[0] ?? '').startsWith('bulk/')).reduce((sum, r) => sum + r.count, 0);
        await waitForValue('500 changes counted', () => counted() >= 500).catch(error => {
            throw new Error(`${(error as Error).message}: ${counted()} counted in ${records.length} records, watcher error: ${watcher.error ?? 'none'}`);
        });
        await quiet(2_500);
        // A file's creation and its write may be delivered in two batches, counted twice; never many more.
        assert.ok(counted() >= 500 && counted() <= 550, `${counted()} changes counted`);
        // One record per author per pass (a burst is one pass, or one per 5 s), however the watcher batched the events.
        assert.ok(records.length <= 3, `${records.length} records for 500 files: ${records.map(r => `${r.count} ${r.author.kind} ${r.path ?? r.paths?.[0]} @${r.at}`).join(", ")}`);
        const bulk = records.find(r => r.count > 1)!;
        assert.equal(bulk.author.kind, 'terminal');
        assert.ok(bulk.paths!.length > 0 && bulk.paths!.length <= 20);
        assert.ok(bulk.counts!.created > 0);
    });

    it('marks a lock whose file a terminal changed, once per pass, and leaves the holder\'s own command alone', async () => {
        fs.writeFileSync(path.join(ws, 'held.txt'), 'B\'s\n');
        fs.mkdirSync(path.join(ws, 'own'));
        await quiet(2_500);
        watcher.onAttributed(changes => markOutsideChanges(locks, changes));
        const events: LockEvent[] = [];
        locks.onLockEvent(e => events.push(e));
        const held = await locks.acquire({ path: 'held.txt', mode: 'exclusive', owner: agentB });
        const own = await locks.acquire({ path: 'own', mode: 'exclusive', owner: agentB });

        const runner = new CommandRunner(locks, {}, watcher);
        await runner.run('echo mine > own/file.txt', { cwd: ws, timeoutMs: 30_000, signal: new AbortController().signal, outputCap: 1000, owner: agentB, network: false });
        await waitForValue('own/file.txt recorded', () => recordOf('own/file.txt'));
        terminal(ws, `require('fs').appendFileSync('held.txt', 'changed\\n')`);
        const mark = await waitForValue('the lock marked', () => locks.get(held.id)?.changedOutside);
        assert.equal(mark.by, 'a terminal or another process');
        assert.equal(mark.path, 'held.txt');
        assert.equal(locks.get(own.id)?.changedOutside, undefined, 'the holder\'s own command is no outside change');
        const announced = events.filter(e => e.kind === 'changed-outside');
        assert.equal(announced.length, 1);
        assert.equal(announced[0].kind === 'changed-outside' && announced[0].lock.owner.id, 'agent:b');
        locks.release(held.id, agentB);
        assert.equal(locks.get(held.id), undefined, 'the mark goes with the lock');
    });
});
