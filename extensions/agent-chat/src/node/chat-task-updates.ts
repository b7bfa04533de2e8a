import type { OrchestratorEvent } from '@coditect/workspace-backend';
import { ChatTaskUpdate } from '../common/agent-chat-protocol';

/**
 * The orchestrator's events as the chat shows them: only what concerns a task, in the words the
 * chat uses. Undefined for events that say nothing about a task.
 */
export function chatTaskUpdateOf(event: OrchestratorEvent, queuePosition: (taskId: number) => number): ChatTaskUpdate | undefined {
    switch (event.type) {
        case 'task': {
            const { task } = event;
            switch (event.change) {
                case 'queued': return { kind: 'queued', taskId: task.id, position: queuePosition(task.id) };
                case 'started': return { kind: 'started', taskId: task.id };
                case 'done': return { kind: 'done', taskId: task.id, summary: task.result?.summary ?? '' };
                case 'failed': return { kind: 'failed', taskId: task.id, error: task.result?.error ?? task.lastError ?? 'the task failed' };
                case 'cancelled': return { kind: 'cancelled', taskId: task.id, reason: task.result?.error ?? 'cancelled' };
                default: return undefined;
            }
        }
        case 'model-turn':
            return event.text.trim() ? { kind: 'text', taskId: event.taskId, step: event.step, text: event.text } : undefined;
        case 'tool-call':
            return {
                kind: 'tool-call', taskId: event.taskId, callId: event.call.id, name: event.call.name, arguments: JSON.stringify(event.call.arguments),
                finished: event.phase === 'finished', result: event.result?.content, isError: event.result?.isError,
            };
        case 'agent-state':
            return event.to === 'waiting' && event.taskId !== undefined && event.waitingOn
                ? { kind: 'waiting', taskId: event.taskId, message: event.waitingOn.message }
                : undefined;
        default:
            return undefined;
    }
}
