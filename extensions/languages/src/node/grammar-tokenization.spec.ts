import * as assert from 'node:assert/strict';
import type { IGrammar, Registry } from 'vscode-textmate';
import { embeddedLanguagesOf, StudioGrammars, StudioLanguages } from '../common/language-definitions';
import { isStudioGrammarName, readGrammar } from './grammar-files';
import { lineColours, studioGrammarRegistry, TheiaEditorThemes, theiaEditorTheme, tokenAt, tokenize } from './textmate-test-support';

/**
 * A sample of each language and what its grammar must make of it: the token at the first
 * occurrence of each text carries a scope that starts with the given one.
 */
const samples: Record<string, { source: string; expect: [text: string, scope: string][] }> = {
    typescript: {
        source: 'export function greet(name: string): string {\n    return `Hello, ${name}!`; // say it\n}',
        expect: [['function', 'storage.type.function'], ['string', 'support.type.primitive'], ['return', 'keyword.control'], ['Hello, ', 'string.template'], ['// say it', 'comment.line']],
    },
    typescriptreact: {
        source: 'const App = () => <div className="app">{title}</div>;',
        expect: [['const', 'storage.type'], ['div', 'entity.name.tag'], ['"app"', 'string.quoted.double']],
    },
    javascript: {
        source: 'import fs from \'node:fs\';\nif (x) { throw new Error("no"); }',
        expect: [['import', 'keyword.control.import'], ['\'node:fs\'', 'string.quoted.single'], ['throw', 'keyword.control'], ['"no"', 'string.quoted.double']],
    },
    javascriptreact: {
        source: 'export default function App() { return <main id="m">hi</main>; }',
        expect: [['function', 'storage.type.function'], ['main', 'entity.name.tag'], ['"m"', 'string.quoted.double']],
    },
    json: {
        source: '{ "name": "studio", "private": true, "n": 1 }',
        expect: [['name', 'support.type.property-name'], ['studio', 'string.quoted.double'], ['true', 'constant.language'], ['1', 'constant.numeric']],
    },
    jsonc: {
        source: '{\n  // the compiler\'s options\n  "strict": true\n}',
        expect: [['// the compiler\'s options', 'comment.line'], ['strict', 'support.type.property-name'], ['true', 'constant.language']],
    },
    markdown: {
        source: '# Notes\n\nSome *text*.\n\n```ts\nconst answer: number = 42;\n```\n\n```python\ndef f(): pass\n```',
        expect: [['Notes', 'entity.name.section'], ['text', 'markup.italic'], ['const', 'storage.type.ts'], ['number', 'support.type.primitive.ts'], ['def', 'storage.type.function.python']],
    },
    python: {
        source: 'class Greeter:\n    def greet(self, name):\n        return f"Hello, {name}"  # say it',
        expect: [['class', 'storage.type.class'], ['def', 'storage.type.function'], ['return', 'keyword.control.flow'], ['Hello, ', 'string.interpolated'], ['# say it', 'comment.line']],
    },
    shellscript: {
        source: '#!/usr/bin/env bash\nfor f in *.ts; do echo "file: $f"; done # each',
        expect: [['for', 'keyword.control'], ['file: ', 'string.quoted.double'], ['$f', 'punctuation.definition.variable'], ['done', 'keyword.control'], ['# each', 'comment.line']],
    },
    yaml: {
        source: 'name: ci\non:\n  push:\n    branches: ["main"] # only main',
        expect: [['name', 'entity.name.tag'], ['main', 'string.quoted.double'], ['# only main', 'comment.line']],
    },
    sql: {
        source: 'SELECT id, name FROM agents WHERE state = \'idle\'; -- the idle ones',
        expect: [['SELECT', 'keyword.other.DML'], ['FROM', 'keyword.other.DML'], ['idle', 'string.quoted.single'], ['-- the idle ones', 'comment.line']],
    },
    html: {
        source: '<!DOCTYPE html>\n<style>body { color: red; }</style>\n<script>const a = \'x\';</script>\n<p class="note">hi</p>',
        expect: [['p', 'entity.name.tag'], ['"note"', 'string.quoted.double'], ['color', 'support.type.property-name.css'], ['const', 'storage.type.js']],
    },
    css: {
        source: '.note > a:hover { color: #fff; margin: 0 auto; } /* links */',
        expect: [['note', 'entity.other.attribute-name.class'], ['color', 'support.type.property-name'], ['auto', 'support.constant.property-value'], [' links ', 'comment.block']],
    },
    dockerfile: {
        source: 'FROM node:22 AS build\n# install\nRUN npm ci\nENV MODE="production"',
        expect: [['FROM', 'keyword.other.special-method'], ['RUN', 'keyword.other.special-method'], ['production', 'string.quoted.double'], ['# install', 'comment.line']],
    },
    go: {
        source: 'package main\n\nfunc main() {\n\tfmt.Println("hi") // greet\n}',
        expect: [['package', 'keyword.package'], ['func', 'keyword.function'], ['hi', 'string.quoted.double'], ['// greet', 'comment.line']],
    },
    rust: {
        source: 'pub fn main() {\n    let s: &str = "hi"; // greet\n}',
        expect: [['fn', 'keyword.other.fn'], ['let', 'keyword.other'], ['hi', 'string.quoted.double'], ['// greet', 'comment.line']],
    },
};

