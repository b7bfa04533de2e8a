/**
 * The entry of an agent process (forked by AgentProcess). It runs one task at a time: the model
 * calls happen here, every tool call is sent to the backend (where the lock manager is the one
 * authority) and awaited. It sends a heartbeat twice a second so the supervisor can tell a
 * hung process (a blocked event loop) from a slow model, and exits when the backend goes away.
 */
import type { ModelProvider, ToolCall } from '../../providers/model-provider';
import type { AgentDefinition } from '../agent-definition';
import { runAgentLoop } from './agent-loop';
import type { FromAgent, ToAgent } from './protocol';

const send = (message: FromAgent): void => {
    process.send?.(message);
};

let current: { taskId: number; controller: AbortController } | undefined;
let nextRequestId = 1;
const pendingTools = new Map<number, (result: { content: string; isError: boolean; inbox: readonly string[] }) => void>();

async function run(message: Extract<ToAgent, { type: 'run' }>): Promise<void> {
    const controller = new AbortController();
    current = { taskId: message.task.id, controller };
    send({ type: 'started', taskId: message.task.id });
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const factory = require(message.provider.module)[message.provider.exportName] as (d: AgentDefinition, o: unknown) => ModelProvider;
        const provider = factory(message.definition, message.provider.options);
        const outcome = await runAgentLoop({
            task: message.task, definition: message.definition, context: message.context, inbox: message.inbox, provider, signal: controller.signal,
            report: send,
            executeTool: (call: ToolCall, step: number, lastOfStep: boolean) => new Promise(resolve => {
                const requestId = nextRequestId++;
                pendingTools.set(requestId, resolve);
                send({ type: 'tool', taskId: message.task.id, step, requestId, call, lastOfStep });
            }),
        });
        send({ type: 'result', taskId: message.task.id, ...outcome });
    } catch (error) {
        send({ type: 'result', taskId: message.task.id, outcome: 'failed', error: `the agent process failed: ${(error as Error).message}`, steps: 0, retryable: true, errorKind: 'internal' });
    } finally {
        current = undefined;
    }
}

process.on('message', (message: ToAgent) => {
    switch (message.type) {
        case 'run':
            if (current) {
                send({ type: 'result', taskId: message.task.id, outcome: 'failed', error: `the agent is busy with task ${current.taskId}`, steps: 0, retryable: true, errorKind: 'internal' });
                return;
            }
            void run(message);
            break;
        case 'tool-result': {
            const resolve = pendingTools.get(message.requestId);
            pendingTools.delete(message.requestId);
            resolve?.({ content: message.content, isError: message.isError, inbox: message.inbox });
            break;
        }
        case 'cancel':
            if (current?.taskId === message.taskId) {
                current.controller.abort(new Error(message.reason));
                // A tool call the backend was running is abandoned (the backend aborts it too).
                for (const [id, resolve] of pendingTools) {
                    pendingTools.delete(id);
                    resolve({ content: 'cancelled', isError: true, inbox: [] });
                }
            }
            break;
    }
});
process.on('disconnect', () => process.exit(0));
setInterval(() => send({ type: 'heartbeat' }), 500);
send({ type: 'ready' });
