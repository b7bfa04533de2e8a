import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from '@coditect/workspace-backend';
import { scriptedProviderFactory } from '@coditect/workspace-backend/test-support';
import { WorkspaceCoreHost } from '@coditect/studio-platform/node';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { Container } from '@theia/core/shared/inversify';
import { ImportProgress, SessionTimelineService, TimelineGrowth } from '../common/session-timeline-protocol';
import { SessionTimelineServiceImpl } from './session-timeline-service-impl';

const transcript = path.resolve(__dirname, '../../../../test/fixtures/transcripts/claude-code-session.jsonl');

describe('SessionTimelineServiceImpl', function (): void {
    this.timeout(30_000);
    let root: string;
    let core: WorkspaceCore;
    let service: SessionTimelineService;
    const growth: TimelineGrowth[] = [];
    const progress: { importId: string; progress: ImportProgress }[] = [];
    let sessionsChanged = 0;

    beforeEach(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'timeline-service-'));
        process.env.STUDIO_REPLICA_URL = 'off';
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') }, {
            orchestrator: { providerFactory: scriptedProviderFactory(() => [{ toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'one\n' } }] }, { toolCalls: [{ name: 'finish', arguments: { summary: 'wrote a.txt' } }] }]) },
        });
        await core.start();
        const container = new Container();
        container.bind(WorkspaceCoreHost).toConstantValue({ ready: Promise.resolve(core) });
        container.bind(SessionTimelineService).to(SessionTimelineServiceImpl);
        service = container.get(SessionTimelineService);
        growth.length = 0;
        progress.length = 0;
        sessionsChanged = 0;
        service.setClient({
            onTimelineGrew: g => growth.push(g), onSessionsChanged: () => sessionsChanged++, onImportProgress: (importId, p) => progress.push({ importId, progress: p }),
        });
        await new Promise(resolve => setImmediate(resolve));
    });
    afterEach(async () => {
        service.dispose();
        await core.stop();
        delete process.env.STUDIO_REPLICA_URL;
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('serves the live run: its growth pushed in coalesced beats, its events, an edit and the file as it was', async () => {
        const live = await service.currentSessionId();
        assert.ok(live);
        const task = core.orchestrator.submitTask('claude', { prompt: 'write a' });
        const done = await core.orchestrator.waitForTask(task.id);
        assert.equal(done.status, 'done');
        // Growth is pushed in beats: wait (on a loaded machine, a while) for one that counts the task's events.
        const deadline = Date.now() + 20_000;
        while ((growth.filter(g => g.sessionId === live).pop()?.eventCount ?? 0) <= 10 && Date.now() < deadline) {
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        const last = growth.filter(g => g.sessionId === live).pop();
        assert.ok(last && last.eventCount > 10, `growth pushed: ${JSON.stringify(growth.map(g => g.eventCount))}`);
        assert.ok(growth.length < last.eventCount, 'coalesced, not one push per event');
        assert.ok(last.lanes.some(l => l.id === 'claude' && l.name === 'Claude'));

        const located = await service.taskLocation(task.id);
        assert.equal(located?.sessionId, live);
        const edits = await service.page(live!, { kinds: ['file-edit'] }, 0, 10);
        assert.equal(edits.total, 1);
        const state = await service.fileAt(live!, 'a.txt', edits.events[0].seq);
        assert.equal(state.status === 'exists' && state.content, 'one\n');
        assert.equal((await service.fileAt(live!, 'a.txt', edits.events[0].seq - 1)).status, 'absent');
        await assert.rejects(service.taskLocation('7' as unknown as number), /A task number is needed/);
    });

    it('imports a transcript by file URI with progress, and says which URIs it cannot read', async () => {
        const report = await service.importTranscript(FileUri.create(transcript).toString(), 'import-1');
        assert.equal(report.events, 22);
        assert.deepEqual(report.skipped.map(s => s.line), [11, 14, 17, 21]);
        assert.ok(progress.some(p => p.importId === 'import-1'));
        assert.equal(sessionsChanged, 1);
        assert.ok((await service.sessions()).some(s => s.id === report.sessions[0].id && s.kind === 'import'));
        await assert.rejects(service.importTranscript('https://example.com/t.jsonl', 'x'), /Choose a transcript file of the studio's file system/);
    });
});
