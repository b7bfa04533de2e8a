import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changesInSelection, DiffLineChange, indexPatch } from './selected-ranges';

/** The real git CLI in a scratch repository. */
function git(cwd: string, args: string[], input?: string): string {
    return execFileSync('git', args, { cwd, input, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1' } });
}

/** The file header `git apply` needs before the hunks (the service adds it: node/file-patch.ts). */
const patch = (hunks: string) => `--- a/a.txt\n+++ b/a.txt\n${hunks}`;

const lines = (n: number, change: Record<number, string | null> = {}) => {
    const result: string[] = [];
    for (let i = 1; i <= n; i++) {
        if (change[i] !== null) {
            result.push(change[i] ?? `line ${i}`);
        }
    }
    return result;
};

describe('stage and unstage selected ranges', () => {
    let repo: string;

    beforeEach(() => {
        repo = fs.mkdtempSync(path.join(os.tmpdir(), 'coditect-ranges-'));
        git(repo, ['init', '-q']);
        git(repo, ['config', 'user.email', 'spec@example.com']);
        git(repo, ['config', 'user.name', 'Spec']);
        fs.writeFileSync(path.join(repo, 'a.txt'), lines(30).join('\n') + '\n');
        git(repo, ['add', 'a.txt']);
        git(repo, ['commit', '-q', '-m', 'first']);
    });

    afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

    // Line 2 changed, line 15 deleted, a line added after 25: Monaco's changes between the two versions.
    const edited = () => lines(30, { 2: 'line 2 edited', 15: null, 25: 'line 25\nline 25.5' }).join('\n').split('\n');
    const changes: DiffLineChange[] = [
        { originalStartLineNumber: 2, originalEndLineNumber: 2, modifiedStartLineNumber: 2, modifiedEndLineNumber: 2 },
        { originalStartLineNumber: 15, originalEndLineNumber: 15, modifiedStartLineNumber: 14, modifiedEndLineNumber: 0 },
        { originalStartLineNumber: 25, originalEndLineNumber: 0, modifiedStartLineNumber: 25, modifiedEndLineNumber: 25 },
    ];

    it('finds the changes a selection touches, a deletion on the line it follows', () => {
        assert.deepEqual(changesInSelection(changes, [{ startLineNumber: 1, endLineNumber: 3 }]), [changes[0]]);
        assert.deepEqual(changesInSelection(changes, [{ startLineNumber: 14, endLineNumber: 14 }]), [changes[1]]);
        assert.deepEqual(changesInSelection(changes, [{ startLineNumber: 2, endLineNumber: 2 }, { startLineNumber: 25, endLineNumber: 30 }]), [changes[0], changes[2]]);
        assert.deepEqual(changesInSelection(changes, [{ startLineNumber: 5, endLineNumber: 10 }]), []);
    });

    it('stages only the selected changes of the working file', () => {
        const index = lines(30);
        fs.writeFileSync(path.join(repo, 'a.txt'), edited().join('\n') + '\n');
        git(repo, ['apply', '--cached', '-'], patch(indexPatch('stage', index, edited(), [changes[0], changes[2]])));
        const staged = git(repo, ['diff', '--cached', '-U0']);
        assert.match(staged, /\+line 2 edited/);
        assert.match(staged, /\+line 25\.5/);
        assert.doesNotMatch(staged, /-line 15/);
        assert.match(git(repo, ['diff', '-U0']), /-line 15/, 'the unselected deletion is still only in the working file');
    });

    it('unstages only the selected changes, leaving the working file as it is', () => {
        fs.writeFileSync(path.join(repo, 'a.txt'), edited().join('\n') + '\n');
        git(repo, ['add', 'a.txt']);
        git(repo, ['apply', '--cached', '-'], patch(indexPatch('unstage', lines(30), edited(), [changes[1]])));
        const staged = git(repo, ['diff', '--cached', '-U0']);
        assert.match(staged, /\+line 2 edited/);
        assert.match(staged, /\+line 25\.5/);
        assert.doesNotMatch(staged, /-line 15/, 'the deletion is out of the index');
        assert.match(git(repo, ['diff', '-U0']), /-line 15/, 'and still in the working file');
        assert.deepEqual(fs.readFileSync(path.join(repo, 'a.txt'), 'utf8'), edited().join('\n') + '\n');
    });
});
