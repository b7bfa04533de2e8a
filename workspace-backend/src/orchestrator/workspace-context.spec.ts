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
    const contextFor = (apply: string, prompt?: string) => workspaceContext({
        agent: parseAgentDefinition('claude.json', 'claude', JSON.stringify({ name: 'Claude', vendor: 'anthropic', model: 'claude-sonnet-4-5', apply })),
        locks, writer: new GuardedFileWriter(locks), paths: locks.paths, others: [], prompt,
    });

    it('tells an agent whose edits wait for review that only it sees them, and that its commands do not', () => {
        const text = contextFor('after-review');
        assert.match(text, /^## Your edits wait for review\nYour file edits \(write_file, edit_file\) do not reach the workspace yet/);
        assert.match(text, /Commands you run \(run_command\) see the workspace without them/);
        assert.match(text, /## Workspace\na\.ts/);
        assert.doesNotMatch(contextFor('immediately'), /wait for review/);
    });

    it('lists the workspace\'s skills and gives the ones the task calls for in full', () => {
        assert.doesNotMatch(contextFor('immediately', 'anything'), /## Skills/, 'no skills folder, no section');
        fs.mkdirSync(path.join(root, '.coditect', 'skills', 'changelog'), { recursive: true });
        fs.writeFileSync(path.join(root, '.coditect', 'skills', 'changelog', 'SKILL.md'),
            '---\nname: changelog\ndescription: Writes CHANGELOG entries for releases\n---\nAdd one line per change under "Unreleased".\n');
        assert.match(contextFor('immediately', 'update the changelog'), /## Skills\n.*\n- changelog: Writes CHANGELOG entries for releases .*\n### Skill: changelog\nAdd one line per change/);
        assert.doesNotMatch(contextFor('immediately', 'fix the build'), /### Skill: changelog/);
    });
});
