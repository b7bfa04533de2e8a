import type { LanguageConfigurationData } from './language-configuration-data';
import {
    cssConfiguration, dockerfileConfiguration, goConfiguration, htmlConfiguration, jsonConfiguration, jsoncConfiguration,
    markdownConfiguration, pythonConfiguration, rustConfiguration, scriptConfiguration, shellConfiguration, sqlConfiguration,
    yamlConfiguration,
} from './language-configurations';

/** A TextMate grammar of the `tm-grammars` package. */
export interface GrammarSource {
    /** Its file in the package (`grammars/<name>.json`), and its name in the studio's grammar route. */
    readonly name: string;
    /** Its root scope (the file's `scopeName`), by which grammars include each other. */
    readonly scopeName: string;
}

/**
 * A language the studio colours: how Monaco recognises its files, its grammar, and its configuration.
 * Ids are VS Code's own, so a VS Code extension that contributes to the same language (a grammar, a
 * configuration, more file names) adds to this one or replaces parts of it, rather than competing
 * with a second language for the same files.
 */
export interface LanguageDefinition {
    readonly id: string;
    /** The first is the name the status bar shows. */
    readonly aliases: readonly string[];
    /** File name endings, with their dot. */
    readonly extensions?: readonly string[];
    /** Whole file names; they win over extensions and patterns. */
    readonly filenames?: readonly string[];
    /** Globs on the file name (`tsconfig.*.json`). */
    readonly filenamePatterns?: readonly string[];
    /** A regular expression for the first line of a file no name claims (a `#!` line). */
    readonly firstLine?: string;
    readonly mimetypes?: readonly string[];
    readonly grammar: GrammarSource;
    /**
     * Scopes of the grammar that hold text of another language, by that language's id: their tokens
     * take its id, so commenting, brackets and auto-closing follow the embedded language there.
     */
    readonly embeddedLanguages?: Readonly<Record<string, string>>;
    /**
     * The grammar marks fenced code blocks `meta.embedded.block.<language id>` (VS Code's Markdown
     * grammar does): every studio language's blocks are coloured by its grammar and take its id.
     */
    readonly embedsCodeBlocks?: boolean;
    /** Scopes whose tokens are not what their name says (an expression inside a template string is code, not string). */
    readonly tokenTypes?: Readonly<Record<string, 'string' | 'comment' | 'other'>>;
    readonly configuration: LanguageConfigurationData;
}

/** Inside `${…}` of a template string is code: quotes and brackets close there as they do in code. */
const templateExpressionTokenTypes = {
    'meta.template.expression': 'other',
    'meta.template.expression string': 'string',
    'meta.template.expression comment': 'comment',
} as const;

/**
 * The languages the studio colours with no network and no extension. The one place they are named:
 * the frontend registers them with Monaco, the backend serves their grammars, the specs check them.
 *
 * Of these, Theia 1.74 itself registers only `jsonc` (@theia/monaco: the workspace-file extensions;
 * @theia/preferences: `settings.json`), with no grammar and no configuration; the frontend adds the
 * file names below to it instead of registering it again. (@theia/ai-chat-ui registers a private
 * language of its own for the bare ending `json`, without the dot; `.json` is longer and wins.)
 */
