#!/usr/bin/env node
// Rewrites the root package.json of a source tree inside the image build so npm only sees the
// workspaces the image needs:
//   select-workspaces.js <root> --drop <ws>...   drops these workspaces (the test app, Playwright)
//   select-workspaces.js <root> --keep <ws>...   keeps only these, and drops the root's devDependencies
// Never run it on a working copy: it edits package.json in place.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [root, mode, ...names] = process.argv.slice(2);
if (!root || !['--drop', '--keep'].includes(mode) || names.length === 0) {
    process.stderr.write('usage: select-workspaces.js <root> --drop|--keep <workspace>...\n');
    process.exit(2);
}
const file = path.join(root, 'package.json');
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
const unknown = names.filter(n => !pkg.workspaces.includes(n));
if (unknown.length) {
    process.stderr.write(`select-workspaces.js: ${unknown.join(', ')} not among the workspaces (${pkg.workspaces.join(', ')})\n`);
    process.exit(1);
}
pkg.workspaces = mode === '--drop' ? pkg.workspaces.filter(w => !names.includes(w)) : names;
if (mode === '--keep') {
    delete pkg.devDependencies;
}
fs.writeFileSync(file, JSON.stringify(pkg, undefined, 2) + '\n');
