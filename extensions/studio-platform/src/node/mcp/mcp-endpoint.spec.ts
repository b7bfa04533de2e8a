import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentPrincipal, WorkspaceCore } from '@coditect/workspace-backend';
import { scriptedProviderFactory, ScriptedTurnSpec } from '@coditect/workspace-backend/test-support';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import express from '@theia/core/shared/express';
import { Container } from '@theia/core/shared/inversify';
import { MCP_HTTP_PATH } from '../../common/mcp-protocol';
import { resolveAuthConfig } from '../auth/auth-config';
import { AuthConfigValue } from '../auth/credential-verifier';
import { RequestUsers } from '../auth/request-users';
import { TaskSubmissionLimiter } from '../auth/task-submission-limiter';
import { WorkspaceCoreHost } from '../workspace-core-host';
import { McpEndpoint } from './mcp-endpoint';

const finish = (summary: string): ScriptedTurnSpec => ({ toolCalls: [{ name: 'finish', arguments: { summary } }] });

/** Each task's turns by its prompt: codex writes notes.md; the reviewer approves. */
function script(prompt: string): ScriptedTurnSpec[] {
    if (prompt === 'write the notes') {
        return [{ toolCalls: [{ name: 'write_file', arguments: { path: 'notes.md', content: 'hello from codex\n' } }] }, finish('wrote notes.md')];
    }
    return [{ echoPrompt: true, ...finish('approved') }];
}

/**
 * The MCP endpoint over real HTTP, in front of a real workspace core, driven by the MCP SDK's own
 * client (Streamable HTTP). The authentication's part is played by a middleware that records the
 * principal a test header names, as the real one records an agent token's agent.
 */
