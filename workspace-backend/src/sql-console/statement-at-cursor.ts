import { splitStatements } from './statement-splitter';

/** The text to run and where it starts in the editor's text. */
export interface RunTarget {
    readonly sql: string;
    readonly offset: number;
}

/**
 * What Ctrl/Cmd+Enter runs: the selection when there is one, else the statement the cursor is
 * in (or just after, past its semicolon), else nothing.
 */
export function statementAtCursor(text: string, cursor: number, selection?: { start: number; end: number }): RunTarget | undefined {
    if (selection && selection.end > selection.start && text.slice(selection.start, selection.end).trim()) {
        return { sql: text.slice(selection.start, selection.end), offset: selection.start };
    }
    const statements = splitStatements(text);
    let chosen = statements[0];
    for (const statement of statements) {
        if (statement.offset <= cursor) {
            chosen = statement;
        }
    }
    return chosen && { sql: chosen.sql, offset: chosen.offset };
}