describe('the studio\'s grammars', function () {
    this.timeout(60_000);

    let registry: Registry;
    before(async () => {
        registry = await studioGrammarRegistry();
    });

    it('the backend has a file for each grammar, and it is the scope the studio maps it to', () => {
        for (const { name, scopeName } of StudioGrammars) {
            assert.ok(isStudioGrammarName(name), `the backend's table has no ${name}`);
            assert.equal((readGrammar(name) as { scopeName?: string }).scopeName, scopeName, `grammars/${name}.json`);
        }
        assert.equal(isStudioGrammarName('constructor'), false, 'only own names of the table');
    });

    it('every studio language has a sample here', () => {
        assert.deepEqual(Object.keys(samples).sort(), StudioLanguages.map(l => l.id).sort());
    });

    for (const language of StudioLanguages) {
        it(`${language.id}: its grammar loads and colours a sample's keywords, strings and comments`, async () => {
            const sample = samples[language.id];
            const grammar = await registry.loadGrammar(language.grammar.scopeName);
            assert.ok(grammar, `${language.grammar.scopeName} did not load`);
            const tokens = tokenize(grammar, sample.source);
            for (const [text, scope] of sample.expect) {
                const token = tokenAt(tokens, sample.source, text);
                assert.ok(token, `${language.id}: "${text}" is not in the sample`);
                assert.ok(token.scopes.some(s => s.startsWith(scope)), `${language.id}: "${text}" has ${token.scopes.join(' ')}, not ${scope}…`);
            }
        });
    }

    it('the languages a grammar embeds are studio languages, and their scopes are ones the grammar uses', async () => {
        for (const language of StudioLanguages) {
            const embedded = embeddedLanguagesOf(language);
            for (const id of Object.values(embedded)) {
                assert.ok(StudioLanguages.some(l => l.id === id), `${language.id} embeds ${id}, which the studio does not have`);
            }
        }
        // Markdown's code blocks: the block of a studio language carries that language's scope name.
        const markdown = await registry.loadGrammar('text.html.markdown') as IGrammar;
        const source = '```ts\nlet a = 1;\n```\n```sh\necho hi\n```';
        const tokens = tokenize(markdown, source);
        assert.ok(tokenAt(tokens, source, 'let')?.scopes.includes('meta.embedded.block.typescript'));
        assert.ok(tokenAt(tokens, source, 'echo')?.scopes.includes('meta.embedded.block.shellscript'));
        assert.ok(embeddedLanguagesOf(StudioLanguages.find(l => l.id === 'markdown')!)['meta.embedded.block.typescript'] === 'typescript');
    });

    describe('coloured by each of Theia\'s editor themes', () => {
        for (const [themeName, file] of Object.entries(TheiaEditorThemes)) {
            it(`${themeName}: a TypeScript line's keyword and string stand out from its identifiers, in at least three colours`, async () => {
                const themed = await studioGrammarRegistry(theiaEditorTheme(file));
                const grammar = await themed.loadGrammar('source.ts') as IGrammar;
                const colours = lineColours(themed, grammar, 'const greeting = "hello"; // hi');
                const colourOf = (text: string) => colours.find(c => c.text.trim() === text)?.colour;
                const [keyword, identifier, string, comment] = [colourOf('const'), colourOf('greeting'), colourOf('"hello"') ?? colourOf('hello'), colourOf('hi') ?? colourOf('// hi')];
                assert.ok(keyword && identifier && string && comment, `${themeName}: ${JSON.stringify(colours)}`);
                assert.notEqual(keyword, identifier, `${themeName}: ${JSON.stringify(colours)}`);
                assert.notEqual(string, identifier, `${themeName}: ${JSON.stringify(colours)}`);
                assert.ok(new Set([keyword, identifier, string, comment]).size >= 3, `${themeName}: ${JSON.stringify(colours)}`);
            });
        }
    });
});
