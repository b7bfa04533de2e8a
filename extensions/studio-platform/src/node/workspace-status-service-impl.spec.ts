import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Container } from '@theia/core/shared/inversify';
import { WorkspaceCore } from '@coditect/workspace-backend';
import { WorkspaceHealth, WorkspaceStatusService } from '../common/workspace-status-protocol';
import { WorkspaceCoreHost } from './workspace-core-host';
import { WorkspaceStatusServiceImpl } from './workspace-status-service-impl';

describe('WorkspaceStatusServiceImpl', () => {
    let root: string;
    let core: WorkspaceCore;
    let container: Container;

    beforeEach(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'status-service-'));
        fs.mkdirSync(path.join(root, 'ws'));
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });
        await core.start();
        container = new Container();
        container.bind(WorkspaceCoreHost).toConstantValue({ ready: Promise.resolve(core) });
        container.bind(WorkspaceStatusService).to(WorkspaceStatusServiceImpl);
    });
    afterEach(async () => {
        await core.stop();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('answers with the core\'s health', async () => {
        const service = container.get<WorkspaceStatusService>(WorkspaceStatusService);
        const health = await service.getHealth();
        assert.equal(health.status, 'ok');
        assert.equal(health.workspaceDir, path.join(root, 'ws'));
    });

    it('pushes changes to its client until disposed', async () => {
        const service = container.get<WorkspaceStatusService>(WorkspaceStatusService);
        const pushed: WorkspaceHealth[] = [];
        service.setClient({ onDidChangeHealth: h => pushed.push(h), onFileConflict: () => undefined });
        await service.getHealth(); // lets the subscription settle

        fs.rmSync(path.join(root, 'ws'), { recursive: true });
        await service.refreshHealth();
        // The core may push more than once on a loaded machine (another part's health moved too); the last one says it.
        assert.ok(pushed.length >= 1, 'the change was pushed');
        assert.equal(pushed[pushed.length - 1].status, 'degraded');

        const before = pushed.length;
        service.dispose();
        fs.mkdirSync(path.join(root, 'ws'));
        await core.refreshHealth();
        assert.equal(pushed.length, before, 'a disposed service forwards nothing');
    });

    it('syncs the workspace files on request and reports what is not yet in the store', async () => {
        const service = container.get<WorkspaceStatusService>(WorkspaceStatusService);
        fs.writeFileSync(path.join(root, 'ws', 'hello.txt'), 'hello');
        const status = await service.syncFilesNow();
        assert.ok(status && status.uploaded > 0, 'sync ran');
        // Watcher events for files created at start (the agent definitions) may still be settling.
        const deadline = Date.now() + 5000;
        while ((await service.unsyncedFiles()).length > 0 && Date.now() < deadline) {
            await new Promise(resolve => setTimeout(resolve, 100));
        }
        assert.deepEqual(await service.unsyncedFiles(), []);
        const index = fs.readdirSync(path.join(root, 'replica', 'files', 'index'));
        assert.ok(index.some(name => name.startsWith('hello.txt')), `hello.txt is in the store's index (${index.join(', ')})`);
    });
});
