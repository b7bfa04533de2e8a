import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DemoTasksMarker } from './demo-mode';
import { DemoVendors, startDemoVendors } from './demo-vendors';
import { WorkspaceCore } from './workspace-core';
import { realProviderFactory } from '../orchestrator/provider-factory';
import type { Vendor } from '../providers/model-provider';
import { DemoEdits, editedContent } from '../providers/testing/fixtures/demo-edits';

const demoProject = path.resolve(__dirname, '../../../test/fixtures/demo-workspace');

/** [input excl. cache, cache read, cache write, output incl. reasoning, reasoning] per model turn, worked out by hand from each fixture's raw usage. */
const expectedUsage: Record<Vendor, number[][]> = {
    anthropic: [[20, 0, 2100, 40, 0], [180, 2100, 0, 95, 0], [150, 2100, 240, 30, 0]],
    openai: [[480, 0, 1920, 60, 32], [346, 2304, 0, 140, 64], [160, 2560, 0, 25, 0]],
    google: [[1052, 2048, 0, 70, 50], [328, 3072, 0, 230, 80], [528, 3072, 0, 15, 0]],
    moonshot: [[232, 768, 0, 35, 0], [276, 1024, 0, 120, 0], [170, 1280, 0, 18, 0]],
};

/** The demo project copied to a temp workspace, four fixture servers, and the agents pointed at them. */
class FourVendors {
    readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'four-vendors-'));
    readonly ws = path.join(this.root, 'ws');
    readonly dataDir = path.join(this.root, 'data');
    vendors!: DemoVendors;
    core: WorkspaceCore | undefined;
    protected readonly savedEnv = { ...process.env };

    async setUp(extraEnv: Record<string, string> = {}): Promise<void> {
        fs.cpSync(demoProject, this.ws, { recursive: true });
        this.vendors = await startDemoVendors(this.ws);
        // The agent processes inherit the backend's environment: that is where their keys come from.
        Object.assign(process.env, this.vendors.env, extraEnv);
    }

    async startCore(): Promise<WorkspaceCore> {
        this.core = new WorkspaceCore({ workspaceDir: this.ws, dataDir: this.dataDir }, { orchestrator: { providerFactory: realProviderFactory(process.env) } });
        await this.core.start();
        return this.core;
    }

    async tearDown(): Promise<void> {
        await this.core?.stop();
        await this.vendors?.stop();
        for (const key of Object.keys(process.env)) {
            if (!(key in this.savedEnv)) {
                delete process.env[key];
            }
        }
        Object.assign(process.env, this.savedEnv);
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

describe('four agents on their vendors\' wire protocols (real providers, fixture servers)', function () {
    this.timeout(30_000);
    let h: FourVendors;
    beforeEach(() => {
        h = new FourVendors();
    });
    afterEach(async () => {
        await h.tearDown();
    });

    it('runs one task per agent: each reads, edits with edit_file and finishes; token_usage equals the fixtures\' usage normalised', async () => {
        await h.setUp();
        const core = await h.startCore();
        const vendors = Object.keys(DemoEdits) as Vendor[];
        const tasks = vendors.map(vendor => core.orchestrator.submitTask(DemoEdits[vendor].agentId, { prompt: DemoEdits[vendor].prompt }));
        const ended = await Promise.all(tasks.map(t => core.orchestrator.waitForTask(t.id)));
        assert.deepEqual(h.vendors.failures(), []);
        const metrics = core.databases.get('metrics');
        vendors.forEach((vendor, i) => {
            const edit = DemoEdits[vendor];
            assert.equal(ended[i].status, 'done', `${edit.agentId}: ${ended[i].lastError}`);
            assert.equal(ended[i].result?.summary, edit.summary);
            assert.equal(fs.readFileSync(path.join(h.ws, edit.path), 'utf8'), editedContent(edit));
            assert.equal(h.vendors.servers[vendor].requests.length, 3);
            const rows = metrics.all<{ agent_id: string; provider: string; i: number; r: number; w: number; o: number; reasoning: number }>(
                `SELECT agent_id, provider, input_tokens AS i, cache_read_tokens AS r, cache_write_tokens AS w, output_tokens AS o, reasoning_tokens AS reasoning
                   FROM token_usage WHERE task_id = ? ORDER BY id`, ended[i].id);
            assert.deepEqual(rows.map(r => [r.i, r.r, r.w, r.o, r.reasoning]), expectedUsage[vendor], `${vendor} usage`);
            assert.ok(rows.every(r => r.agent_id === edit.agentId && r.provider === vendor));
        });
        // The untouched file is untouched: each agent edited only what its recording says.
        assert.equal(fs.readFileSync(path.join(h.ws, 'src/index.ts'), 'utf8'), fs.readFileSync(path.join(demoProject, 'src/index.ts'), 'utf8'));
        // The dummy keys went to the servers (each SDK's own auth header), the real variables were never needed.
        assert.equal(h.vendors.servers.anthropic.requests[0].headers['x-api-key'] ?? h.vendors.servers.anthropic.requests[0].headers.authorization?.replace('Bearer ', ''), 'demo-key-anthropic');
    });

    it('demo mode: STUDIO_DEMO shows in health, STUDIO_DEMO_TASKS become four chat conversations answered from the recordings, once', async () => {
        const tasksFile = path.join(h.root, 'demo-tasks.json');
        await h.setUp({ STUDIO_DEMO: '1', STUDIO_DEMO_TASKS: tasksFile });
        fs.writeFileSync(tasksFile, JSON.stringify(h.vendors.tasks));
        let core = await h.startCore();
        const demo = (await core.health()).components.find(c => c.id === 'demo');
        assert.deepEqual(demo && [demo.status, demo.detail], ['ok', 'Demo mode: agents replay recorded conversations; no vendor is called']);
        for (const edit of Object.values(DemoEdits)) {
            const [conversation] = core.chat.conversations(edit.agentId);
            assert.ok(conversation, `no demo conversation for ${edit.agentId}`);
            const taskId = core.chat.conversation(conversation.conversationId)[0].taskId!;
            assert.equal((await core.orchestrator.waitForTask(taskId)).status, 'done');
            const messages = core.chat.conversation(conversation.conversationId);
            assert.deepEqual(messages.map(m => m.role), ['user', 'agent']);
            assert.equal(messages[0].text, edit.prompt);
            assert.equal(messages[1].text, [edit.readNote, edit.editNote, 'Done.', edit.summary].join('\n\n'));
            assert.equal(fs.readFileSync(path.join(h.ws, edit.path), 'utf8'), editedContent(edit));
        }
        assert.deepEqual(h.vendors.failures(), []);
        assert.ok(fs.existsSync(path.join(h.dataDir, DemoTasksMarker)));
        // A restart on the same data does not submit the demo again.
        await core.stop();
        core = await h.startCore();
        assert.equal(core.chat.conversations('claude').length, 1);
        assert.equal(core.orchestrator.listTasks('claude').length, 1);
    });
});
