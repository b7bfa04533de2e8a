import * as assert from 'node:assert/strict';
import { cellText, compareCells, rowsAsTsv } from './cell-text';

describe('cell text', () => {
    it('shows NULL, big integers, blobs and cut text distinctly', () => {
        assert.equal(cellText(null), 'NULL');
        assert.equal(cellText({ t: 'bigint', v: '9007199254740993' }), '9007199254740993');
        assert.equal(cellText({ t: 'blob', bytes: 3, hex: '00ff10' }), 'x\'00ff10\'');
        assert.equal(cellText({ t: 'text', chars: 5000, text: 'abc', ref: 1 }), 'abc…');
    });
    it('sorts across types the way SQLite does', () => {
        const sorted = ['b', 2, null, { t: 'blob', bytes: 1, hex: '00' } as const, 'a', 10].sort(compareCells);
        assert.deepEqual(sorted, [null, 2, 10, 'a', 'b', { t: 'blob', bytes: 1, hex: '00' }]);
    });
    it('copies rows as tab-separated text with a header', () => {
        assert.equal(rowsAsTsv(['a', 'b'], [[1, 'x\ty'], [null, 'z']]), 'a\tb\n1\tx y\n\tz');
    });
});
