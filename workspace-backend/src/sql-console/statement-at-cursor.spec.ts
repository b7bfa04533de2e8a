import * as assert from 'node:assert/strict';
import { statementAtCursor } from './statement-at-cursor';

describe('statementAtCursor', () => {
    const text = 'SELECT 1;\n\nSELECT 2\n  FROM t;\n-- last\nSELECT 3';
    it('runs the statement the cursor is in, or the one just before it', () => {
        assert.deepEqual(statementAtCursor(text, 3), { sql: 'SELECT 1', offset: 0 });
        assert.deepEqual(statementAtCursor(text, 9), { sql: 'SELECT 1', offset: 0 });
        assert.deepEqual(statementAtCursor(text, text.indexOf('FROM')), { sql: 'SELECT 2\n  FROM t', offset: 11 });
        assert.equal(statementAtCursor(text, text.length)?.sql, '-- last\nSELECT 3');
    });
    it('runs the selection when there is one', () => {
        assert.deepEqual(statementAtCursor(text, 0, { start: 0, end: 20 }), { sql: text.slice(0, 20), offset: 0 });
    });
    it('runs nothing in an empty editor', () => {
        assert.equal(statementAtCursor('  -- nothing\n', 3), undefined);
    });
});
