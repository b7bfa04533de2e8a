import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LockManager } from '../locks/lock-manager';
import { MemoryLockStore } from '../locks/lock-store';
import { WorkspacePaths } from '../policy/workspace-paths';
import { parseAgentDefinition } from './agent-definition';
import { GuardedFileWriter } from './guarded-file-writer';
import { workspaceContext } from './workspace-context';

describe('the workspace context in an agent\'s system prompt', () => {
    let root: string;
    let locks: LockManager;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'workspace-context-'));
        fs.writeFileSync(path.join(root, 'a.ts'), '');
        locks = new LockManager(new WorkspacePaths(root), new MemoryLockStore());
    });
    afterEach(() => {
        locks.dispose();
        fs.rmSync(root, { recursive: true, force: true });
    });
    const contextFor = (apply: string) => workspaceContext({
        agent: parseAgentDefinition('claude.json', 'claude', JSON.stringify({ name: 'Claude', vendor: 'anthropic', model: 'claude-sonnet-4-5', apply })),
        locks, writer: new GuardedFileWriter(locks), paths: locks.paths, others: [],
    });

    it('tells an agent whose edits wait for review that only it sees them, and that its commands do not', () => {
        const text = contextFor('after-review');
        assert.match(text, /^## Your edits wait for review\nYour file edits \(write_file, edit_file\) do not reach the workspace yet/);
        assert.match(text, /Commands you run \(run_command\) see the workspace without them/);
        assert.match(text, /## Workspace\na\.ts/);
        assert.doesNotMatch(contextFor('immediately'), /wait for review/);
    });
});
