import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AgentScriptFile, scriptedProviderFactoryFromFile } from '../orchestrator/test-support/agent-script-file';
import { WorkspaceCore } from './workspace-core';

/** A valid script: Claude writes scripted.txt and finishes. */
const SCRIPT: AgentScriptFile = {
    agents: {
        claude: [
            { toolCalls: [{ name: 'write_file', arguments: { path: 'scripted.txt', content: 'replayed from the script\n' } }] },
            { toolCalls: [{ name: 'finish', arguments: { summary: 'replayed the script' } }] },
        ],
    },
};

/** What could once turn a studio's agents into scripted ones, or could supply a key for the real ones. */
const VARIABLES = ['STUDIO_AGENT_SCRIPT', 'STUDIO_TEST_AGENT_SCRIPT', 'ANTHROPIC_API_KEY', 'STUDIO_SECRETS_FILE'] as const;

/**
 * A production-shaped start (the core built as the studio's host and the CLI build it: no provider
 * factory given) runs the vendors' real models, whatever the environment names: test hooks such as
 * STUDIO_AGENT_SCRIPT are gone from production code.
 */
describe('a production-shaped start: the agents are the vendors\' real models', function () {
    this.timeout(60_000);
    let root: string;
    let scriptFile: string;
    let core: WorkspaceCore | undefined;
    const saved = new Map<string, string | undefined>();

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'production-agents-'));
        scriptFile = path.join(root, 'agents.json');
        fs.writeFileSync(scriptFile, JSON.stringify(SCRIPT));
        fs.mkdirSync(path.join(root, 'ws'));
        for (const name of VARIABLES) {
            saved.set(name, process.env[name]);
            delete process.env[name];
        }
    });
    afterEach(async () => {
        await core?.stop();
        core = undefined;
        for (const [name, value] of saved) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
        fs.rmSync(root, { recursive: true, force: true });
    });

    const config = () => ({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });

    it('the script file is valid: test code that hands it to the core gets it replayed', async () => {
        core = new WorkspaceCore(config(), { orchestrator: { providerFactory: scriptedProviderFactoryFromFile(scriptFile), prefork: false } });
        await core.start();
        const task = core.orchestrator.submitTask('claude', { prompt: 'replay' });
        const ended = await core.orchestrator.waitForTask(task.id);
        assert.equal(ended.status, 'done', JSON.stringify(ended));
        assert.equal(fs.readFileSync(path.join(root, 'ws', 'scripted.txt'), 'utf8'), 'replayed from the script\n');
    });

    it('ignores STUDIO_AGENT_SCRIPT (and STUDIO_TEST_AGENT_SCRIPT) naming that file: without a key the agent asks for one and its task waits', async () => {
        process.env.STUDIO_AGENT_SCRIPT = scriptFile;
        process.env.STUDIO_TEST_AGENT_SCRIPT = scriptFile;
        core = new WorkspaceCore(config());
        await core.start();
        const claude = core.orchestrator.getAgent('claude')!;
        assert.equal(claude.state, 'needs-key');
        assert.match(claude.lastError!, /no API key for anthropic: ANTHROPIC_API_KEY is not set.*sets ANTHROPIC_API_KEY/);
        const task = core.orchestrator.submitTask('claude', { prompt: 'replay' });
        // A scripted agent finishes this in well under a second (the test above); give it three.
        await new Promise(resolve => setTimeout(resolve, 3000));
        assert.equal(core.orchestrator.getTask(task.id)!.status, 'queued');
        assert.equal(fs.existsSync(path.join(root, 'ws', 'scripted.txt')), false, 'the script was replayed');
    });
});
