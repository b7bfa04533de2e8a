// Every command id (`coditect.…`: commands, and the preference keys beside them) and every RPC path
// (`/services/…`) is written once, as a constant, and imported wherever else it is needed: a copy
// would compile and still break when the original is renamed (a command that silently no longer
// runs, a proxy to a path nothing serves). Run by `npm run lint:ids` (the lint step of
// `scripts/studio.sh test`); it reads the string literals of the sources (src/ of every package,
// test/src), not comments, and fails naming every literal written in more than one place.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
/** The literals that must be constants: a command or preference id, an RPC path. */
const watched = /^(coditect(\.[A-Za-z][A-Za-z0-9]*)+|\/services\/[A-Za-z0-9_./-]+)$/;

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
            if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && watched.test(node.text)) {
                const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
                places.set(node.text, [...(places.get(node.text) ?? []), `${path.relative(root, file)}:${line}`]);
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
        + ' (shared commands: studio-platform/src/common/shared-commands.ts; RPC paths: the protocol in its package\'s common/):');
    for (const [literal, where] of repeated) {
        console.error(`  '${literal}':\n${where.map(w => `    ${w}`).join('\n')}`);
    }
    process.exit(1);
}
