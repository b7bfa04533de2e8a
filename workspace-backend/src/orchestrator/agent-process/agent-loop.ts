import type { ConversationMessage, ModelProvider, ToolCall, ToolResult } from '../../providers/model-provider';
import { collectTurn } from '../../providers/model-provider';
import { ProviderError } from '../../providers/provider-error';
import type { AgentDefinition } from '../agent-definition';
import { ToolDefinitions } from '../tool-definitions';
import type { FromAgent, ProviderCallError, TaskOutcome } from './protocol';

export interface AgentLoopInput {
    readonly task: { readonly id: number; readonly prompt: string };
    readonly definition: AgentDefinition;
    readonly context: string;
    readonly inbox: readonly string[];
    readonly provider: ModelProvider;
    readonly signal: AbortSignal;
    /** Executes a tool in the backend; resolves with its result and any direct messages that arrived meanwhile. */
    executeTool(call: ToolCall, step: number, lastOfStep: boolean): Promise<{ content: string; isError: boolean; inbox: readonly string[] }>;
    report(message: FromAgent): void;
    /** Rate-limit waits: consecutive ones before the attempt fails. */
    readonly maxWaits?: number;
}

const inboxText = (inbox: readonly string[]) => inbox.length ? `\n\nMessages received:\n${inbox.map(m => `- ${m}`).join('\n')}` : '';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal.aborted) {
            reject(signal.reason);
            return;
        }
        const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
    });
}

/**
 * One task: the model proposes tool calls, the backend executes them, their results go back to
 * the model, until it calls `finish` (or answers without tools), fails, or reaches maxSteps.
 * A rate-limit or overloaded error waits `retryAfterMs` (or a doubling backoff) and sends the
 * same request again without spending a step. Cancellation (the signal) ends it as `cancelled`.
 */
export async function runAgentLoop(input: AgentLoopInput): Promise<TaskOutcome> {
    const { definition, task, signal } = input;
    const system = `${definition.systemPrompt}\n\n${input.context}`;
    const tools = definition.tools.map(name => ToolDefinitions[name]);
    const messages: ConversationMessage[] = [{ role: 'user', text: task.prompt + inboxText(input.inbox) }];
    let step = 0;
    let waits = 0;
    try {
        while (step < definition.limits.maxSteps) {
            let turn;
            const startedAt = Date.now();
            const started = performance.now();
            const reportCall = (error?: ProviderCallError): void =>
                input.report({ type: 'provider-call', taskId: task.id, model: definition.model, startedAt, durationMs: performance.now() - started, ...(error ? { error } : {}) });
            try {
                turn = await collectTurn(input.provider.stream({
                    model: definition.model, system, messages, tools, maxTokens: definition.limits.maxTokens, temperature: definition.limits.temperature, signal,
                }));
                reportCall();
            } catch (error) {
                reportCall(signal.aborted ? 'cancelled' : error instanceof ProviderError ? error.kind : 'internal');
                if (error instanceof ProviderError && error.isWait && waits < (input.maxWaits ?? 20)) {
                    const delay = error.retryAfterMs ?? Math.min(60_000, 1000 * 2 ** waits);
                    waits++;
                    input.report({ type: 'rate-limited', taskId: task.id, until: Date.now() + delay, message: `${error.kind === 'rate-limit' ? 'rate limited' : 'overloaded'} by ${error.vendor}; retrying in ${Math.ceil(delay / 1000)} s` });
                    await sleep(delay, signal);
                    input.report({ type: 'resumed', taskId: task.id });
                    continue;
                }
                throw error;
            }
            waits = 0;
            step++;
            input.report({ type: 'usage', taskId: task.id, model: definition.model, usage: turn.usage });
            if (turn.text) {
                input.report({ type: 'turn', taskId: task.id, step, text: turn.text });
            }
            messages.push({ role: 'assistant', text: turn.text, toolCalls: turn.toolCalls, reasoning: turn.reasoning || undefined });
            if (turn.toolCalls.length === 0) {
                return { outcome: 'done', summary: turn.text.trim() || '(the model ended without a summary)', steps: step };
            }
            const results: ToolResult[] = [];
            for (const [i, call] of turn.toolCalls.entries()) {
                const result = await input.executeTool(call, step, i === turn.toolCalls.length - 1);
                if (signal.aborted) {
                    throw signal.reason;
                }
                // A finish the backend accepted ends the task; a refused one (a Stop hook) is a result the model reads.
                if (call.name === 'finish' && !result.isError) {
                    return { outcome: 'done', summary: typeof call.arguments.summary === 'string' ? call.arguments.summary : '', steps: step };
                }
                results.push({ callId: call.id, name: call.name, content: result.content + inboxText(result.inbox), isError: result.isError || undefined });
            }
            messages.push({ role: 'tool', results });
        }
        return { outcome: 'failed', error: `reached the step limit (${definition.limits.maxSteps} model turns) without finishing; raise limits.maxSteps or split the task.`, steps: step, retryable: false, errorKind: 'limit' };
    } catch (error) {
        if (signal.aborted) {
            return { outcome: 'cancelled', error: String((signal.reason as Error)?.message ?? signal.reason), steps: step };
        }
        if (error instanceof ProviderError) {
            const retryable = error.kind !== 'auth' && error.kind !== 'bad-request';
            return { outcome: 'failed', error: error.message, steps: step, retryable, errorKind: error.kind };
        }
        return { outcome: 'failed', error: error instanceof Error ? error.message : String(error), steps: step, retryable: true, errorKind: 'internal' };
    }
}
