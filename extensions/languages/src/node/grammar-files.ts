/* eslint-disable @typescript-eslint/no-require-imports */
import type { StudioGrammarName } from '../common/language-definitions';

/**
 * Each grammar the studio serves, read from the `tm-grammars` package. Written out one by one, not
 * built from a name: the backend is bundled (esbuild inlines what a literal `require` names, and the
 * image keeps no `node_modules` of the extensions), and each file is parsed only when first asked
 * for. The type makes this table name exactly the grammars of `StudioGrammars`, no more, no fewer.
 */
const grammarFiles: Record<StudioGrammarName, () => object> = {
    'css': () => require('tm-grammars/grammars/css.json'),
    'docker': () => require('tm-grammars/grammars/docker.json'),
    'go': () => require('tm-grammars/grammars/go.json'),
    'html': () => require('tm-grammars/grammars/html.json'),
    'html-derivative': () => require('tm-grammars/grammars/html-derivative.json'),
    'javascript': () => require('tm-grammars/grammars/javascript.json'),
    'json': () => require('tm-grammars/grammars/json.json'),
    'jsonc': () => require('tm-grammars/grammars/jsonc.json'),
    'jsx': () => require('tm-grammars/grammars/jsx.json'),
    'markdown': () => require('tm-grammars/grammars/markdown.json'),
    'python': () => require('tm-grammars/grammars/python.json'),
    'rust': () => require('tm-grammars/grammars/rust.json'),
    'shellscript': () => require('tm-grammars/grammars/shellscript.json'),
    'sql': () => require('tm-grammars/grammars/sql.json'),
    'tsx': () => require('tm-grammars/grammars/tsx.json'),
    'typescript': () => require('tm-grammars/grammars/typescript.json'),
    'yaml': () => require('tm-grammars/grammars/yaml.json'),
};

export function isStudioGrammarName(name: string): name is StudioGrammarName {
    return Object.prototype.hasOwnProperty.call(grammarFiles, name);
}

/** The grammar's JSON, as the package ships it. */
export function readGrammar(name: StudioGrammarName): object {
    return grammarFiles[name]();
}
