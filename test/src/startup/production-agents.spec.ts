import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ORCHESTRATOR_PATH, OrchestratorService, TaskInfo } from '@coditect/agent-activity/common';
import type { AgentScriptFile } from '@coditect/workspace-backend/test-support';
import { waitForValue } from '@coditect/workspace-backend/test-support';
import { studioAppDir } from '../lib/repo-paths';
import { launchStudio, StudioProcess } from '../lib/studio-process';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { waitForCore } from '../security/security-fixture';

/** Claude writes scripted.txt and finishes. */
const SCRIPT: AgentScriptFile = {
    agents: {
        claude: [
            { toolCalls: [{ name: 'write_file', arguments: { path: 'scripted.txt', content: 'replayed from the script\n' } }] },
            { toolCalls: [{ name: 'finish', arguments: { summary: 'replayed the script' } }] },
        ],
    },
};

type Orchestrator = Pick<OrchestratorService, 'agents' | 'tasks' | 'submitTask'>;

/**
 * The built backend, started as `npm start` and the image start it, runs the vendors' real models
 * whatever its environment names; scripted agents come only from test code preloaded into it
 * (launchStudio's `agentScript`).
 */
describe('the agents of a studio backend', function () {
    this.timeout(180_000);
    let root: string;
    let scriptFile: string;
    let studio: StudioProcess | undefined;
    let client: StudioRpcClient | undefined;

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'production-agents-'));
        scriptFile = path.join(root, 'agents.json');
        fs.writeFileSync(scriptFile, JSON.stringify(SCRIPT));
        fs.mkdirSync(path.join(root, 'ws'));
    });
    afterEach(async () => {
        client?.close();
        client = undefined;
        await studio?.stop();
        studio = undefined;
        fs.rmSync(root, { recursive: true, force: true });
    });

    async function start(options: { env?: Record<string, string>; agentScript?: AgentScriptFile }): Promise<Orchestrator> {
        studio = await launchStudio({
            appDir: studioAppDir, workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data'), logName: 'production-agents',
            // No key reaches the agents, from the test's environment or a secrets file.
            env: { ANTHROPIC_API_KEY: '', STUDIO_SECRETS_FILE: '', STUDIO_REPLICA_URL: 'off', ...options.env },
            agentScript: options.agentScript,
        });
        await waitForCore(studio, studio.authHeaders);
        client = await StudioRpcClient.connect(studio.url, { headers: studio.authHeaders });
        return client.service<Orchestrator>(ORCHESTRATOR_PATH);
    }

    /** The task, once it is listed and `done` says so. */
    function until(what: string, orchestrator: Orchestrator, taskId: number, done: (task: TaskInfo) => boolean): Promise<TaskInfo> {
        return waitForValue(what, async () => {
            const task = (await orchestrator.tasks()).find(t => t.id === taskId);
            return task && done(task) && task;
        }, 30_000, 200);
    }

    it('are the vendors\' real models with STUDIO_AGENT_SCRIPT naming a valid script: without a key Claude asks for one and its task waits', async () => {
        const orchestrator = await start({ env: { STUDIO_AGENT_SCRIPT: scriptFile, STUDIO_TEST_AGENT_SCRIPT: scriptFile } });
        const claude = (await orchestrator.agents()).find(a => a.id === 'claude')!;
        assert.equal(claude.state, 'needs-key');
        assert.match(claude.lastError ?? '', /sets ANTHROPIC_API_KEY/);
        const task = await orchestrator.submitTask('claude', { prompt: 'replay' });
        // The scripted run of the next test ends within a second or two; give this one five.
        await new Promise(resolve => setTimeout(resolve, 5000));
        assert.equal((await until('the task to be listed', orchestrator, task.id, () => true)).status, 'queued');
        assert.equal(fs.existsSync(path.join(root, 'ws', 'scripted.txt')), false, 'the script was replayed');
        assert.doesNotMatch(fs.readFileSync(studio!.logFile, 'utf8'), /provider factory installed by/);
    });

    it('replay the same script only when test code is preloaded (launchStudio\'s agentScript), and the log says so', async () => {
        const orchestrator = await start({ agentScript: SCRIPT });
        const task = await orchestrator.submitTask('claude', { prompt: 'replay' });
        const ended = await until('the scripted task to end', orchestrator, task.id, t => t.status !== 'queued' && t.status !== 'running');
        assert.equal(ended.status, 'done', JSON.stringify(ended));
        assert.equal(fs.readFileSync(path.join(root, 'ws', 'scripted.txt'), 'utf8'), 'replayed from the script\n');
        assert.match(fs.readFileSync(studio!.logFile, 'utf8'), /the agents use a provider factory installed by the tests' scripted-agents preload/);
    });
});
