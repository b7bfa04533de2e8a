import type { AutoClosingPairData, CharacterPair, LanguageConfigurationData, OnEnterRuleData } from './language-configuration-data';

/*
 * The studio's language configurations, by family of syntax. Written for the studio (not copied from
 * an extension): each says only what the editor needs to comment, match and close brackets, fold
 * and indent. A VS Code extension that later contributes a configuration for the same language
 * replaces the one here (Monaco keeps the last registered).
 */

const braces: CharacterPair[] = [['{', '}'], ['[', ']'], ['(', ')']];

const closingBraces: AutoClosingPairData[] = [
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '(', close: ')' },
];

/** A quote that closes itself, except where it is text already (inside a string or a comment, e.g. an apostrophe). */
function quote(mark: string, notIn: AutoClosingPairData['notIn'] = ['string', 'comment']): AutoClosingPairData {
    return { open: mark, close: mark, notIn };
}

/** Wrapping a selection: the brackets and these quotes. */
function surrounding(...quotes: string[]): CharacterPair[] {
    return [...braces, ...quotes.map(mark => [mark, mark] as const)];
}

/** `// #region` … `// #endregion` (also without the `#`, as Visual Studio writes them). */
const slashRegionMarkers = { start: '^\\s*//\\s*#?region\\b', end: '^\\s*//\\s*#?endregion\\b' };
const hashRegionMarkers = { start: '^\\s*#\\s*#?region\\b', end: '^\\s*#\\s*#?endregion\\b' };

/**
 * Languages whose blocks are braces: a line that leaves a bracket open (outside a line comment)
 * indents the next one; a line that starts with a closing bracket goes back out.
 */
const braceIndentation = {
    increaseIndentPattern: '^((?!//).)*(\\{[^}"\'`]*|\\([^)"\'`]*|\\[[^\\]"\'`]*)$',
    decreaseIndentPattern: '^\\s*(\\*/\\s*)?[}\\])]',
};

/** Inside a `/** … *\/` doc comment, Enter continues it with ` * `; after the closing `*\/`, the extra space goes. */
const docCommentOnEnter: OnEnterRuleData[] = [
    { beforeText: '^\\s*/\\*\\*(?!/)([^*]|\\*(?!/))*$', afterText: '^\\s*\\*/$', action: { indent: 'indentOutdent', appendText: ' * ' } },
    { beforeText: '^\\s*/\\*\\*(?!/)([^*]|\\*(?!/))*$', action: { indent: 'none', appendText: ' * ' } },
    { beforeText: '^(\\t| )* \\*( ([^*]|\\*(?!/))*)?$', action: { indent: 'none', appendText: '* ' } },
    { beforeText: '^(\\t| )* \\*/\\s*$', action: { indent: 'none', removeText: 1 } },
];

/** TypeScript and JavaScript, with or without JSX. */
export const scriptConfiguration: LanguageConfigurationData = {
    comments: { lineComment: '//', blockComment: ['/*', '*/'] },
    brackets: [['${', '}'], ...braces],
    autoClosingPairs: [...closingBraces, quote('"', ['string']), quote('\''), quote('`'), { open: '/**', close: ' */', notIn: ['string'] }],
    surroundingPairs: [...surrounding('"', '\'', '`'), ['<', '>']],
    folding: { markers: slashRegionMarkers },
    indentationRules: braceIndentation,
    onEnterRules: docCommentOnEnter,
};

export const goConfiguration: LanguageConfigurationData = {
    comments: { lineComment: '//', blockComment: ['/*', '*/'] },
    brackets: braces,
    autoClosingPairs: [...closingBraces, quote('"', ['string']), quote('`', ['string']), quote('\'')],
    surroundingPairs: surrounding('"', '\'', '`'),
    folding: { markers: slashRegionMarkers },
    indentationRules: braceIndentation,
};

export const rustConfiguration: LanguageConfigurationData = {
    comments: { lineComment: '//', blockComment: ['/*', '*/'] },
    brackets: braces,
    // Not the single quote: it also starts a lifetime (`'a`).
    autoClosingPairs: [...closingBraces, quote('"', ['string'])],
    surroundingPairs: [...surrounding('"', '\''), ['<', '>']],
    folding: { markers: slashRegionMarkers },
    indentationRules: braceIndentation,
};

export const cssConfiguration: LanguageConfigurationData = {
    comments: { blockComment: ['/*', '*/'] },
    brackets: braces,
    autoClosingPairs: [...closingBraces, quote('"'), quote('\'')],
    surroundingPairs: surrounding('"', '\''),
    folding: { markers: { start: '^\\s*/\\*\\s*#region\\b.*\\*/', end: '^\\s*/\\*\\s*#endregion\\b.*\\*/' } },
    indentationRules: { increaseIndentPattern: '^.*\\{[^}]*$', decreaseIndentPattern: '^\\s*\\}' },
};

/** JSON has no comments; JSON with Comments (tsconfig.json, settings) has both kinds. */
export const jsonConfiguration: LanguageConfigurationData = {
    brackets: [['{', '}'], ['[', ']']],
    autoClosingPairs: [{ open: '{', close: '}', notIn: ['string'] }, { open: '[', close: ']', notIn: ['string'] }, quote('"', ['string'])],
    surroundingPairs: [['{', '}'], ['[', ']'], ['"', '"']],
    indentationRules: { increaseIndentPattern: '({[^}"]*|\\[[^\\]"]*)$', decreaseIndentPattern: '^\\s*[}\\]],?\\s*$' },
};

