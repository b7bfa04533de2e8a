import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, isInside, resolveWorkspaceConfig } from './workspace-config';

describe('resolveWorkspaceConfig', () => {
    it('prefers explicit values over the environment, and the environment over defaults', () => {
        const env = { STUDIO_WORKSPACE: '/env/ws', STUDIO_DATA_DIR: '/env/data' };
        assert.deepEqual(resolveWorkspaceConfig({ workspaceDir: '/x/ws' }, env, '/cwd'), { workspaceDir: '/x/ws', dataDir: '/env/data' });
        assert.deepEqual(resolveWorkspaceConfig({}, {}, '/cwd'), {
            workspaceDir: '/cwd', dataDir: path.join(os.homedir(), '.coditect-studio', 'data'),
        });
    });

    it('resolves relative paths from the current directory', () => {
        assert.equal(resolveWorkspaceConfig({}, { STUDIO_WORKSPACE: 'ws', STUDIO_DATA_DIR: 'd' }, '/base').workspaceDir, '/base/ws');
    });

    it('rejects an empty variable with a message naming it', () => {
        assert.throws(() => resolveWorkspaceConfig({}, { STUDIO_DATA_DIR: ' ' }, '/cwd'), (error: Error) =>
            error instanceof ConfigError && /STUDIO_DATA_DIR is set but empty/.test(error.message));
    });

    it('rejects a workspace inside the data directory', () => {
        assert.throws(() => resolveWorkspaceConfig({ workspaceDir: '/d/ws', dataDir: '/d' }, {}, '/'), /lies inside the data directory/);
    });

    it('allows the data directory inside the workspace', () => {
        assert.equal(resolveWorkspaceConfig({ workspaceDir: '/ws', dataDir: '/ws/.data' }, {}, '/').dataDir, '/ws/.data');
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
