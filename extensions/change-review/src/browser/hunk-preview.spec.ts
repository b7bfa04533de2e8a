import * as assert from 'node:assert/strict';
import type { ChangeHunk } from '../common/change-review-protocol';
import { hunkLocation, hunkPreview, parseUnifiedDiff } from './hunk-preview';

const hunk = (index: number, oldStart: number, oldLines: number, newStart: number, newLines: number): ChangeHunk =>
    ({ index, oldStart, oldLines, newStart, newLines, review: 'pending' });

// before: a b c d e f g h i j k l; after: a B c d e f g h i j k l m n (b changed, m and n added): two hunks, one diff section each.
const diff = [
    'Index: src/a.ts',
    '===================================================================',
    '--- src/a.ts',
    '+++ src/a.ts',
    '@@ -1,4 +1,4 @@',
    ' a',
    '-b',
    '+B',
    ' c',
    ' d',
    '@@ -10,3 +10,5 @@',
    ' j',
    ' k',
    ' l',
    '+m',
    '+n',
    '\\ No newline at end of file',
    '',
].join('\n');

describe('hunk previews', () => {
    it('reads the removed and added lines of a unified diff by their line numbers, skipping the file headers', () => {
        const lines = parseUnifiedDiff(diff);
        assert.deepEqual([...lines.removed], [[2, 'b']]);
        assert.deepEqual([...lines.added], [[2, 'B'], [13, 'm'], [14, 'n']]);
    });

    it('takes a removed line that looks like a header ("--- x") for what it is inside a section', () => {
        const lines = parseUnifiedDiff(['--- a', '+++ a', '@@ -1,2 +1,1 @@', '--- x', ' y', ''].join('\n'));
        assert.deepEqual([...lines.removed], [[1, '-- x']]);
        assert.deepEqual([...lines.added], []);
    });

    it('previews each hunk by its line ranges, even when one diff section holds several hunks', () => {
        const merged = ['@@ -1,5 +1,5 @@', '-a', '+A', ' b', ' c', '-d', '+D', ' e', ''].join('\n');
        const lines = parseUnifiedDiff(merged);
        assert.deepEqual(hunkPreview(lines, hunk(0, 1, 1, 1, 1)), { removed: ['a'], added: ['A'], moreRemoved: 0, moreAdded: 0 });
        assert.deepEqual(hunkPreview(lines, hunk(1, 4, 1, 4, 1)), { removed: ['d'], added: ['D'], moreRemoved: 0, moreAdded: 0 });
    });

    it('shows at most a few lines of each side and counts the rest', () => {
        const created = ['--- n', '+++ n', '@@ -0,0 +1,5 @@', '+1', '+2', '+3', '+4', '+5', ''].join('\n');
        const preview = hunkPreview(parseUnifiedDiff(created), hunk(0, 1, 0, 1, 5), 2);
        assert.deepEqual(preview, { removed: [], added: ['1', '2'], moreRemoved: 0, moreAdded: 3 });
    });

    it('names where a hunk is in the file as the task left it, or what it removed', () => {
        assert.equal(hunkLocation(hunk(0, 12, 2, 12, 3)), 'lines 12–14');
        assert.equal(hunkLocation(hunk(0, 3, 1, 3, 1)), 'line 3');
        assert.equal(hunkLocation(hunk(0, 7, 2, 6, 0)), 'removed lines 7–8');
    });
});
