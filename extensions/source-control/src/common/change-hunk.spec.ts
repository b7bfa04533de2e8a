import * as assert from 'node:assert/strict';
import { hunkOf } from './change-hunk';

describe('hunkOf', () => {
    const original = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

    it('writes a modification with three lines of context on each side', () => {
        const current = ['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h'];
        assert.equal(hunkOf(original, current, { start: 3, end: 4 }, { start: 3, end: 4 }),
            '@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n');
    });

    it('writes an insertion at the top and a removal at the end', () => {
        assert.equal(hunkOf(original, ['new', ...original], { start: 0, end: 0 }, { start: 0, end: 1 }),
            '@@ -1,3 +1,4 @@\n+new\n a\n b\n c\n');
        assert.equal(hunkOf(original, original.slice(0, 7), { start: 7, end: 8 }, { start: 7, end: 7 }),
            '@@ -5,4 +5,3 @@\n e\n f\n g\n-h\n');
    });
});