const studioLanguages = [
    {
        id: 'typescript',
        aliases: ['TypeScript', 'ts', 'typescript'],
        extensions: ['.ts', '.cts', '.mts'],
        mimetypes: ['text/typescript'],
        grammar: { name: 'typescript', scopeName: 'source.ts' },
        tokenTypes: templateExpressionTokenTypes,
        configuration: scriptConfiguration,
    },
    {
        id: 'typescriptreact',
        aliases: ['TypeScript JSX', 'TypeScript React', 'tsx'],
        extensions: ['.tsx'],
        grammar: { name: 'tsx', scopeName: 'source.tsx' },
        tokenTypes: templateExpressionTokenTypes,
        configuration: scriptConfiguration,
    },
    {
        id: 'javascript',
        aliases: ['JavaScript', 'js', 'javascript'],
        extensions: ['.js', '.cjs', '.mjs', '.es6', '.pac'],
        filenames: ['jakefile'],
        firstLine: '^#!.*\\bnode\\b',
        mimetypes: ['text/javascript'],
        grammar: { name: 'javascript', scopeName: 'source.js' },
        tokenTypes: templateExpressionTokenTypes,
        configuration: scriptConfiguration,
    },
    {
        id: 'javascriptreact',
        aliases: ['JavaScript JSX', 'JavaScript React', 'jsx'],
        extensions: ['.jsx'],
        grammar: { name: 'jsx', scopeName: 'source.js.jsx' },
        tokenTypes: templateExpressionTokenTypes,
        configuration: scriptConfiguration,
    },
    {
        id: 'json',
        aliases: ['JSON', 'json'],
        extensions: ['.json', '.jsonld', '.geojson', '.webmanifest', '.har', '.js.map', '.css.map', '.ts.map'],
        filenames: ['composer.lock', '.watchmanconfig'],
        mimetypes: ['application/json', 'application/manifest+json'],
        grammar: { name: 'json', scopeName: 'source.json' },
        configuration: jsonConfiguration,
    },
    {
        id: 'jsonc',
        aliases: ['JSON with Comments', 'jsonc'],
        extensions: ['.jsonc', '.code-workspace', '.babelrc', '.eslintrc', '.jshintrc', '.swcrc'],
        // Configuration files read by tools that accept comments.
        filenames: [
            'tsconfig.json', 'jsconfig.json', '.eslintrc.json', 'settings.json', 'launch.json', 'tasks.json', 'keybindings.json',
            'extensions.json', 'devcontainer.json', '.devcontainer.json', 'typedoc.json', 'api-extractor.json', 'argv.json',
        ],
        filenamePatterns: ['tsconfig.*.json', 'jsconfig.*.json', 'tsconfig-*.json', 'jsconfig-*.json'],
        grammar: { name: 'jsonc', scopeName: 'source.json.comments' },
        configuration: jsoncConfiguration,
    },
    {
        id: 'markdown',
        aliases: ['Markdown', 'markdown', 'md'],
        extensions: ['.md', '.markdown', '.mdown', '.mkd', '.mkdn', '.mdwn', '.mdtxt', '.mdtext'],
        mimetypes: ['text/markdown'],
        grammar: { name: 'markdown', scopeName: 'text.html.markdown' },
        embedsCodeBlocks: true,
        // Front matter (`---` at the top) is YAML.
        embeddedLanguages: { 'meta.embedded.block.frontmatter': 'yaml' },
        configuration: markdownConfiguration,
    },
    {
        id: 'python',
        aliases: ['Python', 'py'],
        extensions: ['.py', '.pyi', '.pyw', '.rpy', '.pyt', '.gyp', '.gypi', '.ipy'],
        filenames: ['SConstruct', 'SConscript'],
        firstLine: '^#!\\s*/?.*\\bpython[0-9.-]*\\b',
        mimetypes: ['text/x-python'],
        grammar: { name: 'python', scopeName: 'source.python' },
        configuration: pythonConfiguration,
    },
    {
        id: 'shellscript',
        aliases: ['Shell Script', 'shellscript', 'bash', 'sh', 'zsh'],
        extensions: [
            '.sh', '.bash', '.zsh', '.ksh', '.ebuild', '.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.bash_aliases',
            '.profile', '.xprofile', '.zshrc', '.zshenv', '.zprofile', '.zlogin', '.zlogout',
        ],
        filenames: ['APKBUILD', 'PKGBUILD', '.envrc', '.hushlogin', 'bashrc', 'zshrc', 'zshenv', 'zprofile', 'zlogin', 'zlogout'],
        firstLine: '^#!.*\\b(bash|zsh|sh|ksh|dash|ash)\\b',
        mimetypes: ['text/x-shellscript'],
        grammar: { name: 'shellscript', scopeName: 'source.shell' },
        configuration: shellConfiguration,
    },
    {
        id: 'yaml',
        aliases: ['YAML', 'yaml'],
        extensions: ['.yaml', '.yml', '.eyaml', '.eyml', '.cff'],
        filenames: ['.clang-format', '.clang-tidy', '.gemrc'],
        firstLine: '^#cloud-config',
        mimetypes: ['application/x-yaml', 'text/x-yaml'],
        grammar: { name: 'yaml', scopeName: 'source.yaml' },
        configuration: yamlConfiguration,
    },
    {
        id: 'sql',
        aliases: ['SQL', 'sql'],
        extensions: ['.sql', '.dsql'],
        mimetypes: ['application/sql'],
        grammar: { name: 'sql', scopeName: 'source.sql' },
        configuration: sqlConfiguration,
    },
    {
        id: 'html',
        aliases: ['HTML', 'htm', 'html', 'xhtml'],
        extensions: ['.html', '.htm', '.shtml', '.xhtml', '.xht'],
        mimetypes: ['text/html', 'application/xhtml+xml'],
        grammar: { name: 'html', scopeName: 'text.html.basic' },
        // <style> and style="" are CSS, <script> and on…="" JavaScript.
        embeddedLanguages: { 'text.html': 'html', 'source.css': 'css', 'source.js': 'javascript' },
        configuration: htmlConfiguration,
    },
    {
        id: 'css',
        aliases: ['CSS', 'css'],
        extensions: ['.css'],
        mimetypes: ['text/css'],
        grammar: { name: 'css', scopeName: 'source.css' },
        configuration: cssConfiguration,
    },
    {
        id: 'dockerfile',
        aliases: ['Dockerfile', 'Docker', 'Containerfile'],
        extensions: ['.dockerfile', '.containerfile'],
        filenames: ['Dockerfile', 'Containerfile'],
        filenamePatterns: ['Dockerfile.*', 'Containerfile.*'],
        grammar: { name: 'docker', scopeName: 'source.dockerfile' },
        configuration: dockerfileConfiguration,
    },
    {
        id: 'go',
        aliases: ['Go', 'go'],
        extensions: ['.go'],
        grammar: { name: 'go', scopeName: 'source.go' },
        configuration: goConfiguration,
    },
    {
        id: 'rust',
        aliases: ['Rust', 'rust'],
        extensions: ['.rs'],
        grammar: { name: 'rust', scopeName: 'source.rust' },
        configuration: rustConfiguration,
    },
] as const satisfies readonly LanguageDefinition[];

