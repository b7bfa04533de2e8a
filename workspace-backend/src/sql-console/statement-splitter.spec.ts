import * as assert from 'node:assert/strict';
import { lineAndColumn, splitStatements } from './statement-splitter';

describe('splitStatements', () => {
    it('splits at semicolons and keeps each statement\'s offset', () => {
        const script = 'SELECT 1;\n  SELECT 2 ;SELECT 3';
        assert.deepEqual(splitStatements(script), [
            { sql: 'SELECT 1', offset: 0 },
            { sql: 'SELECT 2', offset: 12 },
            { sql: 'SELECT 3', offset: 22 },
        ]);
    });

    it('ignores semicolons in strings, quoted names and comments', () => {
        const script = `SELECT 'a;b', "c;d", [e;f], \`g;h\` -- x;y\n/* z; */ FROM t; SELECT 'it''s; fine'`;
        const pieces = splitStatements(script).map(s => s.sql);
        assert.equal(pieces.length, 2);
        assert.ok(pieces[0].endsWith('FROM t'));
        assert.equal(pieces[1], 'SELECT \'it\'\'s; fine\'');
    });

    it('keeps a CREATE TRIGGER body whole, up to its END', () => {
        const script = 'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u; END; SELECT 1';
        const pieces = splitStatements(script).map(s => s.sql);
        assert.deepEqual(pieces, ['CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u; END', 'SELECT 1']);
    });

    it('drops pieces holding only blanks and comments', () => {
        assert.deepEqual(splitStatements(' ; -- nothing\n; /* here */ ;'), []);
    });

    it('gives 1-based lines and columns', () => {
        assert.deepEqual(lineAndColumn('ab\ncd', 4), { line: 2, column: 2 });
        assert.deepEqual(lineAndColumn('ab', 0), { line: 1, column: 1 });
    });
});
