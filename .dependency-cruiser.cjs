// The import rules of the whole repository, checked by dependency-cruiser (`npm run lint:deps`, and the
// lint step of `scripts/studio.sh test`). This file is the source of truth for the layers that
// docs/ARCHITECTURE.md ("The parts") describes; ESLint checks the code, this checks who imports whom.
// Every rule is an error: no exceptions are listed, so a new upward import or cycle fails the tests.
const fs = require('node:fs');
const path = require('node:path');

/**
 * The workspace core's layers (workspace-backend/src), bottom first. A folder imports only folders of
 * the layers below its own, never a sibling of its own layer, and nothing imports upward.
 */
const coreLayers = [
    // Imported by everything, importing nothing of the core: the policy (who may do what, the secret
    // rule, path confinement), the typed Emitter, where things live, the health model and probes.
    { name: 'utilities', folders: ['common', 'config', 'health', 'policy'] },
    // Observability: the metrics catalogue (prom-client instruments; what feeds them lives in the
    // composition root), the trace spans (OpenTelemetry's API) and the structured logger, which masks
    // secrets with the policy's masker. Every part below the composition root may trace and log.
    { name: 'observability', folders: ['telemetry'] },
    // The SQLite cluster (every part's schema, the query workers), the object stores, the vendors' models.
    { name: 'storage', folders: ['database', 'object-store', 'providers'] },
    // Records other parts build on: the append-only audit log, locks, the file sync (its manifest and
    // ignore rules), the browser sessions.
    { name: 'records', folders: ['audit', 'file-sync', 'locks', 'web-sessions'] },
    // The parts over them: the tasks' change sets and their review (changes), costs, the watcher of the
    // workspace (file-changes), replication, the SQL console, the session timeline, agent tokens.
    { name: 'parts', folders: ['changes', 'costs', 'file-changes', 'replication', 'sql-console', 'timeline', 'tokens'] },
    // Agents, task queues, the message bus; it writes files under locks and reports to the watcher.
    { name: 'orchestrator', folders: ['orchestrator'] },
    // Conversations with the agents, kept as tasks of the orchestrator.
    { name: 'chat', folders: ['chat'] },
    // The composition root: wires the parts, owns start-up, shutdown and health.
    { name: 'composition root', folders: ['core'] },
    // Moving v1 users in: reads the v1 store (S3, R2) and writes a v2 workspace through the parts' own code.
    { name: 'migration', folders: ['migration'] },
    // What runs the core or exposes it: the operator CLI, the package's entry (what extensions import).
    // types.ts is the browser-safe entry, test-support/ the entry of the test helpers other packages use.
    { name: 'entry points', folders: ['cli', 'index.ts', 'types.ts', 'test-support'] },
    // `coditect`, the terminals' client of the running studio's HTTP APIs: the operator CLI's command
    // shape and the core's types, never the core itself (it must not open the databases).
    { name: 'studio clients', folders: ['coordination-cli'] },
    // The fleet service: many workspaces on Kubernetes, its own entry point (coditect-fleet). It runs
    // beside the workspaces, never in one: it uses the utilities and the object stores only (rule below).
    { name: 'fleet', folders: ['fleet'] },
];

const coreRoot = path.join(__dirname, 'workspace-backend', 'src');
const unplaced = fs.readdirSync(coreRoot).filter(entry => !coreLayers.some(layer => layer.folders.includes(entry)));
if (unplaced.length > 0) {
    // A new folder has no place until it is given one, here and in docs/ARCHITECTURE.md.
    throw new Error(`.dependency-cruiser.cjs: workspace-backend/src/${unplaced.join(', ')} belongs to no layer of coreLayers; add it to one.`);
}

const folderPattern = folders => `^workspace-backend/src/(${folders.map(f => f.endsWith('.ts') ? `${f.replace('.', '\\.')}$` : `${f}/`).join('|')})`;

