// Every command id (`coditect.…`: commands, and the preference keys beside them), every RPC path
// (`/services/…`) and every view id (`StudioViews`, also in a `#…` selector) is written once, as a constant, and imported wherever else it is needed: a copy
// would compile and still break when the original is renamed (a command that silently no longer
// runs, a proxy to a path nothing serves). Run by `npm run lint:ids` (the lint step of
// `scripts/studio.sh test`); it reads the string literals of the sources (src/ of every package,
// test/src), not comments, and fails naming every literal written in more than one place.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
/** The literals that must be constants: a command or preference id, an RPC path. */
const idOrPath = /^(coditect(\.[A-Za-z][A-Za-z0-9]*)+|\/services\/[A-Za-z0-9_./-]+)$/;
/** The views' ids and the sign-in page's, as the platform declares them (studio-views.ts). */
const viewIds = new Set(fs.readFileSync(path.join(root, 'extensions/studio-platform/src/common/studio-views.ts'), 'utf8')
    .match(/'coditect-[a-z-]+'/g).map(quoted => quoted.slice(1, -1)));
const watched = { test: text => idOrPath.test(text) || viewIds.has(text) };
/** A selector that names a view by a copy of its id (`#coditect-…`) rather than through StudioViews. */
const copiedViewSelector = /#coditect-[a-z-]+/;

function sourceFolders() {
    const workspaces = require(path.join(root, 'package.json')).workspaces
        .flatMap(pattern => pattern.endsWith('/*')
            ? fs.readdirSync(path.join(root, pattern.slice(0, -2))).map(name => `${pattern.slice(0, -2)}/${name}`)
            : [pattern]);
    return workspaces.map(dir => path.join(root, dir, 'src')).filter(dir => fs.existsSync(dir));
}

function sourceFiles(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
        const file = path.join(dir, entry.name);
        return entry.isDirectory() ? sourceFiles(file) : /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
    });
}

/** Where each watched literal is written: literal text -> `file:line` list. */
function watchedLiterals(files) {
    const places = new Map();
    for (const file of files) {
        const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true,
            file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
        const visit = node => {
            const where = () => `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
            if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && watched.test(node.text)) {
                places.set(node.text, [...(places.get(node.text) ?? []), where()]);
            }
            const templateText = ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node) ? node.text : undefined;
            const text = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : templateText;
            const selector = text === undefined ? undefined : copiedViewSelector.exec(text)?.[0];
            if (selector && viewIds.has(selector.slice(1))) {
                // Counted twice on purpose: a copied selector is always one place too many.
                places.set(selector, [...(places.get(selector) ?? []), where(), 'extensions/studio-platform/src/common/studio-views.ts']);
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    return places;
}

const repeated = [...watchedLiterals(sourceFolders().flatMap(sourceFiles))].filter(([, where]) => where.length > 1);
if (repeated.length > 0) {
    console.error('Written in more than one place; declare each once as a constant and import it'
        + ' (shared commands: studio-platform/src/common/shared-commands.ts; views: studio-platform/src/common/studio-views.ts; RPC paths: the protocol in its package\'s common/):');
    for (const [literal, where] of repeated) {
        console.error(`  '${literal}':\n${where.map(w => `    ${w}`).join('\n')}`);
    }
    process.exit(1);
}
