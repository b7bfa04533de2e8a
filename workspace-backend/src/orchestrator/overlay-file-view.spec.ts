import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChangeOverlays } from '../changes/change-overlay';
import { TempCluster } from '../database/test-support/temp-cluster';
import { LockManager } from '../locks/lock-manager';
import { MemoryLockStore } from '../locks/lock-store';
import type { LockOwner } from '../locks/lock-types';
import { WorkspacePaths } from '../policy/workspace-paths';
import { parseAgentDefinition } from './agent-definition';
import { CommandRunner } from './command-runner';
import { GuardedFileWriter } from './guarded-file-writer';
import { ToolContext, ToolExecutor } from './tool-executor';

/*
 * The file tools of an agent that applies after review, run by the real ToolExecutor over a real
 * workspace folder, lock manager and sessions.db: what it writes only it sees, under the same locks.
 */

describe('the file tools of an agent whose edits wait for review', function () {
    this.timeout(60_000);
    const temp = TempCluster.perTest('coditect-overlay-view-');
    let ws: string;
    let locks: LockManager;
    let overlays: ChangeOverlays;
    let tools: ToolExecutor;
    let edits: { path: string; before: string | undefined; after: string | undefined }[];

    const definition = (id: string, apply: string) => parseAgentDefinition(`${id}.json`, id, JSON.stringify({
        name: id[0].toUpperCase() + id.slice(1), vendor: 'anthropic', model: 'claude-sonnet-4-5', apply, limits: { lockWaitMs: 200 },
    }));
    const contextOf = (id: string, apply: string, taskId: number): ToolContext => ({
        agent: definition(id, apply), owner: { id: `agent:${id}`, kind: 'agent', displayName: id }, taskId, signal: new AbortController().signal,
        setWaiting: () => undefined, sendMessage: () => '', delegate: () => Promise.resolve({ content: '' }),
    });
    const claude = () => contextOf('claude', 'after-review', 1);
    const gemini = () => contextOf('gemini', 'immediately', 2);
    const run = async (context: ToolContext, name: string, args: Record<string, unknown>) => tools.execute({ id: 'call', name, arguments: args }, context);
    const onDisk = (file: string) => (fs.existsSync(path.join(ws, file)) ? fs.readFileSync(path.join(ws, file), 'utf8') : undefined);

    beforeEach(() => {
        ws = path.join(temp.root, 'ws');
        fs.mkdirSync(path.join(ws, 'src'), { recursive: true });
        fs.writeFileSync(path.join(ws, 'src', 'a.ts'), 'const a = 1;\n');
        fs.writeFileSync(path.join(ws, 'src', 'c.ts'), 'const c = 1;\n');
        locks = new LockManager(new WorkspacePaths(ws), new MemoryLockStore());
        overlays = new ChangeOverlays(temp.open().get('sessions'));
        edits = [];
        const writer = new GuardedFileWriter(locks, 50, write => edits.push({ path: write.path, before: write.before, after: write.after }));
        tools = new ToolExecutor(locks.paths, writer, new CommandRunner(locks), { overlays });
    });
    afterEach(() => locks.dispose());

    it('writes to its overlay: it reads and edits its own content, the workspace and the other agents keep the old', async () => {
        assert.match((await run(claude(), 'edit_file', { path: 'src/a.ts', old_text: 'const a = 1;', new_text: 'const a = 2;' })).content, /Updated src\/a\.ts .* It waits for review/);
        assert.equal((await run(claude(), 'edit_file', { path: 'src/a.ts', old_text: 'const a = 2;', new_text: 'const a = 3;' })).isError, undefined, 'the second edit starts from its first');
        await run(claude(), 'write_file', { path: 'src/b/new.ts', content: 'export const fresh = 1;\n' });

        assert.equal((await run(claude(), 'read_file', { path: 'src/a.ts' })).content, 'const a = 3;\n');
        assert.equal((await run(gemini(), 'read_file', { path: 'src/a.ts' })).content, 'const a = 1;\n');
        assert.deepEqual([onDisk('src/a.ts'), onDisk('src/b/new.ts')], ['const a = 1;\n', undefined]);
        assert.equal((await run(claude(), 'list_files', { path: 'src' })).content, 'src/a.ts\nsrc/b/\nsrc/b/new.ts\nsrc/c.ts');
        assert.equal((await run(gemini(), 'list_files', { path: 'src' })).content, 'src/a.ts\nsrc/c.ts');
        // The change set hears each write against what the agent saw: the workspace's content first, then its own.
        assert.deepEqual(edits.map(e => [e.path, e.before, e.after]), [
            ['src/a.ts', 'const a = 1;\n', 'const a = 2;\n'], ['src/a.ts', 'const a = 2;\n', 'const a = 3;\n'], ['src/b/new.ts', undefined, 'export const fresh = 1;\n'],
        ]);
    });

    it('searches its own content of the files it changed, and the workspace for the rest', async () => {
        await run(claude(), 'edit_file', { path: 'src/a.ts', old_text: 'const a = 1;', new_text: 'const a = 42;' });
        const mine = (await run(claude(), 'search', { pattern: 'const [ac] = ' })).content.split('\n').sort();
        assert.deepEqual(mine.map(line => line.replace(/^\.\//, '')), ['src/a.ts:1:const a = 42;', 'src/c.ts:1:const c = 1;']);
        const theirs = (await run(gemini(), 'search', { pattern: 'const a = ' })).content;
        assert.match(theirs, /src\/a\.ts:1:const a = 1;/);
        assert.equal((await run(claude(), 'search', { pattern: '42', path: 'src', glob: '*.md' })).content, 'No matches.');
        assert.equal((await run(claude(), 'search', { pattern: 'const a', path: 'src/a.ts' })).content, '1:const a = 42;', 'a search of the one file, as ripgrep prints it');
        assert.equal((await run(gemini(), 'search', { pattern: 'const a', path: 'src/a.ts' })).content, '1:const a = 1;');
    });

    it('does not see a file deleted in its overlay', async () => {
        overlays.write(1, 'claude', 'src/c.ts', undefined, 'const c = 1;\n');
        assert.match((await run(claude(), 'read_file', { path: 'src/c.ts' })).content, /src\/c\.ts does not exist for you: you deleted it in this task/);
        assert.equal((await run(claude(), 'list_files', { path: 'src' })).content, 'src/a.ts');
        assert.equal(onDisk('src/c.ts'), 'const c = 1;\n');
    });

    it('takes the file\'s lock for the write as any agent does: a file another agent holds makes it wait, then fail', async () => {
        const holder: LockOwner = { id: 'agent:gemini', kind: 'agent', displayName: 'Gemini' };
        const lock = await locks.acquire({ path: 'src/a.ts', mode: 'exclusive', owner: holder });
        const outcome = await run(claude(), 'write_file', { path: 'src/a.ts', content: 'mine\n' });
        assert.equal(outcome.isError, true);
        assert.match(outcome.content, /Timed out after \d+ ms waiting for the lock on src\/a\.ts, held by Gemini/);
        assert.deepEqual(overlays.entries(1), []);
        locks.release(lock.id, holder);
    });

    it('keeps each task\'s overlay apart: the agent\'s next task starts from the workspace', async () => {
        await run(claude(), 'write_file', { path: 'src/a.ts', content: 'task one\n' });
        assert.equal((await run(contextOf('claude', 'after-review', 7), 'read_file', { path: 'src/a.ts' })).content, 'const a = 1;\n');
    });
});