const layerRules = coreLayers.map((layer, index) => {
    const sameOrAbove = coreLayers.slice(index).flatMap(l => l.folders);
    const above = coreLayers.slice(index + 1).map(l => l.name);
    return {
        name: `core-layer-${layer.name.replace(/ /g, '-')}`,
        severity: 'error',
        comment: `${layer.folders.join(', ')} (${layer.name}) import only the layers below: not each other`
            + (above.length > 0 ? `, nor ${above.join(', ')}` : '') + '.',
        from: { path: folderPattern(layer.folders) },
        to: { path: folderPattern(sameOrAbove), pathNot: '^workspace-backend/src/$1' },
    };
});

// The modules of the core's browser-safe entry (workspace-backend/src/types.ts), which load nothing.
const typesEntryModules = fs.readFileSync(path.join(coreRoot, 'types.ts'), 'utf8')
    .split('\n').flatMap(line => /^export \* from '\.\/(.+)';$/.exec(line)?.slice(1) ?? []);

// The files a package's `exports` point at (lib/x.js compiled from src/x.ts): the only ones another package may import.
const exportedEntries = '^(workspace-backend/src/(index|types|test-support/index|fleet/index)|extensions/[^/]+/src/(common|browser|node|node/test-support)/index|test/(gcs|k8s)-test-server/src/index)\\.ts$';

// Specs and test helpers: loaded by tests only, never by a production start.
const testCode = '(\\.spec\\.tsx?|\\.slow-spec\\.tsx?|-test-support\\.tsx?)$|/test-support/';

