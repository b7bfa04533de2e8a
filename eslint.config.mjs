// Lint for every package: typescript-eslint's recommended rules plus the ones that keep
// tests honest (no focused or skipped tests). Who may import whom (layers, browser <-> node, the
// framework-free core, test code) is dependency-cruiser's: .dependency-cruiser.cjs, `npm run lint:deps`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    {
        ignores: ['**/node_modules/**', 'workspace-backend/lib/**', 'extensions/*/lib/**', 'browser-app/lib/**', 'test/lib/**', 'test/gcs-test-server/lib/**', 'test/k8s-test-server/lib/**', 'test/plain-theia-app/lib/**', '**/src-gen/**', '**/gen-webpack*.js', '**/gen-esbuild.*.mjs', 'test/plain-theia-app/esbuild.mjs', '.tools/**', '.studio/**', 'test-results/**'],
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
        files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
        languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', globalThis: 'readonly', setTimeout: 'readonly' } },
        rules: { '@typescript-eslint/no-require-imports': 'off' },
    },
);
