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
/** `#coditect-…` inside a literal: a selector that writes a view's id again. */
const viewSelectors = /#(coditect-[a-z-]+)/g;

/** The watched strings a literal writes: itself, when it is one, and each view id in a selector it holds. */
function watchedIn(text) {
    const whole = idOrPath.test(text) || viewIds.has(text) ? [text] : [];
    const inSelectors = [...text.matchAll(viewSelectors)].map(match => match[1]).filter(id => viewIds.has(id));
    return [...whole, ...inSelectors];
}

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
            // A template's parts count too (`#${...} .row`), so a selector built around a copy is seen.
            const isLiteral = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
                || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node);
            for (const text of isLiteral ? watchedIn(node.text) : []) {
                const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
                places.set(text, [...(places.get(text) ?? []), `${path.relative(root, file)}:${line}`]);
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
