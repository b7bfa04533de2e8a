import * as assert from 'node:assert/strict';
import { URI } from '@theia/monaco-editor-core/esm/vs/base/common/uri';
import { ModesRegistry } from '@theia/monaco-editor-core/esm/vs/editor/common/languages/modesRegistry';
import { ResolvedLanguageConfiguration } from '@theia/monaco-editor-core/esm/vs/editor/common/languages/languageConfigurationRegistry';
import { LanguageService } from '@theia/monaco-editor-core/esm/vs/editor/common/services/languageService';
import { StudioLanguages } from '../common/language-definitions';
import { toMonacoLanguageConfiguration } from './language-configuration-converter';
import { languageRegistration } from './language-registration';

/** The languages the issue asks for: each must be one of the studio's. */
const required = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'json', 'jsonc', 'markdown', 'python', 'shellscript', 'yaml', 'sql', 'html', 'css', 'dockerfile', 'go', 'rust'];

/** File → the language Monaco gives it (a `#!` line after `|`). */
const files: Record<string, string> = {
    'src/greeting.ts': 'typescript', 'lib/index.d.ts': 'typescript', 'esm.mts': 'typescript', 'App.tsx': 'typescriptreact',
    'main.js': 'javascript', 'config.mjs': 'javascript', 'eslint.config.cjs': 'javascript', 'Button.jsx': 'javascriptreact',
    'package.json': 'json', 'data.geojson': 'json', 'bundle.js.map': 'json',
    'tsconfig.json': 'jsonc', 'tsconfig.base.json': 'jsonc', '.vscode/settings.json': 'jsonc', 'devcontainer.json': 'jsonc', 'x.jsonc': 'jsonc', 'studio.code-workspace': 'jsonc',
    'README.md': 'markdown', 'docs/notes.markdown': 'markdown',
    'app.py': 'python', 'types.pyi': 'python',
    'build.sh': 'shellscript', '.bashrc': 'shellscript', '.zshrc': 'shellscript', '.bash_profile': 'shellscript', 'PKGBUILD': 'shellscript',
    '.github/workflows/ci.yml': 'yaml', 'docker-compose.yaml': 'yaml', 'CITATION.cff': 'yaml',
    'schema.sql': 'sql', 'index.html': 'html', 'page.htm': 'html', 'style.css': 'css',
    'Dockerfile': 'dockerfile', 'docker/Dockerfile': 'dockerfile', 'Dockerfile.dev': 'dockerfile', 'app.dockerfile': 'dockerfile', 'Containerfile': 'dockerfile',
    'main.go': 'go', 'lib.rs': 'rust',
    'notes.txt': 'plaintext',
    'run|#!/usr/bin/env bash': 'shellscript', 'tool|#!/usr/bin/python3': 'python', 'serve|#!/usr/bin/env node': 'javascript',
};

describe('the studio\'s languages in Monaco', () => {
    const languageService = new LanguageService();

    before(() => {
        // What Theia 1.74 registers before the studio does (see language-definitions.ts): jsonc for
        // workspace files (@theia/monaco) and settings.json (@theia/preferences), and a private chat
        // language for the bare ending `json` (@theia/ai-chat-ui).
        ModesRegistry.registerLanguage({ id: 'jsonc', aliases: ['JSON with Comments'], extensions: ['.theia-workspace', '.code-workspace'] });
        ModesRegistry.registerLanguage({ id: 'jsonc', aliases: ['JSON with Comments'], filenames: ['settings.json'] });
        ModesRegistry.registerLanguage({ id: 'theia-ai-chat-settings-language', extensions: ['json'], filenames: ['editor'] });
        for (const language of StudioLanguages) {
            ModesRegistry.registerLanguage(languageRegistration(language, ModesRegistry.getLanguages()));
        }
    });

    it('has every language the issue asks for, each id once', () => {
        const ids = StudioLanguages.map(l => l.id);
        assert.equal(new Set(ids).size, ids.length, ids.join(', '));
        for (const id of required) {
            assert.ok(ids.includes(id), `${id} is missing`);
        }
    });

    it('no two studio languages claim the same file ending or name, and endings have their dot', () => {
        const claims = new Map<string, string>();
        for (const language of StudioLanguages) {
            for (const claim of [...language.extensions ?? [], ...language.filenames ?? []].map(c => c.toLowerCase())) {
                assert.equal(claims.get(claim), undefined, `${claim} is claimed by ${claims.get(claim)} and ${language.id}`);
                claims.set(claim, language.id);
            }
            for (const extension of language.extensions ?? []) {
                assert.ok(extension.startsWith('.'), `${language.id}: ${extension}`);
            }
        }
    });

    for (const [file, expected] of Object.entries(files)) {
        const [name, firstLine] = file.split('|');
        it(`${name}${firstLine ? ` starting ${firstLine}` : ''} opens as ${expected}`, () => {
            assert.equal(languageService.guessLanguageIdByFilepathOrFirstLine(URI.file(`/workspace/${name}`), firstLine), expected);
        });
    }

    it('is named as the status bar shows it; jsonc keeps the name Theia gave it and gains the studio\'s file names', () => {
        assert.equal(languageService.getLanguageName('typescript'), 'TypeScript');
        assert.equal(languageService.getLanguageName('shellscript'), 'Shell Script');
        assert.equal(languageService.getLanguageName('dockerfile'), 'Dockerfile');
        assert.equal(languageService.getLanguageName('jsonc'), 'JSON with Comments');
        const jsonc = ModesRegistry.getLanguages().filter(l => l.id === 'jsonc');
        assert.equal(jsonc.filter(l => l.aliases).length, 2, 'the studio adds no second set of aliases to jsonc');
        assert.equal(jsonc.flatMap(l => l.extensions ?? []).filter(e => e === '.code-workspace').length, 1, 'nor an ending Theia already registered');
    });
});

