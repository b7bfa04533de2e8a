import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from './workspace-core';
import { scriptedProviderFactory, ScriptedTurnSpec } from '../orchestrator/test-support/scripted-provider-factory';
import type { TaskInfo } from '../orchestrator/task-repository';
import type { ChatMessage } from '../chat/chat-types';

const alice = { id: 'u-alice', displayName: 'Alice' };
const bob = { id: 'u-bob', displayName: 'Bob' };
const finish = (summary: string): ScriptedTurnSpec => ({ toolCalls: [{ name: 'finish', arguments: { summary } }] });

/** Each task's turns by a keyword its prompt's last message contains (the prompt also carries the history). */
function script(prompt: string): ScriptedTurnSpec[] {
    const last = prompt.slice(prompt.lastIndexOf('now writes:'));
    if (last.includes('ECHO')) {
        return [{ echoPrompt: true, toolCalls: [{ name: 'finish', arguments: { summary: 'echoed' } }] }];
    }
    if (last.includes('FAIL')) {
        return [
            { text: 'Trying.', toolCalls: [{ name: 'list_files', arguments: {} }] },
            { error: { kind: 'bad-request', message: 'the model refused the request' } },
        ];
    }
    if (last.includes('EDIT')) {
        return [
            { text: 'Writing notes.md.', toolCalls: [{ name: 'write_file', arguments: { path: 'notes.md', content: 'hello\n' } }] },
            { text: 'Done writing.', toolCalls: [{ name: 'finish', arguments: { summary: 'Wrote notes.md.' } }] },
        ];
    }
    return [finish('Hello!')];
}

class ChatHarness {
    readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-'));
    core!: WorkspaceCore;

    async start(): Promise<WorkspaceCore> {
        fs.mkdirSync(path.join(this.root, 'ws'), { recursive: true });
        this.core = new WorkspaceCore({ workspaceDir: path.join(this.root, 'ws'), dataDir: path.join(this.root, 'data') }, {
            orchestrator: { providerFactory: scriptedProviderFactory((_d, task) => script(task.prompt)), prefork: false },
        });
        await this.core.start();
        return this.core;
    }

    /** Resolves with the reply row(s) once the task ended and the chat recorded them. */
    async reply(conversationId: string, task: TaskInfo): Promise<ChatMessage[]> {
        await this.core.orchestrator.waitForTask(task.id);
        return this.core.chat.conversation(conversationId).filter(m => m.role !== 'user' && m.createdAt >= task.enqueuedAt && m.id > 0)
            .filter(m => m.taskId === task.id || m.taskId === undefined);
    }

    async stop(): Promise<void> {
        await this.core?.stop();
    }
}

