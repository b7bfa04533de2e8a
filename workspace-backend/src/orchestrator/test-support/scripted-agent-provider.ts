import type { ModelProvider, ModelRequest, ModelStreamEvent } from '../../providers/model-provider';
import { ProviderError } from '../../providers/provider-error';
import { ScriptedProvider } from '../../providers/test-support/scripted-provider';
import type { AgentDefinition } from '../agent-definition';
import type { ScriptedTurnSpec } from './scripted-provider-factory';

/** Test code, loaded in the agent process by scriptedProviderFactory: a ScriptedProvider, plus delays, hangs and crashes per turn. */
export function createAgentProvider(definition: AgentDefinition, options: { turns: readonly ScriptedTurnSpec[] }): ModelProvider {
    const turns = options.turns;
    let callIds = 0;
    const inner = new ScriptedProvider(turns.map(turn => ({
        text: turn.text,
        toolCalls: turn.toolCalls?.map(c => ({ id: c.id ?? `call-${++callIds}`, name: c.name, arguments: c.arguments })),
        usage: turn.usage,
        stopReason: turn.stopReason,
        error: turn.error && new ProviderError(turn.error.kind, turn.error.message, { vendor: definition.vendor, retryAfterMs: turn.error.retryAfterMs, keyVariable: turn.error.keyVariable }),
    })), definition.vendor);
    let index = 0;
    return {
        vendor: definition.vendor,
        async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
            const turn = turns[index++];
            if (turn?.delayMs) {
                await new Promise<void>((resolve, reject) => {
                    const timer = setTimeout(resolve, turn.delayMs);
                    request.signal?.addEventListener('abort', () => {
                        clearTimeout(timer);
                        reject(request.signal!.reason);
                    }, { once: true });
                });
            }
            if (turn?.exitCode !== undefined) {
                process.exit(turn.exitCode);
            }
            if (turn?.hang === 'busy') {
                for (;;) {
                    // A hang nothing in this process can interrupt: only the supervisor's SIGKILL ends it.
                }
            }
            if (turn?.hang === 'forever') {
                await new Promise(() => undefined);
            }
            if (turn?.echoPrompt) {
                const first = request.messages.find(m => m.role === 'user');
                yield { type: 'text-delta', text: first?.role === 'user' ? first.text : '' };
            }
            yield* inner.stream(request);
        },
    };
}
