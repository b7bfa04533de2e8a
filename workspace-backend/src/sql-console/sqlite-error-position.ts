import { ScriptPosition } from './console-types';
import { lineAndColumn } from './statement-splitter';

/**
 * Where an error is in the script, from the token or name SQLite's message quotes (`near "X":
 * syntax error`, `no such table: t`, `no such column: c`). better-sqlite3 does not expose
 * sqlite3_error_offset, so this is the first occurrence of that token in the failing statement;
 * undefined when the message names none.
 */
export function locateError(message: string, script: string, statementOffset: number, statement: string): ScriptPosition | undefined {
    const token = /near "([^"]+)"/.exec(message)?.[1]
        ?? /no such (?:table|column|function|index|view|module|collation sequence): ([^\s,]+)/.exec(message)?.[1]?.replace(/^main\./, '');
    if (token === undefined) {
        return undefined;
    }
    let at = statement.indexOf(token);
    if (at < 0) {
        at = statement.toLowerCase().indexOf(token.toLowerCase());
    }
    if (at < 0) {
        return undefined;
    }
    const offset = statementOffset + at;
    return { offset, ...lineAndColumn(script, offset) };
}
