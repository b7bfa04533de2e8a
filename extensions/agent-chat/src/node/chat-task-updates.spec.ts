import * as assert from 'node:assert/strict';
import type { OrchestratorEvent, TaskInfo } from '@coditect/workspace-backend';
import { chatTaskUpdateOf } from './chat-task-updates';

const task = (over: Partial<TaskInfo> = {}): TaskInfo => ({ id: 7, agentId: 'gemini', prompt: 'p', title: 'p', priority: 0, status: 'queued', attempts: 0, maxAttempts: 2, enqueuedAt: 0, ...over });

describe('chatTaskUpdateOf', () => {
    it('says where a queued task stands, and how it ended', () => {
        assert.deepEqual(chatTaskUpdateOf({ type: 'task', change: 'queued', task: task() }, () => 3), { kind: 'queued', taskId: 7, position: 3 });
        assert.deepEqual(chatTaskUpdateOf({ type: 'task', change: 'done', task: task({ status: 'done', result: { summary: 'edited a.ts' } }) }, () => 1),
            { kind: 'done', taskId: 7, summary: 'edited a.ts' });
        assert.deepEqual(chatTaskUpdateOf({ type: 'task', change: 'failed', task: task({ status: 'failed', lastError: 'boom' }) }, () => 1),
            { kind: 'failed', taskId: 7, error: 'boom' });
    });

    it('passes the model\'s words and tool calls, and says what a waiting agent waits for', () => {
        assert.deepEqual(chatTaskUpdateOf({ type: 'model-turn', agentId: 'gemini', taskId: 7, step: 1, text: 'Reading the file.' }, () => 1),
            { kind: 'text', taskId: 7, step: 1, text: 'Reading the file.' });
        const call = { id: 'c1', name: 'read_file', arguments: { path: 'a.ts' } };
        assert.deepEqual(chatTaskUpdateOf({ type: 'tool-call', agentId: 'gemini', taskId: 7, step: 1, phase: 'finished', call, result: { content: 'x', isError: false } } as OrchestratorEvent, () => 1),
            { kind: 'tool-call', taskId: 7, callId: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}', finished: true, result: 'x', isError: false });
        const waitingOn = { kind: 'lock' as const, path: 'src/a.ts', holders: ['Claude'], message: 'waiting for lock on src/a.ts held by Claude' };
        assert.deepEqual(chatTaskUpdateOf({ type: 'agent-state', agentId: 'gemini', from: 'executing', to: 'waiting', reason: '', at: 0, taskId: 7, waitingOn }, () => 1),
            { kind: 'waiting', taskId: 7, message: 'waiting for lock on src/a.ts held by Claude' });
    });

    it('ignores what concerns no task, and empty model turns', () => {
        assert.equal(chatTaskUpdateOf({ type: 'model-turn', agentId: 'gemini', taskId: 7, step: 1, text: '  ' }, () => 1), undefined);
        assert.equal(chatTaskUpdateOf({ type: 'agent-state', agentId: 'gemini', from: 'idle', to: 'loading', reason: '', at: 0 }, () => 1), undefined);
    });
});
