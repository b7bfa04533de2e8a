import type { ModelProvider, ModelRequest, ModelStreamEvent, StopReason, ToolCall, Vendor } from '../model-provider';
import type { ProviderError } from '../provider-error';
import { TokenUsage, zeroUsage } from '../token-usage';

/** One scripted model turn: what the model "says". `error` makes that turn throw instead (after any `text`). */
export interface ScriptedTurn {
    readonly text?: string;
    readonly reasoning?: string;
    readonly toolCalls?: readonly ToolCall[];
    readonly usage?: Partial<TokenUsage>;
    /** Defaults to 'tool-use' when there are tool calls, else 'end'. */
    readonly stopReason?: StopReason;
    readonly error?: ProviderError;
    /** Lets a test check what the orchestrator sent on this turn (e.g. that the tool results are there). */
    readonly expect?: (request: ModelRequest) => void;
}

/**
 * Test code (never loaded by a production start): replays a fixed sequence of model turns
 * without HTTP, for orchestrator tests: request N gets
 * turn N, and the requests are kept for assertions. Events follow the ModelProvider contract
 * (deltas and calls, then one usage, then done), so an orchestrator that works against this
 * works against the real providers. Text is split into a few deltas to exercise accumulation.
 */
export class ScriptedProvider implements ModelProvider {
    readonly requests: ModelRequest[] = [];
    private next = 0;

    constructor(private readonly turns: readonly ScriptedTurn[], readonly vendor: Vendor = 'anthropic') { }

    /** Turns not yet played; a finished test expects 0. */
    get remaining(): number {
        return this.turns.length - this.next;
    }

    async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
        this.requests.push(request);
        const turn = this.turns[this.next];
        if (turn === undefined) {
            throw new Error(`the script has ${this.turns.length} turn(s) but request ${this.next + 1} came; add a turn or stop the loop earlier.`);
        }
        this.next++;
        turn.expect?.(request);
        if (turn.reasoning) {
            yield { type: 'reasoning-delta', text: turn.reasoning };
        }
        for (const piece of splitText(turn.text ?? '')) {
            if (request.signal?.aborted) {
                throw request.signal.reason;
            }
            yield { type: 'text-delta', text: piece };
        }
        if (turn.error) {
            throw turn.error;
        }
        for (const call of turn.toolCalls ?? []) {
            yield { type: 'tool-call', call };
        }
        yield { type: 'usage', usage: { ...zeroUsage, ...turn.usage } };
        yield { type: 'done', stopReason: turn.stopReason ?? ((turn.toolCalls?.length ?? 0) > 0 ? 'tool-use' : 'end') };
    }
}

function splitText(text: string): string[] {
    if (text === '') {
        return [];
    }
    const size = Math.max(1, Math.ceil(text.length / 3));
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += size) {
        pieces.push(text.slice(i, i + size));
    }
    return pieces;
}
