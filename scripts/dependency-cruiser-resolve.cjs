// Module resolution for dependency-cruiser (.dependency-cruiser.cjs), in webpack's `resolve` shape,
// which is how dependency-cruiser takes aliases. Our packages import each other through the entry
// points their package.json `exports` (`@coditect/studio-platform/node` -> lib/node/index.js); these
// aliases point every such import, and any deep `@coditect/x/lib/...` one (which the rule
// packages-import-each-other-by-their-exports then refuses), at the TypeScript source it is compiled
// from, so the checker sees one graph of sources (a cycle through two packages is a cycle) and
// needs no build. Derived from the workspaces in package.json, so a
// new extension is covered without an edit here.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const workspaces = require(path.join(root, 'package.json')).workspaces
    .flatMap(pattern => pattern.endsWith('/*')
        ? fs.readdirSync(path.join(root, pattern.slice(0, -2))).map(name => `${pattern.slice(0, -2)}/${name}`)
        : [pattern])
    .filter(dir => fs.existsSync(path.join(root, dir, 'package.json')) && fs.existsSync(path.join(root, dir, 'src')));

const alias = {};
for (const dir of workspaces) {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
    alias[`${pkg.name}/lib`] = path.join(root, dir, 'src');
    // The entry points a package exports (`@coditect/x/common` -> lib/common/index.js -> src/common/index).
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
        const file = typeof target === 'string' ? target : target.default;
        if (subpath !== '.' && file.startsWith('./lib/') && file.endsWith('.js')) {
            alias[`${pkg.name}${subpath.slice(1)}$`] = path.join(root, dir, file.replace(/^\.\/lib\//, 'src/').replace(/\.js$/, ''));
        }
    }
    if (pkg.main && pkg.main.startsWith('lib/')) {
        alias[`${pkg.name}$`] = path.join(root, dir, pkg.main.replace(/^lib\//, 'src/').replace(/\.js$/, ''));
    }
}

module.exports = { resolve: { alias } };
