import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, isInside, resolveDataDir, resolveWorkspaceConfig } from './workspace-config';

describe('resolveWorkspaceConfig', () => {
    const configError = (pattern: RegExp) => (error: Error) => error instanceof ConfigError && pattern.test(error.message);

    it('takes the workspace given directly, else STUDIO_WORKSPACE; the data directory given, else STUDIO_DATA_DIR, else the default', () => {
        assert.deepEqual(resolveWorkspaceConfig({ workspaceDir: '/x/ws' }, { STUDIO_DATA_DIR: '/env/data' }, '/cwd'), { workspaceDir: '/x/ws', dataDir: '/env/data' });
        assert.deepEqual(resolveWorkspaceConfig({}, { STUDIO_WORKSPACE: '/env/ws' }, '/cwd'), {
            workspaceDir: '/env/ws', dataDir: path.join(os.homedir(), '.coditect-studio', 'data'),
        });
        assert.equal(resolveWorkspaceConfig({ workspaceDir: '/ws', dataDir: '/x/data' }, { STUDIO_DATA_DIR: '/env/data' }, '/cwd').dataDir, '/x/data');
    });

    it('accepts the workspace given both ways when both name the same folder', () => {
        assert.equal(resolveWorkspaceConfig({ workspaceDir: 'ws/' }, { STUDIO_WORKSPACE: '/base/ws' }, '/base').workspaceDir, '/base/ws');
    });

    it('refuses a workspace given directly and a different STUDIO_WORKSPACE, naming both and what to set', () => {
        assert.throws(() => resolveWorkspaceConfig({ workspaceDir: '/seen', workspaceOption: '--workspace <dir>' }, { STUDIO_WORKSPACE: '/other' }, '/cwd'),
            configError(/given twice.*--workspace <dir> says \/seen, STUDIO_WORKSPACE says \/other\. Give it once: pass the folder as --workspace <dir> and unset STUDIO_WORKSPACE/));
    });

    it('never falls back to the current folder: no workspace given is an error that says how to give one', () => {
        assert.throws(() => resolveWorkspaceConfig({}, {}, '/somewhere/tmp'),
            configError(/No workspace folder is given: pass it as the workspace folder argument or set STUDIO_WORKSPACE.*current folder \(\/somewhere\/tmp\)/));
        assert.throws(() => resolveWorkspaceConfig({ dataDir: '/d' }, { STUDIO_DATA_DIR: '/d' }, '/cwd'), configError(/No workspace folder is given/));
    });

    it('resolves relative paths from the current directory', () => {
        assert.equal(resolveWorkspaceConfig({}, { STUDIO_WORKSPACE: 'ws', STUDIO_DATA_DIR: 'd' }, '/base').workspaceDir, '/base/ws');
        assert.equal(resolveWorkspaceConfig({ workspaceDir: 'ws' }, {}, '/base').workspaceDir, '/base/ws');
    });

    it('rejects an empty value with a message naming it', () => {
        assert.throws(() => resolveWorkspaceConfig({ workspaceDir: '/ws' }, { STUDIO_DATA_DIR: ' ' }, '/cwd'), configError(/STUDIO_DATA_DIR is set but empty/));
        assert.throws(() => resolveWorkspaceConfig({}, { STUDIO_WORKSPACE: '' }, '/cwd'), configError(/STUDIO_WORKSPACE is set but empty/));
        assert.throws(() => resolveWorkspaceConfig({ workspaceDir: ' ', workspaceOption: '--workspace <dir>' }, {}, '/cwd'),
            configError(/given as --workspace <dir> is empty/));
    });

    it('rejects a workspace inside the data directory', () => {
        assert.throws(() => resolveWorkspaceConfig({ workspaceDir: '/d/ws', dataDir: '/d' }, {}, '/'), /lies inside the data directory/);
    });

    it('allows the data directory inside the workspace', () => {
        assert.equal(resolveWorkspaceConfig({ workspaceDir: '/ws', dataDir: '/ws/.data' }, {}, '/').dataDir, '/ws/.data');
    });
});

describe('resolveDataDir', () => {
    it('needs no workspace: the directory given, else STUDIO_DATA_DIR, else the default', () => {
        assert.equal(resolveDataDir('d', { STUDIO_DATA_DIR: '/env/data' }, '/base'), '/base/d');
        assert.equal(resolveDataDir(undefined, { STUDIO_DATA_DIR: '/env/data' }, '/base'), '/env/data');
        assert.equal(resolveDataDir(undefined, {}, '/base'), path.join(os.homedir(), '.coditect-studio', 'data'));
    });
});

describe('isInside', () => {
    it('knows a folder, its subtree, and its neighbours apart', () => {
        assert.equal(isInside('/a', '/a'), true);
        assert.equal(isInside('/a/b/c', '/a'), true);
        assert.equal(isInside('/ab', '/a'), false);
        assert.equal(isInside('/a/../b', '/a'), false);
    });
});
