import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from '@coditect/workspace-backend';
import { scriptedProviderFactory } from '@coditect/workspace-backend/test-support';
import { WorkspaceCoreHost } from '@coditect/studio-platform/node';
import { StudioUserProvider } from '@coditect/studio-platform/node';
import { resolveAuthConfig } from '@coditect/studio-platform/node';
import { AuthConfigValue } from '@coditect/studio-platform/node';
import { TaskSubmissionLimiter } from '@coditect/studio-platform/node';
import { Container } from '@theia/core/shared/inversify';
import { OrchestratorEvent, OrchestratorService } from '../common/orchestrator-protocol';
import { OrchestratorServiceImpl } from './orchestrator-service-impl';

describe('OrchestratorServiceImpl', function (): void {
    this.timeout(30_000);
    let root: string;
    let core: WorkspaceCore;
    let service: OrchestratorService;
    let currentUser: { id: string; displayName: string; role: 'developer' | 'admin' };

    beforeEach(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrator-service-'));
        currentUser = { id: 'user:ada', displayName: 'Ada', role: 'admin' };
        process.env.STUDIO_REPLICA_URL = 'off';
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') }, {
            orchestrator: { providerFactory: scriptedProviderFactory(() => [{ toolCalls: [{ name: 'finish', arguments: { summary: 'all done' } }] }]) },
        });
        await core.start();
        const container = new Container();
        container.bind(WorkspaceCoreHost).toConstantValue({ ready: Promise.resolve(core) });
        container.bind(StudioUserProvider).toConstantValue({ currentUser: () => currentUser });
        container.bind(AuthConfigValue).toConstantValue(resolveAuthConfig({}));
        container.bind(TaskSubmissionLimiter).toSelf().inSingletonScope();
        container.bind(OrchestratorService).to(OrchestratorServiceImpl);
        service = container.get(OrchestratorService);
    });
    afterEach(async () => {
        service.dispose();
        await core.stop();
        delete process.env.STUDIO_REPLICA_URL;
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('lists the default agents (the vendor and role agents), runs a submitted task, and pushes its events to the client', async () => {
        const events: OrchestratorEvent[] = [];
        service.setClient({ onOrchestratorEvent: e => events.push(e) });
        const agents = await service.agents();
        assert.deepEqual(agents.filter(a => a.process === 'always').map(a => a.id).sort(), ['claude', 'codex', 'gemini', 'kimi']);
        assert.deepEqual(agents.filter(a => a.process === 'on-demand').map(a => a.id).sort(), ['code-reviewer', 'doc-generator', 'file-organizer', 'prior-session-agent', 'test-writer']);

        const task = await service.submitTask('gemini', { prompt: 'do it' });
        const deadline = Date.now() + 20_000;
        while (!events.some(e => e.type === 'task' && e.change === 'done' && e.task.id === task.id) && Date.now() < deadline) {
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        const done = (await service.tasks()).find(t => t.id === task.id);
        assert.equal(done?.status, 'done');
        assert.equal(done?.result?.summary, 'all done');
        assert.ok(events.some(e => e.type === 'agent-state' && e.agentId === 'gemini' && e.to === 'executing'));
    });

    it('lets a developer cancel or reorder only the tasks they gave, an admin any, and records who gave each', async () => {
        // Paused, so the tasks stay queued.
        core.orchestrator.pauseAgent('claude');
        currentUser = { id: 'user:dev', displayName: 'Dev', role: 'developer' };
        const mine = await service.submitTask('claude', { prompt: 'mine' });
        currentUser = { id: 'user:other', displayName: 'Other', role: 'developer' };
        const theirs = await service.submitTask('claude', { prompt: 'theirs' });
        assert.deepEqual([mine.submittedBy, theirs.submittedBy], ['user:dev', 'user:other']);

        currentUser = { id: 'user:dev', displayName: 'Dev', role: 'developer' };
        await assert.rejects(service.cancelTask(theirs.id), /Dev \(developer\) may not cancel a task \(task #\d+ \(claude\)\): it belongs to user:other; only its owner or an admin may/);
        await assert.rejects(service.reprioritise(theirs.id, 5), /may not change a task's priority/);
        await service.reprioritise(mine.id, 5);
        await service.cancelTask(mine.id);
        assert.equal(core.orchestrator.getTask(mine.id)?.status, 'cancelled');
        assert.equal(core.orchestrator.getTask(theirs.id)?.status, 'queued');

        currentUser = { id: 'user:ada', displayName: 'Ada', role: 'admin' };
        await service.cancelTask(theirs.id);
        assert.equal(core.orchestrator.getTask(theirs.id)?.status, 'cancelled');
    });

    it('refuses a task for an unknown agent with a clear error, and stops pushing once disposed', async () => {
        await assert.rejects(service.submitTask('nobody', { prompt: 'x' }), /nobody/);
        const events: OrchestratorEvent[] = [];
        service.setClient({ onOrchestratorEvent: e => events.push(e) });
        service.dispose();
        core.orchestrator.submitTask('claude', { prompt: 'after dispose' });
        await new Promise(resolve => setTimeout(resolve, 200));
        assert.equal(events.length, 0);
    });
});
