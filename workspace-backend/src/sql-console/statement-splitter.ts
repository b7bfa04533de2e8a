/** One statement of a script, with where it starts in the script. */
export interface ScriptStatement {
    readonly sql: string;
    readonly offset: number;
}

/**
 * Splits a script at the semicolons that end statements: not those inside string literals,
 * quoted identifiers, comments, or the body of a CREATE TRIGGER (which ends at `END;`).
 *
 * This is not a security boundary: every piece is compiled by SQLite and classified by what it
 * compiled to (statement-guard.ts). A wrong split only makes a piece fail to compile ("more
 * than one statement", a syntax error); it cannot smuggle anything past the guard.
 * Pieces that hold only whitespace and comments are dropped.
 */
export function splitStatements(script: string): ScriptStatement[] {
    const statements: ScriptStatement[] = [];
    let start = 0;
    let i = 0;
    let words: string[] = [];
    let word = '';
    const endWord = () => {
        if (word) {
            words.push(word.toUpperCase());
            word = '';
        }
    };
    const push = (end: number) => {
        const piece = script.slice(start, end);
        if (!isBlank(piece)) {
            const lead = piece.length - piece.trimStart().length;
            statements.push({ sql: piece.trim(), offset: start + lead });
        }
    };
    while (i < script.length) {
        const c = script[i];
        if (c === '-' && script[i + 1] === '-') {
            endWord();
            const nl = script.indexOf('\n', i);
            i = nl < 0 ? script.length : nl + 1;
        } else if (c === '/' && script[i + 1] === '*') {
            endWord();
            const close = script.indexOf('*/', i + 2);
            i = close < 0 ? script.length : close + 2;
        } else if (c === '\'' || c === '"' || c === '`' || c === '[') {
            endWord();
            const closer = c === '[' ? ']' : c;
            let j = i + 1;
            while (j < script.length) {
                if (script[j] === closer) {
                    // A doubled quote is an escaped quote, not the end.
                    if (closer !== ']' && script[j + 1] === closer) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j++;
            }
            words.push('<quoted>');
            i = j + 1;
        } else if (c === ';') {
            endWord();
            if (!insideTriggerBody(words)) {
                push(i);
                start = i + 1;
                words = [];
            } else {
                words.push(';');
            }
            i++;
        } else if (/[A-Za-z0-9_$]/.test(c)) {
            word += c;
            i++;
        } else {
            endWord();
            i++;
        }
    }
    endWord();
    push(script.length);
    return statements;
}

/** A CREATE TRIGGER runs until the `END` that closes its body; its inner statements end with `;` too. */
function insideTriggerBody(words: readonly string[]): boolean {
    if (words[0] !== 'CREATE') {
        return false;
    }
    const triggerAt = words.slice(0, 4).indexOf('TRIGGER');
    if (triggerAt < 0) {
        return false;
    }
    return words[words.length - 1] !== 'END';
}

function isBlank(piece: string): boolean {
    return piece.replace(/--[^\n]*(\n|$)/g, '').replace(/\/\*[\s\S]*?(\*\/|$)/g, '').trim() === '';
}

/** Line and column (1-based) of an offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - before.lastIndexOf('\n') };
}
