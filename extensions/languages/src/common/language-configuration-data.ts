/**
 * A language configuration as plain data: the shape of a VS Code extension's
 * `language-configuration.json`, with regular expressions written as strings, so the studio's
 * configurations can live in `common/` (no Monaco at load time), be checked by specs in Node, and
 * be turned into Monaco's `LanguageConfiguration` in one place (browser/language-configuration-converter.ts).
 *
 * What each part drives in the editor: `comments` Toggle Line/Block Comment; `brackets` bracket
 * matching and bracket-pair colouring; `autoClosingPairs` typing an opening character inserts the
 * closing one (`notIn`: not inside a string or a comment); `surroundingPairs` typing one around a
 * selection wraps it; `folding` folding regions (`offSide`: by indentation, as in Python and YAML;
 * `markers`: `#region` comments); `indentationRules` and `onEnterRules` the indentation of a new line.
 */
export interface LanguageConfigurationData {
    readonly comments?: {
        readonly lineComment?: string;
        readonly blockComment?: CharacterPair;
    };
    readonly brackets?: readonly CharacterPair[];
    readonly autoClosingPairs?: readonly AutoClosingPairData[];
    readonly surroundingPairs?: readonly CharacterPair[];
    readonly folding?: {
        readonly offSide?: boolean;
        readonly markers?: { readonly start: string; readonly end: string };
    };
    readonly indentationRules?: {
        readonly increaseIndentPattern: string;
        readonly decreaseIndentPattern: string;
        readonly indentNextLinePattern?: string;
        readonly unIndentedLinePattern?: string;
    };
    readonly onEnterRules?: readonly OnEnterRuleData[];
}

/** An opening and a closing string, e.g. `['{', '}']` or `['<!--', '-->']`. */
export type CharacterPair = readonly [string, string];

export interface AutoClosingPairData {
    readonly open: string;
    readonly close: string;
    readonly notIn?: readonly ('string' | 'comment')[];
}

export interface OnEnterRuleData {
    /** Matched against the text of the line before the cursor. */
    readonly beforeText: string;
    /** Matched against the text of the line after the cursor. */
    readonly afterText?: string;
    /** Matched against the line above the cursor's line. */
    readonly previousLineText?: string;
    readonly action: {
        readonly indent: 'none' | 'indent' | 'indentOutdent' | 'outdent';
        readonly appendText?: string;
        readonly removeText?: number;
    };
}