export const StudioLanguages: readonly LanguageDefinition[] = studioLanguages;

/**
 * Grammars no studio language is written in, that a studio grammar includes: Markdown's HTML
 * blocks are `text.html.derivative`, which includes HTML's grammar.
 */
const grammarDependencies = [
    { name: 'html-derivative', scopeName: 'text.html.derivative' },
] as const satisfies readonly GrammarSource[];

/** The name of every grammar the studio serves: what the backend's table of grammar files must cover exactly. */
export type StudioGrammarName = (typeof studioLanguages)[number]['grammar']['name'] | (typeof grammarDependencies)[number]['name'];

/** Every grammar the studio serves and loads: its languages' and their dependencies. */
export const StudioGrammars: readonly GrammarSource[] = [...studioLanguages.map(l => l.grammar), ...grammarDependencies];

/**
 * A language's embedded scopes with their language ids: its own `embeddedLanguages`, and for a
 * grammar that `embedsCodeBlocks`, the code block of every studio language.
 */
export function embeddedLanguagesOf(language: LanguageDefinition): Record<string, string> {
    const codeBlocks = language.embedsCodeBlocks
        ? Object.fromEntries(StudioLanguages.filter(l => l.id !== language.id).map(l => [`meta.embedded.block.${l.id}`, l.id]))
        : {};
    return { ...codeBlocks, ...language.embeddedLanguages };
}