describe('ChatConversations', function () {
    this.timeout(20_000);
    let h: ChatHarness;
    beforeEach(() => {
        h = new ChatHarness();
    });
    afterEach(async () => {
        await h.stop();
        fs.rmSync(h.root, { recursive: true, force: true });
    });

    it('records the message, runs it as a task and records the reply (turn texts, then the summary) linked to the task', async () => {
        const core = await h.start();
        const sent = core.chat.send('claude', undefined, 'EDIT please write the notes', alice);
        assert.equal(sent.task.agentId, 'claude');
        assert.match(sent.conversationId, /^[0-9a-f-]{36}$/);
        const done = await core.orchestrator.waitForTask(sent.task.id);
        assert.equal(done.status, 'done');
        assert.equal(fs.readFileSync(path.join(h.root, 'ws', 'notes.md'), 'utf8'), 'hello\n');
        const messages = core.chat.conversation(sent.conversationId);
        assert.deepEqual(messages.map(m => [m.role, m.text, m.taskId]), [
            ['user', 'EDIT please write the notes', sent.task.id],
            ['agent', 'Writing notes.md.\n\nDone writing.\n\nWrote notes.md.', sent.task.id],
        ]);
        assert.deepEqual(messages[0].user, alice);
        const [summary] = core.chat.conversations('claude');
        assert.equal(summary.conversationId, sent.conversationId);
        assert.equal(summary.title, 'EDIT please write the notes');
        assert.equal(summary.messageCount, 2);
        assert.equal(summary.lastMessage.role, 'agent');
        assert.equal(summary.pendingTaskId, undefined);
        assert.deepEqual(core.chat.conversations('gemini'), []);
    });

    it('gives the agent the conversation so far, and continues it after a restart and from another user', async () => {
        let core = await h.start();
        const first = core.chat.send('gemini', undefined, 'hello there', alice);
        await h.reply(first.conversationId, first.task);
        await h.stop();

        core = await h.start();
        const second = core.chat.send('gemini', first.conversationId, 'ECHO what did we say?', bob);
        assert.equal(second.conversationId, first.conversationId);
        await core.orchestrator.waitForTask(second.task.id);
        const messages = core.chat.conversation(first.conversationId);
        assert.deepEqual(messages.map(m => m.role), ['user', 'agent', 'user', 'agent']);
        const echoed = messages[3].text;
        // The prompt the agent got: the history oldest first, then the new message, then how to answer.
        const order = ['--- Alice (user):\nhello there', '--- you:\nHello!', '--- Bob (user) now writes:\nECHO what did we say?', 'call `finish` with your reply to Bob'];
        const at = order.map(s => echoed.indexOf(s));
        assert.ok(at.every(i => i >= 0), `prompt lacks a part: ${echoed}`);
        assert.deepEqual([...at].sort((a, b) => a - b), at);
        assert.ok(echoed.endsWith('\n\nechoed'));
    });

    it('records a failed task as a system message and keeps the model text before it', async () => {
        const core = await h.start();
        const sent = core.chat.send('codex', undefined, 'FAIL now', alice);
        assert.equal((await core.orchestrator.waitForTask(sent.task.id)).status, 'failed');
        const messages = core.chat.conversation(sent.conversationId);
        assert.deepEqual(messages.map(m => m.role), ['user', 'agent', 'system']);
        assert.equal(messages[1].text, 'Trying.');
        assert.match(messages[2].text, new RegExp(`^Task ${sent.task.id} failed: .*refused`));
        assert.equal(messages[2].taskId, sent.task.id);
    });

    it('starts a conversation under a caller\'s own id only when asked, then continues it', async () => {
        const core = await h.start();
        assert.throws(() => core.chat.send('kimi', 'session-1:kimi', 'hi', alice), /no conversation "session-1:kimi"/);
        const first = core.chat.send('kimi', 'session-1:kimi', 'hi', alice, { createIfMissing: true });
        assert.equal(first.conversationId, 'session-1:kimi');
        await core.orchestrator.waitForTask(first.task.id);
        const second = core.chat.send('kimi', 'session-1:kimi', 'and again', alice, { createIfMissing: true });
        await core.orchestrator.waitForTask(second.task.id);
        assert.deepEqual(core.chat.conversation('session-1:kimi').filter(m => m.role === 'user').map(m => m.text), ['hi', 'and again']);
        assert.throws(() => core.chat.send('claude', 'session-1:kimi', 'hi', alice, { createIfMissing: true }), /is with agent "kimi", not "claude"/);
    });

    it('says what is wrong with a message it cannot send, and records nothing', async () => {
        const core = await h.start();
        const sent = core.chat.send('kimi', undefined, 'hi', alice);
        await core.orchestrator.waitForTask(sent.task.id);
        assert.throws(() => core.chat.send('kimi', 'nope', 'hi', alice), /no conversation "nope"; send without a conversation id/);
        assert.throws(() => core.chat.send('claude', sent.conversationId, 'hi', alice), /is with agent "kimi", not "claude"/);
        assert.throws(() => core.chat.send('kimi', undefined, '  \n', alice), /message is empty/);
        assert.throws(() => core.chat.send('nobody', undefined, 'hi', alice), /no agent "nobody"/);
        assert.equal(core.chat.conversation(sent.conversationId).length, 2);
        assert.equal(core.chat.conversations('nobody').length, 0);
    });

    it('never writes a secret of the environment: masked in the message, the prompt and the reply', async () => {
        const secret = 'chat-spec-secret-0123456789';
        process.env.CHAT_SPEC_API_KEY = secret;
        try {
            const core = await h.start();
            const sent = core.chat.send('claude', undefined, `ECHO my key is ${secret}`, alice);
            await core.orchestrator.waitForTask(sent.task.id);
            const messages = core.chat.conversation(sent.conversationId);
            assert.equal(messages[0].text, 'ECHO my key is ***');
            assert.ok(!messages[1].text.includes(secret) && messages[1].text.includes('my key is ***'));
            assert.ok(!core.orchestrator.getTask(sent.task.id)!.prompt.includes(secret));
        } finally {
            delete process.env.CHAT_SPEC_API_KEY;
        }
        const raw = fs.readFileSync(path.join(h.root, 'data', 'sessions.db-wal'), 'latin1') + fs.readFileSync(path.join(h.root, 'data', 'sessions.db'), 'latin1');
        assert.ok(!raw.includes('chat-spec-secret'));
    });
});
