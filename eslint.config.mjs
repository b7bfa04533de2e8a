// Lint for every package: typescript-eslint's recommended rules plus the ones that keep
// tests honest (no focused or skipped tests) and layers clean (no browser <-> node imports).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    {
        ignores: ['**/node_modules/**', 'workspace-backend/lib/**', 'extensions/*/lib/**', 'browser-app/lib/**', 'test/lib/**', 'test/gcs-test-server/lib/**', 'test/plain-theia-app/lib/**', '**/src-gen/**', '**/gen-webpack*.js', '**/gen-esbuild.*.mjs', 'test/plain-theia-app/esbuild.mjs', '.tools/**', '.studio/**', 'test-results/**'],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ['**/*.ts', '**/*.tsx'],
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            '@typescript-eslint/no-namespace': 'off',
            '@typescript-eslint/no-explicit-any': 'error',
            'eqeqeq': ['error', 'always', { null: 'ignore' }],
            'no-restricted-properties': ['error',
                { object: 'it', property: 'only', message: 'A focused test hides the others.' },
                { object: 'describe', property: 'only', message: 'A focused suite hides the others.' },
                { object: 'test', property: 'only', message: 'A focused test hides the others.' },
                { object: 'it', property: 'skip', message: 'A skipped test hides a result.' },
                { object: 'describe', property: 'skip', message: 'A skipped suite hides results.' },
                { object: 'test', property: 'skip', message: 'A skipped test hides a result.' },
            ],
        },
    },
    {
        files: ['extensions/*/src/browser/**/*.ts', 'extensions/*/src/browser/**/*.tsx'],
        ignores: ['**/*.spec.ts'],
        // Except the policy's grant evaluation, a pure module without imports: the browser offers only what the policy would allow, by the same rule.
        rules: {
            'no-restricted-imports': ['error', {
                patterns: [
                    { group: ['**/node/**', 'node:*'], message: 'Browser code must not import node code.' },
                    { regex: '^@coditect/workspace-backend(?!/lib/policy/grant$)', message: 'Browser code must not import node code (the workspace core).' },
                ],
            }],
        },
    },
    {
        // Test code (test-support/ folders, *-test-support files) never loads in a production start: only specs and other test code import it.
        // (Before the common/ block, which sets the same rule for its files: common/ may not load the core at all.)
        files: ['workspace-backend/src/**/*.ts', 'extensions/*/src/**/*.ts', 'extensions/*/src/**/*.tsx'],
        ignores: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.slow-spec.ts', '**/test-support/**', '**/*-test-support.ts'],
        rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/test-support', '**/test-support/**', '**/*-test-support'], message: 'Production code must not load test code (test-support).' }] }] },
    },
    {
        // common/ runs in the browser too: it may name the core's plain data types, but never load the core.
        files: ['extensions/*/src/common/**/*.ts'],
        rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['@coditect/workspace-backend', '@coditect/workspace-backend/**'], allowTypeImports: true, message: 'common/ may only import types from the workspace core.' }] }] },
    },
    {
        files: ['extensions/*/src/node/**/*.ts'],
        rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/browser/**'], message: 'Node code must not import browser code.' }] }] },
    },
    {
        files: ['workspace-backend/src/**/*.ts'],
        rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@theia/*', '@coditect/*'], message: 'The workspace core is framework-free and sits below every extension.' }] }] },
    },
    {
        files: ['**/*.js', '**/*.mjs'],
        languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', globalThis: 'readonly', setTimeout: 'readonly' } },
        rules: { '@typescript-eslint/no-require-imports': 'off' },
    },
);