describe('the studio\'s language configurations', () => {
    const configurationOf = (id: string) => {
        const language = StudioLanguages.find(l => l.id === id)!;
        // Monaco's own resolution of a configuration (what the editor's commands read); its internal type differs from the API's only in the enum's declaration.
        return new ResolvedLanguageConfiguration(id, toMonacoLanguageConfiguration(language.configuration) as unknown as ConstructorParameters<typeof ResolvedLanguageConfiguration>[1]);
    };
    const fullAutoIndent = 4;

    it('each converts and resolves in Monaco: brackets, auto-closing and surrounding pairs, comments where the language has them', () => {
        const comments: Record<string, [line: string | undefined, blockStart: string | undefined]> = {
            typescript: ['//', '/*'], typescriptreact: ['//', '/*'], javascript: ['//', '/*'], javascriptreact: ['//', '/*'],
            json: [undefined, undefined], jsonc: ['//', '/*'], markdown: [undefined, '<!--'], python: ['#', '"""'], shellscript: ['#', undefined],
            yaml: ['#', undefined], sql: ['--', '/*'], html: [undefined, '<!--'], css: [undefined, '/*'], dockerfile: ['#', undefined], go: ['//', '/*'], rust: ['//', '/*'],
        };
        assert.deepEqual(Object.keys(comments).sort(), StudioLanguages.map(l => l.id).sort());
        for (const [id, [line, blockStart]] of Object.entries(comments)) {
            const configuration = configurationOf(id);
            assert.equal(configuration.comments?.lineCommentToken, line, `${id}: line comment`);
            assert.equal(configuration.comments?.blockCommentStartToken, blockStart, `${id}: block comment`);
            assert.ok(configuration.brackets && configuration.brackets.brackets.length > 0, `${id}: brackets`);
            const closing = configuration.getAutoClosingPairs();
            assert.ok(closing.autoClosingPairsOpenByStart.get('"') ?? closing.autoClosingPairsOpenByStart.get('('), `${id}: auto-closing pairs`);
            assert.ok(configuration.getSurroundingPairs().length > 0, `${id}: surrounding pairs`);
        }
    });

    it('Enter indents inside braces, after a Python block opener and a YAML key, and continues a doc comment', () => {
        const indent = 1, indentOutdent = 2;
        assert.equal(configurationOf('typescript').onEnter(fullAutoIndent, '', 'function f() {', '}')?.indentAction, indentOutdent);
        assert.equal(configurationOf('go').onEnter(fullAutoIndent, '', 'func main() {', '}')?.indentAction, indentOutdent);
        assert.deepEqual(configurationOf('typescript').onEnter(fullAutoIndent, '', '/**', ' */'), { indentAction: indentOutdent, appendText: ' * ', removeText: undefined });
        assert.equal(configurationOf('python').onEnter(fullAutoIndent, '', 'def greet(name):', '')?.indentAction, indent);
        assert.ok(configurationOf('python').indentRulesSupport?.shouldIncrease('    for item in items:  # each'));
        assert.ok(configurationOf('python').indentRulesSupport?.shouldDecrease('else:'));
        assert.ok(configurationOf('yaml').indentRulesSupport?.shouldIncrease('jobs:'));
        assert.ok(configurationOf('html').indentRulesSupport?.shouldIncrease('<div class="a">'));
        assert.equal(configurationOf('html').indentRulesSupport?.shouldIncrease('<br>'), false, 'a void element does not indent');
        assert.equal(configurationOf('html').indentRulesSupport?.shouldIncrease('<p>text</p>'), false, 'an element closed on its line does not indent');
        assert.ok(configurationOf('shellscript').indentRulesSupport?.shouldIncrease('if [ -f x ]; then'));
        assert.ok(configurationOf('shellscript').indentRulesSupport?.shouldDecrease('fi'));
    });

    it('folding follows indentation in Python and YAML and #region markers elsewhere', () => {
        assert.equal(configurationOf('python').foldingRules.offSide, true);
        assert.equal(configurationOf('yaml').foldingRules.offSide, true);
        assert.ok(configurationOf('typescript').foldingRules.markers?.start.test('// #region helpers'));
        assert.ok(configurationOf('typescript').foldingRules.markers?.end.test('  // #endregion'));
        assert.ok(configurationOf('css').foldingRules.markers?.start.test('/* #region colours */'));
    });

    it('a pattern that does not compile is refused, naming where it sits', () => {
        assert.throws(() => toMonacoLanguageConfiguration({ indentationRules: { increaseIndentPattern: '(', decreaseIndentPattern: 'x' } }),
            /indentationRules\.increaseIndentPattern is not a valid regular expression/);
    });
});