export const jsoncConfiguration: LanguageConfigurationData = {
    ...jsonConfiguration,
    comments: { lineComment: '//', blockComment: ['/*', '*/'] },
    autoClosingPairs: [{ open: '{', close: '}', notIn: ['string'] }, { open: '[', close: ']', notIn: ['string'] }, quote('"', ['string', 'comment'])],
};

export const pythonConfiguration: LanguageConfigurationData = {
    comments: { lineComment: '#', blockComment: ['"""', '"""'] },
    brackets: braces,
    autoClosingPairs: [...closingBraces, quote('"', ['string']), quote('\''), { open: '"""', close: '"""', notIn: ['string'] }],
    surroundingPairs: surrounding('"', '\''),
    // Blocks are indentation: a region ends where the indentation does.
    folding: { offSide: true, markers: hashRegionMarkers },
    indentationRules: {
        increaseIndentPattern: '^\\s*(class|def|async\\s+def|if|elif|else|for|async\\s+for|while|try|except|finally|with|async\\s+with|match|case)\\b.*:\\s*(#.*)?$',
        decreaseIndentPattern: '^\\s*(elif|else|except|finally)\\b.*:\\s*(#.*)?$',
    },
    onEnterRules: [
        { beforeText: '^\\s*(class|def|async\\s+def|if|elif|else|for|async\\s+for|while|try|except|finally|with|async\\s+with|match|case)\\b.*:\\s*(#.*)?$', action: { indent: 'indent' } },
        // After the line that ends a block, the next line goes back out.
        { beforeText: '^\\s*(return|pass|break|continue|raise)\\b.*$', action: { indent: 'outdent' } },
    ],
};

export const shellConfiguration: LanguageConfigurationData = {
    comments: { lineComment: '#' },
    brackets: braces,
    autoClosingPairs: [...closingBraces, quote('"', ['string']), quote('\''), quote('`')],
    surroundingPairs: surrounding('"', '\'', '`'),
    folding: { markers: hashRegionMarkers },
    indentationRules: {
        increaseIndentPattern: '^\\s*(\\b(if|elif|else|for|while|until|select|case)\\b.*\\b(then|do|in)\\b\\s*$|\\belse\\s*$|.*\\{\\s*$|.*\\)\\s*$)',
        decreaseIndentPattern: '^\\s*(\\b(fi|done|esac|elif|else)\\b|\\}|;;)',
    },
};

export const yamlConfiguration: LanguageConfigurationData = {
    comments: { lineComment: '#' },
    brackets: [['{', '}'], ['[', ']']],
    autoClosingPairs: [{ open: '{', close: '}' }, { open: '[', close: ']' }, quote('"', ['string']), quote('\'', ['string'])],
    surroundingPairs: [['{', '}'], ['[', ']'], ['"', '"'], ['\'', '\'']],
    folding: { offSide: true, markers: hashRegionMarkers },
    // A key whose value follows on the next lines (`key:`), or a list item that starts a mapping (`- key:`).
    indentationRules: { increaseIndentPattern: '^\\s*(-\\s+)?[^#]*:\\s*(#.*)?$|^\\s*-\\s*$', decreaseIndentPattern: '^\\s+\\}$' },
};

export const sqlConfiguration: LanguageConfigurationData = {
    comments: { lineComment: '--', blockComment: ['/*', '*/'] },
    brackets: [['[', ']'], ['(', ')']],
    autoClosingPairs: [{ open: '[', close: ']' }, { open: '(', close: ')' }, quote('"', ['string']), quote('\'', ['string', 'comment']), quote('`', ['string', 'comment'])],
    surroundingPairs: [['[', ']'], ['(', ')'], ['"', '"'], ['\'', '\''], ['`', '`']],
    folding: { markers: { start: '^\\s*--\\s*#?region\\b', end: '^\\s*--\\s*#?endregion\\b' } },
};

export const dockerfileConfiguration: LanguageConfigurationData = {
    comments: { lineComment: '#' },
    brackets: braces,
    autoClosingPairs: [...closingBraces, quote('"', ['string']), quote('\'', ['string'])],
    surroundingPairs: surrounding('"', '\''),
};

/** The elements that never have a closing tag: no indentation after them. */
const voidElements = 'area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr';

export const htmlConfiguration: LanguageConfigurationData = {
    comments: { blockComment: ['<!--', '-->'] },
    brackets: [['<!--', '-->'], ['{', '}'], ['(', ')']],
    autoClosingPairs: [...closingBraces, quote('"'), quote('\''), { open: '<!--', close: '-->', notIn: ['comment', 'string'] }],
    surroundingPairs: [...surrounding('"', '\''), ['<', '>']],
    folding: { markers: { start: '^\\s*<!--\\s*#region\\b.*-->', end: '^\\s*<!--\\s*#endregion\\b.*-->' } },
    indentationRules: {
        // An opening tag (not a void or self-closing one) left open on its line.
        increaseIndentPattern: `<(?!(?:${voidElements})\\b)([a-zA-Z][\\w.-]*)(\\s[^>]*)?(?<!/)>(?!.*</\\1>)\\s*$|<!--(?!.*-->)\\s*$`,
        decreaseIndentPattern: '^\\s*(</[a-zA-Z][\\w.-]*\\s*>|-->)',
    },
};

export const markdownConfiguration: LanguageConfigurationData = {
    comments: { blockComment: ['<!--', '-->'] },
    brackets: braces,
    autoClosingPairs: [...closingBraces, { open: '<', close: '>', notIn: ['string'] }],
    surroundingPairs: [...braces, ['`', '`'], ['*', '*'], ['_', '_'], ['~', '~'], ['<', '>']],
    folding: { markers: { start: '^\\s*<!--\\s*#?region\\b.*-->', end: '^\\s*<!--\\s*#?endregion\\b.*-->' } },
};
