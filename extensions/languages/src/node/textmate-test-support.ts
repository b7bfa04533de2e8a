import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, IGrammar, IRawGrammar, IRawTheme, Registry, StateStack } from 'vscode-textmate';
import { StudioGrammars } from '../common/language-definitions';
import { isStudioGrammarName, readGrammar } from './grammar-files';

/*
 * What the specs tokenize with: the same vscode-textmate and vscode-oniguruma that @theia/monaco
 * runs in the browser, loading the studio's grammars from the table the backend serves them from.
 */

let onigLoaded: Promise<void> | undefined;

/** A registry over the studio's grammars (a scope the studio lacks resolves to nothing, as in the browser). */
export async function studioGrammarRegistry(theme?: IRawTheme): Promise<Registry> {
    onigLoaded ??= oniguruma.loadWASM(fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer as ArrayBuffer);
    await onigLoaded;
    const nameOfScope = new Map(StudioGrammars.map(g => [g.scopeName, g.name]));
    return new Registry({
        onigLib: Promise.resolve({
            createOnigScanner: sources => new oniguruma.OnigScanner(sources),
            createOnigString: text => new oniguruma.OnigString(text),
        }),
        theme,
        loadGrammar: async scopeName => {
            const name = nameOfScope.get(scopeName);
            // The grammar files are JSON as vscode-textmate reads them (IRawGrammar).
            return name !== undefined && isStudioGrammarName(name) ? readGrammar(name) as IRawGrammar : null;
        },
    });
}

export interface ScopedToken {
    readonly text: string;
    /** Where it starts in the source. */
    readonly offset: number;
    /** Innermost last. */
    readonly scopes: string[];
}

/** Every token of every line of `source`, with its scopes. */
export function tokenize(grammar: IGrammar, source: string): ScopedToken[] {
    const tokens: ScopedToken[] = [];
    let state: StateStack = INITIAL;
    let lineStart = 0;
    for (const line of source.split('\n')) {
        const result = grammar.tokenizeLine(line, state);
        state = result.ruleStack;
        tokens.push(...result.tokens.map(t => ({ text: line.slice(t.startIndex, t.endIndex), offset: lineStart + t.startIndex, scopes: t.scopes })));
        lineStart += line.length + 1;
    }
    return tokens;
}

/** The token that holds the first character of `text`'s first occurrence in `source`. */
export function tokenAt(tokens: ScopedToken[], source: string, text: string): ScopedToken | undefined {
    const offset = source.indexOf(text);
    return offset < 0 ? undefined : tokens.find(t => t.offset <= offset && offset < t.offset + Math.max(t.text.length, 1));
}

/** The themes Theia's editor uses (its `dark`, `light` and high-contrast themes), by the file @theia/monaco registers. */
export const TheiaEditorThemes = {
    dark: 'dark_theia.json',
    light: 'light_theia.json',
    'high contrast': 'hc_theia.json',
    'high contrast light': 'hc_theia_light.json',
} as const;

interface ThemeFile {
    include?: string;
    colors?: Record<string, string>;
    tokenColors?: IRawTheme['settings'];
}

/**
 * One of Theia's editor themes as a TextMate theme, its includes followed, as @theia/monaco's
 * MonacoThemeRegistry builds it: the editor's foreground and background as the defaults, then every token colour rule.
 */
export function theiaEditorTheme(file: string): IRawTheme {
    const dir = path.dirname(require.resolve('@theia/monaco/data/monaco-themes/vscode/dark_theia.json'));
    const chain: ThemeFile[] = [];
    for (let next: string | undefined = file; next; next = chain[chain.length - 1].include) {
        chain.push(JSON.parse(fs.readFileSync(path.join(dir, next), 'utf8')) as ThemeFile);
    }
    chain.reverse();
    const colors = Object.assign({}, ...chain.map(t => t.colors ?? {})) as Record<string, string>;
    return {
        name: file,
        settings: [
            { settings: { foreground: colors['editor.foreground'], background: colors['editor.background'] } },
            ...chain.flatMap(t => t.tokenColors ?? []),
        ],
    };
}

/** The foreground colour of each token of one line, as the registry's theme gives it. */
export function lineColours(registry: Registry, grammar: IGrammar, line: string): { text: string; colour: string }[] {
    const colourMap = registry.getColorMap();
    const { tokens } = grammar.tokenizeLine2(line, INITIAL);
    const coloured: { text: string; colour: string }[] = [];
    for (let i = 0; i < tokens.length; i += 2) {
        const end = i + 2 < tokens.length ? tokens[i + 2] : line.length;
        // Bits 15-23 of a token's metadata: its foreground's index in the colour map.
        const foreground = (tokens[i + 1] >>> 15) & 0x1ff;
        coloured.push({ text: line.slice(tokens[i], end), colour: colourMap[foreground] });
    }
    return coloured;
}
