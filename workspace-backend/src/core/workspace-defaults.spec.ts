import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seedWorkspaceDefaults } from './workspace-defaults';

describe('seedWorkspaceDefaults', () => {
    let root: string;
    let defaults: string;
    let workspace: string;

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'workspace-defaults-'));
        defaults = path.join(root, 'defaults');
        workspace = path.join(root, 'workspace');
        fs.mkdirSync(path.join(defaults, '.coditect', 'agents'), { recursive: true });
        fs.writeFileSync(path.join(defaults, '.coditect', 'agents', 'claude.json'), '{"name":"Claude"}');
        fs.writeFileSync(path.join(defaults, 'README.md'), 'welcome');
        fs.mkdirSync(workspace);
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('copies the defaults into an empty workspace and lists what it wrote', async () => {
        assert.deepEqual(await seedWorkspaceDefaults(workspace, defaults), ['.coditect/agents/claude.json', 'README.md']);
        assert.equal(fs.readFileSync(path.join(workspace, '.coditect', 'agents', 'claude.json'), 'utf8'), '{"name":"Claude"}');
    });

    it('leaves a workspace with anything in it alone (restored, or used before)', async () => {
        fs.writeFileSync(path.join(workspace, 'notes.txt'), 'mine');
        assert.deepEqual(await seedWorkspaceDefaults(workspace, defaults), []);
        assert.deepEqual(fs.readdirSync(workspace), ['notes.txt']);
    });

    it('does nothing without a defaults folder setting', async () => {
        assert.deepEqual(await seedWorkspaceDefaults(workspace, undefined), []);
        assert.deepEqual(fs.readdirSync(workspace), []);
    });

    it('names a defaults folder that cannot be read', async () => {
        await assert.rejects(seedWorkspaceDefaults(workspace, path.join(root, 'missing')),
            /STUDIO_WORKSPACE_DEFAULTS=.*missing cannot be read \(ENOENT\); point it at the folder/);
    });
});