describe('The studio as an MCP server (POST /coditect/api/mcp)', function () {
    this.timeout(60_000);
    let root: string;
    let core: WorkspaceCore;
    let server: http.Server;
    let baseUrl: string;
    const clients: Client[] = [];

    before(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-endpoint-'));
        fs.mkdirSync(path.join(root, 'ws', 'src'), { recursive: true });
        fs.writeFileSync(path.join(root, 'ws', 'src', 'a.ts'), 'export const a = 1;\n');
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') }, {
            orchestrator: { providerFactory: scriptedProviderFactory((_definition, task) => script(task.prompt)) },
        });
        await core.start();
        const container = new Container();
        container.bind(WorkspaceCoreHost).toConstantValue({ ready: Promise.resolve(core) } as WorkspaceCoreHost);
        container.bind(RequestUsers).toSelf().inSingletonScope();
        container.bind(AuthConfigValue).toConstantValue(resolveAuthConfig({ STUDIO_AUTH_TOKEN: 'a-local-token-for-the-spec' }));
        container.bind(TaskSubmissionLimiter).toSelf().inSingletonScope();
        container.bind(McpEndpoint).toSelf().inSingletonScope();
        const users = container.get(RequestUsers);
        const app = express();
        app.use((req, _res, next) => {
            const agent = req.headers['x-test-agent'];
            if (typeof agent === 'string') {
                users.setAgent(req, agentPrincipal(agent, agent === 'my-bot' ? 'My Bot' : agent));
            } else if (req.headers['x-test-person'] === 'ada') {
                users.set(req, { id: 'user:ada', displayName: 'Ada', role: 'developer' });
            }
            next();
        });
        container.get(McpEndpoint).configure(app);
        server = app.listen(0, '127.0.0.1');
        await new Promise(resolve => server.once('listening', resolve));
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
        await Promise.all(clients.map(client => client.close()));
        await new Promise(resolve => server?.close(resolve));
        await core?.stop();
        fs.rmSync(root, { recursive: true, force: true });
    });

    async function connect(headers: Record<string, string>): Promise<Client> {
        const client = new Client({ name: 'spec-client', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}${MCP_HTTP_PATH}`), { requestInit: { headers } }));
        clients.push(client);
        return client;
    }

    /** A tool's answer: its JSON, or its error text. */
    async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ ok: boolean; value: unknown; text: string }> {
        const result = await client.callTool({ name, arguments: args }) as { isError?: boolean; content: { type: string; text: string }[] };
        const text = result.content.map(c => c.text).join('\n');
        return { ok: !result.isError, value: result.isError ? undefined : JSON.parse(text), text };
    }

    it('offers the coordination tools, each with its input schema', async () => {
        const client = await connect({ 'x-test-agent': 'my-bot' });
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map(t => t.name).sort(), [
            'bus_read', 'bus_send', 'change_set_get', 'change_sets_list', 'lock_acquire', 'lock_release', 'locks_list', 'review_request', 'task_create',
        ]);
        const acquire = tools.find(t => t.name === 'lock_acquire')!;
        assert.deepEqual((acquire.inputSchema as { required?: string[] }).required?.sort(), ['mode', 'path']);
    });

    it('takes and releases locks as the token\'s agent, enforced against everyone else', async () => {
        const bot = await connect({ 'x-test-agent': 'my-bot' });
        const other = await connect({ 'x-test-agent': 'other-bot' });
        const taken = await call(bot, 'lock_acquire', { path: 'src/a.ts', mode: 'exclusive' });
        assert.ok(taken.ok, taken.text);
        const lock = taken.value as { id: string; owner: { id: string } };
        assert.equal(lock.owner.id, 'agent:my-bot', 'held in the token\'s name');
        assert.deepEqual(core.locks.list().map(l => [l.path, l.owner.id]), [['src/a.ts', 'agent:my-bot']]);

        const refused = await call(other, 'lock_acquire', { path: 'src/a.ts', mode: 'exclusive' });
        assert.equal(refused.ok, false);
        assert.match(refused.text, /My Bot/, `the refusal names the holder: ${refused.text}`);
        const notTheirs = await call(other, 'lock_release', { lockId: lock.id });
        assert.equal(notTheirs.ok, false, 'another agent cannot release it');
        const outside = await call(bot, 'lock_acquire', { path: '../outside.txt', mode: 'shared' });
        assert.equal(outside.ok, false);
        assert.match(outside.text, /outside the workspace|inside the workspace/);

        const released = await call(bot, 'lock_release', { lockId: lock.id });
        assert.ok(released.ok, released.text);
        assert.deepEqual(core.locks.list(), []);
        const bad = await call(bot, 'lock_acquire', { path: 'src/a.ts', mode: 'write' });
        assert.equal(bad.ok, false, 'a mode that is not one is refused by its schema');
    });

    it('sends and reads bus messages as the token\'s agent', async () => {
        const bot = await connect({ 'x-test-agent': 'my-bot' });
        const sent = await call(bot, 'bus_send', { topic: 'reviews', text: 'src/a.ts is ready for review' });
        assert.ok(sent.ok, sent.text);
        assert.equal((sent.value as { from: string }).from, 'my-bot');
        const read = await call(bot, 'bus_read', { topic: 'reviews' });
        assert.deepEqual((read.value as { messages: { text: string }[] }).messages.map(m => m.text), ['src/a.ts is ready for review']);
        const empty = await call(bot, 'bus_send', { to: 'claude', text: '   ' });
        assert.equal(empty.ok, false);
        assert.match(empty.text, /empty/);
    });

    it('gives an agent a task, reads its change set, and asks a reviewer agent to review it with the diff', async () => {
        const ada = await connect({ 'x-test-person': 'ada' });
        const created = await call(ada, 'task_create', { agent: 'codex', prompt: 'write the notes' });
        assert.ok(created.ok, created.text);
        const task = created.value as { id: number; submittedBy: string };
        assert.equal(task.submittedBy, 'user:ada');
        assert.equal((await core.orchestrator.waitForTask(task.id)).status, 'done');

        const changeSet = await call(ada, 'change_set_get', { taskId: task.id });
        assert.ok(changeSet.ok, changeSet.text);
        const files = (changeSet.value as { files: { path: string; diff: string }[] }).files;
        assert.deepEqual(files.map(f => f.path), ['notes.md']);
        assert.match(files[0].diff, /\+hello from codex/);
        const listed = await call(ada, 'change_sets_list', { agent: 'codex' });
        assert.deepEqual((listed.value as { changeSets: { taskId: number }[] }).changeSets.map(c => c.taskId), [task.id]);

        const requested = await call(ada, 'review_request', { taskId: task.id, note: 'check the greeting' });
        assert.ok(requested.ok, requested.text);
        const review = requested.value as { id: number; agentId: string; prompt: string };
        assert.equal(review.agentId, 'code-reviewer');
        assert.match(review.prompt, /Review the changes of task #\d+/);
        assert.match(review.prompt, /\+hello from codex/);
        assert.match(review.prompt, /check the greeting/);
        assert.equal((await core.orchestrator.waitForTask(review.id)).status, 'done');

        const unknown = await call(ada, 'task_create', { agent: 'nobody', prompt: 'hi' });
        assert.equal(unknown.ok, false);
        assert.match(unknown.text, /nobody/);
    });

    it('keeps no sessions: GET and DELETE say to POST, and a request without a verified credential is refused', async () => {
        const get = await fetch(`${baseUrl}${MCP_HTTP_PATH}`);
        assert.equal(get.status, 405);
        assert.match(((await get.json()) as { error: { message: string } }).error.message, /stateless: POST/);
        const anonymous = await fetch(`${baseUrl}${MCP_HTTP_PATH}`, {
            method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        });
        assert.equal(anonymous.status, 401);
        const notJson = await fetch(`${baseUrl}${MCP_HTTP_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-test-agent': 'my-bot' }, body: '{' });
        assert.equal(notJson.status, 400);
    });
});

