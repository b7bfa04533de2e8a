import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const cli = path.join(__dirname, 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('coditect-workspace CLI', () => {
    let root: string;
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')));
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('prints help with --help and exits 0', () => {
        const result = run('--help');
        assert.equal(result.status, 0);
        assert.match(result.stdout, /Usage:\n {2}coditect-workspace <command>/);
    });

    it('refuses an unknown command with the usage and exit code 2', () => {
        const result = run('frobnicate');
        assert.equal(result.status, 2);
        assert.match(result.stderr, /Unknown command "frobnicate"/);
    });

    it('reports a healthy workspace as JSON with exit 0', () => {
        const result = run('status', '--json', '--workspace', root, '--data-dir', path.join(root, '.data'));
        assert.equal(result.status, 0, result.stderr);
        const health = JSON.parse(result.stdout);
        assert.equal(health.status, 'ok');
        assert.equal(health.workspaceDir, root);
    });

    it('refuses status without a workspace rather than starting a core on the current folder', () => {
        const { STUDIO_WORKSPACE: _inherited, ...env } = process.env;
        const result = spawnSync(process.execPath, [cli, 'status', '--data-dir', path.join(root, '.data')], { encoding: 'utf8', cwd: root, env });
        assert.equal(result.status, 2);
        assert.match(result.stderr, /No workspace folder is given: pass it as --workspace <dir> or set STUDIO_WORKSPACE/);
        assert.equal(fs.existsSync(path.join(root, '.data')), false, 'no core was started');
    });

    it('reports an unusable workspace as text with exit 1', () => {
        fs.writeFileSync(path.join(root, 'file'), '');
        const result = run('status', '--workspace', path.join(root, 'file'), '--data-dir', path.join(root, '.data'));
        assert.equal(result.status, 1);
        assert.match(result.stdout, /down +Workspace folder +.*is not a directory/);
    });

    it('runs quick_check on every database with --quick-check', () => {
        const result = run('status', '--json', '--quick-check', '--workspace', root, '--data-dir', path.join(root, '.data'));
        assert.equal(result.status, 0, result.stderr);
        const health = JSON.parse(result.stdout);
        const databases = health.components.filter((c: { id: string }) => c.id.startsWith('db:'));
        assert.equal(databases.length, 6);
        assert.deepEqual(databases.map((c: { metrics: { quickCheck: string } }) => c.metrics.quickCheck), Array(6).fill('ok'));
    });
});