module.exports = {
    forbidden: [
        {
            name: 'no-circular',
            severity: 'error',
            comment: 'No module reaches itself through its imports (type-only imports included): layers are a partial order.',
            from: {},
            to: { circular: true },
        },
        ...layerRules,
        {
            name: 'core-is-framework-free',
            severity: 'error',
            comment: 'The workspace core sits below every extension and runs headless: it imports nothing of Theia, of our extensions or of the app.',
            from: { path: '^workspace-backend/' },
            to: { path: '^(extensions|browser-app)/|(^|/)node_modules/(@theia|@coditect)/' },
        },
        {
            name: 'core-imports-test-packages-from-test-code-only',
            severity: 'error',
            comment: 'Of the test packages, the core\'s test code may use the GCS and Kubernetes test servers (devDependencies); production code none.',
            from: { path: '^workspace-backend/', pathNot: testCode },
            to: { path: '^test/' },
        },
        {
            name: 'core-test-code-uses-only-the-test-servers',
            severity: 'error',
            comment: 'The core\'s test code may use the GCS and Kubernetes test servers, not the studio\'s own test package.',
            from: { path: '^workspace-backend/' },
            to: { path: '^test/(?!(gcs|k8s)-test-server/)' },
        },
        {
            name: 'fleet-uses-no-workspace-part',
            severity: 'error',
            comment: 'The fleet manages workspaces from outside them: of the core it uses the utilities and the object stores, nothing that runs a workspace.',
            from: { path: '^workspace-backend/src/fleet/' },
            to: { path: '^workspace-backend/src/', pathNot: ['^workspace-backend/src/(fleet|common|config|policy|telemetry|object-store)/'] },
        },
        {
            name: 'production-code-loads-no-test-code',
            severity: 'error',
            comment: 'Test code (specs, test-support folders, *-test-support files) never loads in a production start.',
            from: { path: '^(workspace-backend|extensions/[^/]+)/src/', pathNot: testCode },
            to: { path: testCode },
        },
        {
            name: 'browser-imports-no-node-code',
            severity: 'error',
            comment: 'Browser code runs in the browser: no node/ code of any package, no workspace core except its browser-safe entry (types.ts: plain types and pure modules, the policy\'s grant evaluation among them: the browser offers only what the policy would allow).',
            from: { path: '^extensions/[^/]+/src/browser/', pathNot: testCode },
            to: { path: '/node/|^workspace-backend/src/(?!types\\.ts$)' },
        },
        {
            name: 'browser-imports-no-node-builtin',
            severity: 'error',
            comment: 'Browser code imports no Node built-in module.',
            from: { path: '^extensions/[^/]+/src/browser/', pathNot: testCode },
            to: { dependencyTypes: ['core'] },
        },
        {
            name: 'node-imports-no-browser-code',
            severity: 'error',
            comment: 'Backend code never loads frontend code.',
            from: { path: '^extensions/[^/]+/src/node/' },
            to: { path: '/browser/' },
        },
        {
            name: 'common-imports-no-node-or-browser-code',
            severity: 'error',
            comment: 'common/ runs on both sides: it imports no node/ or browser/ code of any package.',
            from: { path: '^extensions/[^/]+/src/common/' },
            to: { path: '/(node|browser)/' },
        },
        {
            name: 'common-names-only-core-types',
            severity: 'error',
            comment: 'common/ runs in the browser too: it may name the core\'s plain data types (import type) and load only its browser-safe entry (types.ts).',
            from: { path: '^extensions/[^/]+/src/common/' },
            to: { path: '^workspace-backend/(?!src/types\\.ts$)', dependencyTypesNot: ['type-only'] },
        },
        {
            name: 'extensions-keep-their-internals',
            severity: 'error',
            comment: 'An extension uses another only through its common/ protocol; node/ and browser/ code is its own, except the platform package studio-platform\'s.',
            from: { path: '^extensions/([^/]+)/src/' },
            to: { path: '^extensions/[^/]+/src/(node|browser)/', pathNot: '^extensions/($1|studio-platform)/' },
        },
        {
            name: 'types-entry-is-pure',
            comment: 'The core\'s browser-safe entry (workspace-backend/src/types.ts) loads only modules that themselves load nothing (import type only): no Node built-in, no part of the core reaches the browser through it.',
            severity: 'error',
            from: { path: '^workspace-backend/src/types\\.ts$' },
            to: { dependencyTypesNot: ['type-only'], pathNot: `^workspace-backend/src/(${typesEntryModules.join('|')})\\.ts$` },
        },
        {
            name: 'types-entry-modules-load-nothing',
            comment: 'A module of the core\'s browser-safe entry loads nothing at runtime (import type only).',
            severity: 'error',
            from: { path: `^workspace-backend/src/(${typesEntryModules.join('|')})\\.ts$` },
            to: { dependencyTypesNot: ['type-only'] },
        },
        {
            name: 'packages-import-each-other-by-their-exports',
            comment: 'A package imports another only through an entry point its package.json exports (`@coditect/x/common|browser|node`, the platform\'s `/test-support`, the core\'s `.`, `/types` and `/test-support`), never a module deep inside it (`@coditect/x/lib/...`): node and esbuild refuse what `exports` does not list.',
            severity: 'error',
            from: { path: '^(workspace-backend|extensions/[^/]+|test|test/[^/]+)/src/' },
            to: { path: '^(workspace-backend|extensions/[^/]+|test/(gcs|k8s)-test-server)/src/', pathNot: ['^$1/', exportedEntries] },
        },
        {
            name: 'not-to-unresolvable',
            severity: 'error',
            comment: 'Every import resolves (a package missing from package.json, or a typo).',
            from: {},
            to: { couldNotResolve: true },
        },
    ],
    options: {
        // Our sources only: the compiled lib/ of every package is reached through the aliases instead.
        exclude: { path: '^(workspace-backend|extensions/[^/]+|browser-app|test|test/[^/]+)/(lib|src-gen)/' },
        doNotFollow: { path: 'node_modules' },
        tsPreCompilationDeps: true,
        webpackConfig: { fileName: 'scripts/dependency-cruiser-resolve.cjs' },
        enhancedResolveOptions: {
            extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
            mainFields: ['main', 'types', 'typings'],
            exportsFields: ['exports'],
            conditionNames: ['require', 'node', 'default', 'types'],
        },
        cache: false,
    },
};

// For scripts/architecture-graphs.js, which draws the layers; not enumerable, so not part of the
// configuration dependency-cruiser validates.
Object.defineProperty(module.exports, 'coreLayers', { value: coreLayers, enumerable: false });
